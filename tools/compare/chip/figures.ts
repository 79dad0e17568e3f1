// The on-chip runs, put together: each figure over all presses of all seeds, with its spread over the seeds.
import { BUILD_NAMES, type BuildName } from "../../../host/index.js"
import type { PressStage, RamUse, RuntimeFlavour } from "../../../sim/index.js"
import { PRESS_STAGES, summarizeBreakdowns } from "../../../sim/index.js"
import type { BuildProfile } from "../../lib/chipProfile.js"
import type { XipFigures } from "../chipXip.js"
import { mean, median, percentile, round } from "../../lib/stats.js"
import type { JobRole, PlannedJob } from "./plan.js"
import type { ChipRun } from "./run.js"

export interface Range {
    min: number
    max: number
}

/** Latencies in emulated µs, over all seeds' presses, and each statistic's range over the seeds. */
export interface Latencies {
    median: number
    p90: number
    p99: number
    max: number
    /** Standard deviation. */
    jitter: number
    samples: number
    spread: Record<"median" | "p90" | "p99" | "max" | "jitter", Range>
}

export interface ChipBuildFigures {
    idleBusyShare: number
    loadBusyShare: number
    pressToReqUs: Latencies
    resToAckUs: Latencies
    presses: number
    /** Presses that got no REQ within 1 s (the device slept through them), over all seeds. */
    lostPresses: number
    seeds: number
    /** The range over the seeds of each figure above that is not a latency. */
    spread: Record<"idleBusyShare" | "loadBusyShare" | "lostPresses", Range>
    stalls: { count: number; longestMs: number; perMinute: number }
    ram?: RamUse
    imageSha256: string
    emulatedMs: number
    wallSeconds: number
}

export interface LoopSweepPoint {
    loopMs: number
    idleBusyShare: number
    pressToReqUs: { median: number; p99: number; max: number } | null
    presses: number
    lostPresses: number
}

export interface FloorFigures {
    /** No program: the runtime's own idle work. */
    runtimeAloneIdleBusyShare: number
    /** The three roles, no behaviour. */
    emptyIdleBusyShare: number
    /** A handler that sends REQ at once: the least a press can take. */
    pressToReqUs: Latencies
    floorIdleBusyShare: number
}

export interface RuntimeFigures {
    builds: Record<BuildName, ChipBuildFigures>
    floor: FloorFigures
    loopSweep: LoopSweepPoint[]
    /** The same first seed with the XIP cache model. */
    xip?: Record<BuildName, ChipBuildFigures & { xip?: XipFigures }>
}

export interface ChipFigures {
    runtimes: Partial<Record<RuntimeFlavour, RuntimeFigures>>
    /** Where the cycles go, per build, on the runtime with the timer fix. */
    profile?: Record<BuildName, BuildProfile>
    /** Each press's way through the runtime, per build, on the runtime with the timer fix: the median and p99 of each stage (µs). */
    trace?: Record<BuildName, Record<PressStage | "total", { median: number; p99: number }>>
}

function jitter(samples: number[]): number {
    const m = mean(samples)
    return Math.sqrt(mean(samples.map(x => (x - m) ** 2)))
}

function stats(samples: number[]) {
    return {
        median: median(samples),
        p90: percentile(samples, 0.9),
        p99: percentile(samples, 0.99),
        max: Math.max(...samples),
        jitter: jitter(samples),
    }
}

const range = (values: number[]): Range => ({ min: Math.min(...values), max: Math.max(...values) })

/** Latencies pooled over the seeds' samples, with each statistic's range over the seeds (µs, 0.1 µs). */
export function latencies(perSeed: number[][]): Latencies {
    const pooled = perSeed.flat()
    if (!pooled.length) return { median: NaN, p90: NaN, p99: NaN, max: NaN, jitter: NaN, samples: 0, spread: { median: { min: NaN, max: NaN }, p90: { min: NaN, max: NaN }, p99: { min: NaN, max: NaN }, max: { min: NaN, max: NaN }, jitter: { min: NaN, max: NaN } } }
    const all = stats(pooled)
    const each = perSeed.filter(s => s.length).map(stats)
    const keys = ["median", "p90", "p99", "max", "jitter"] as const
    const r1 = (x: number) => round(x, 1)
    return {
        ...(Object.fromEntries(keys.map(k => [k, r1(all[k])])) as Record<(typeof keys)[number], number>),
        samples: pooled.length,
        spread: Object.fromEntries(keys.map(k => [k, { min: r1(Math.min(...each.map(e => e[k]))), max: r1(Math.max(...each.map(e => e[k]))) }])) as Latencies["spread"],
    }
}

function buildFigures(runs: ChipRun[]): ChipBuildFigures {
    // the windows ran with the first seed only: they do not depend on the presses
    const idle = runs.flatMap(r => (r.idleBusyShare === undefined ? [] : [r.idleBusyShare]))
    const load = runs.flatMap(r => (r.loadBusyShare === undefined ? [] : [r.loadBusyShare]))
    const lost = runs.map(r => r.lostPresses)
    const emulatedMs = runs.reduce((sum, r) => sum + r.emulatedMs, 0)
    const stallCount = runs.reduce((sum, r) => sum + r.stalls.count, 0)
    const r4 = (x: number) => round(x, 4)
    return {
        idleBusyShare: r4(mean(idle)),
        loadBusyShare: r4(mean(load)),
        pressToReqUs: latencies(runs.map(r => r.pressToReqUs)),
        resToAckUs: latencies(runs.map(r => r.resToAckUs)),
        presses: runs.reduce((sum, r) => sum + r.presses, 0),
        lostPresses: lost.reduce((a, b) => a + b, 0),
        seeds: runs.length,
        spread: { idleBusyShare: mapRange(range(idle), r4), loadBusyShare: mapRange(range(load), r4), lostPresses: range(lost) },
        stalls: { count: stallCount, longestMs: round(Math.max(0, ...runs.map(r => r.stalls.longestMs)), 1), perMinute: round((stallCount * 60_000) / emulatedMs, 2) },
        ram: runs[0].ram,
        imageSha256: runs[0].imageSha256,
        emulatedMs: round(emulatedMs, 0),
        wallSeconds: round(runs.reduce((sum, r) => sum + r.wallSeconds, 0), 1),
    }
}

const mapRange = (r: Range, f: (x: number) => number): Range => ({ min: f(r.min), max: f(r.max) })

function sweepPoint(loopMs: number, run: ChipRun): LoopSweepPoint {
    const s = run.pressToReqUs.length ? { median: round(median(run.pressToReqUs), 1), p99: round(percentile(run.pressToReqUs, 0.99), 1), max: round(Math.max(...run.pressToReqUs), 1) } : null
    return { loopMs, idleBusyShare: round(run.idleBusyShare ?? NaN, 4), pressToReqUs: s, presses: run.presses, lostPresses: run.lostPresses }
}

const sameRole = (a: JobRole, b: JobRole) => JSON.stringify(a) === JSON.stringify(b)

/** The figures of every runtime, from the planned jobs and their runs (in the same order). */
export function chipFigures(planned: PlannedJob[], runs: ChipRun[]): ChipFigures {
    const figures: ChipFigures = { runtimes: {} }
    const flavours = [...new Set(planned.map(p => p.job.runtime.flavour))]
    for (const flavour of flavours) {
        const of = (role: JobRole) => planned.flatMap((p, i) => (p.job.runtime.flavour === flavour && sameRole(p.role, role) ? [runs[i]] : [])).sort((a, b) => a.seed - b.seed)
        const builds = Object.fromEntries(BUILD_NAMES.map(b => [b, buildFigures(of({ part: "build", build: b, xip: false }))])) as Record<BuildName, ChipBuildFigures>
        const floorRuns = of({ part: "floor", floor: "floor" })
        const floor: FloorFigures = {
            runtimeAloneIdleBusyShare: round(of({ part: "floor", floor: "runtimeAlone" })[0].idleBusyShare!, 4),
            emptyIdleBusyShare: round(of({ part: "floor", floor: "empty" })[0].idleBusyShare!, 4),
            floorIdleBusyShare: round(floorRuns[0].idleBusyShare!, 4),
            pressToReqUs: latencies(floorRuns.map(r => r.pressToReqUs)),
        }
        const sweepLoops = [...new Set(planned.flatMap(p => (p.role.part === "sweep" ? [p.role.loopMs] : [])))]
        const loopSweep = sweepLoops.map(loopMs => sweepPoint(loopMs, of({ part: "sweep", loopMs })[0]))
        // LOOP_MS 10 is the superloop itself: the same figures as its row in the tables, over all its seeds
        const superloop = builds.superloop
        const { median, p99, max } = superloop.pressToReqUs
        if (loopSweep.length) loopSweep.push({ loopMs: 10, idleBusyShare: superloop.idleBusyShare, pressToReqUs: { median, p99, max }, presses: superloop.presses, lostPresses: superloop.lostPresses })
        loopSweep.sort((a, b) => a.loopMs - b.loopMs)
        const runtime: RuntimeFigures = { builds, floor, loopSweep }
        const xipRuns = BUILD_NAMES.map(b => of({ part: "build", build: b, xip: true }))
        if (xipRuns.every(r => r.length)) {
            runtime.xip = Object.fromEntries(BUILD_NAMES.map((b, i) => [b, { ...buildFigures(xipRuns[i]), xip: xipRuns[i][0].xipFigures }])) as RuntimeFigures["xip"]
        }
        figures.runtimes[flavour] = runtime
    }
    const instrumented = planned.flatMap((p, i) => (p.job.profile || p.job.trace ? [{ p, run: runs[i] }] : []))
    if (instrumented.length) {
        figures.profile = {} as ChipFigures["profile"]
        figures.trace = {} as ChipFigures["trace"]
        for (const { p, run } of instrumented) {
            if (p.role.part !== "build") continue
            if (run.profile) figures.profile![p.role.build] = run.profile
            if (run.trace) figures.trace![p.role.build] = traceFigures(run)
        }
    }
    return figures
}

function traceFigures(run: ChipRun): Record<PressStage | "total", { median: number; p99: number }> {
    const { stages, total } = summarizeBreakdowns(run.trace!)
    const pick = (s: { median: number; p99: number }) => ({ median: round(s.median, 1), p99: round(s.p99, 1) })
    return { ...(Object.fromEntries(PRESS_STAGES.map(k => [k, pick(stages[k])])) as Record<PressStage, { median: number; p99: number }>), total: pick(total) }
}
