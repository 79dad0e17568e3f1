// The on-chip comparison: both builds on the emulated Pico (the real DeviceScript runtime in rp2040js), in emulated time.
import { readFileSync } from "node:fs"
import { findRuntimeElf, ChipFiles, MissingChipFile, startChip, superloopVariantImage, type ChipSimulation, ramUse, readElfSymbols, type RamUse, TimerStalls, type TimerStall } from "../../sim/index.js"
import { ROOT, type BuildName, frame } from "../../host/index.js"
import { mean, median, percentile, round } from "../lib/stats.js"
import { type XipFigures, xipMark, xipSetupAtBoot, xipWindow } from "./chipXip.js"

export const LOOP_SWEEP_MS = [1, 2, 5, 10, 20, 50]
/** The fixed load: a press every LOAD_PRESS_EVERY_MS, answered after LOAD_REPLY_MS. */
export const CHIP_LOAD = { pressEveryMs: 200, replyDelayMs: 50 }

export interface ChipSettings {
    quick: boolean
    idleMs: number
    loadMs: number
    presses: number
    sweepPresses: number
    sweepIdleMs: number
    loopSweepMs: number[]
}

export function chipSettings(quick: boolean): ChipSettings {
    return quick
        ? { quick, idleMs: 500, loadMs: 1000, presses: 10, sweepPresses: 0, sweepIdleMs: 0, loopSweepMs: [] }
        : { quick, idleMs: 2000, loadMs: 2000, presses: 40, sweepPresses: 15, sweepIdleMs: 1000, loopSweepMs: LOOP_SWEEP_MS }
}

export interface Spread {
    median: number
    p90: number
    p99: number
    max: number
    /** Standard deviation. */
    jitter: number
}

export interface ChipBuildFigures {
    idleBusyShare: number
    loadBusyShare: number
    pressToReqUs: Spread
    resToAckUs: Spread
    presses: number
    /** Presses that got no REQ within 1 s (the device slept through them). */
    lostPresses: number
    ram?: RamUse
    stalls: StallFigures
    /** Emulated ms each build ran, and the wall-clock seconds that took. */
    emulatedMs: number
    wallSeconds: number
    /** With the XIP cache model only. */
    xip?: XipFigures
}

export interface StallFigures {
    /** Alarms the runtime set for a time already past. */
    lostAlarms: number
    /** Sleeps of 1 ms or more that followed one. */
    count: number
    perMinute: number
    longestMs: number
    totalMs: number
    emulatedMs: number
}

export interface LoopSweepPoint {
    loopMs: number
    idleBusyShare: number
    /** Of the presses that got a REQ; null when none did. */
    worstPressToReqUs: number | null
    lostPresses: number
}

export interface ChipReport {
    quick: boolean
    settings: ChipSettings
    load: typeof CHIP_LOAD
    superloop: ChipBuildFigures
    async: ChipBuildFigures
    loopSweep: LoopSweepPoint[]
}

export type ChipOutcome = { report: ChipReport } | { skipped: string }

function spread(samples: number[]): Spread {
    const m = mean(samples)
    const jitter = Math.sqrt(mean(samples.map(x => (x - m) ** 2)))
    return {
        median: round(median(samples), 1),
        p90: round(percentile(samples, 0.9), 1),
        p99: round(percentile(samples, 0.99), 1),
        max: round(Math.max(...samples), 1),
        jitter: round(jitter, 1),
    }
}

const framesSince = (sim: ChipSimulation, since: number, type: string) => sim.frames.filter(f => f.at >= since && f.type === type)

/** A press the device never saw: the runtime slept through all of it (a timer stall). */
const LOST_PRESS_MS = 1000

/**
 * One press and its reply: press→REQ and RES→ACK in emulated µs, or undefined when
 * the press got no REQ (lost). The gaps vary so presses meet the loop at every phase.
 */
export async function requestCycle(sim: ChipSimulation, i: number): Promise<{ pressToReqUs: number; resToAckUs: number } | undefined> {
    await sim.advance(120 + ((i * 37) % 97))
    const since = sim.now
    await sim.press()
    await sim.until(() => framesSince(sim, since, "REQ").length > 0 || sim.now - since > LOST_PRESS_MS, 2 * LOST_PRESS_MS)
    const req = framesSince(sim, since, "REQ")[0]
    if (!req) return undefined
    const pressToReqUs = (req.at - sim.button.pressedAt.at(-1)!) * 1000
    await sim.advance(20 + ((i * 13) % 41))
    const resAt = sim.now
    await sim.inject(frame(`RES,${req.fields[1]},p${i}`))
    await sim.until(() => framesSince(sim, resAt, "ACK").length > 0, 2000, `the ACK of press ${i}`)
    const resToAckUs = (framesSince(sim, resAt, "ACK")[0].at - resAt) * 1000
    return { pressToReqUs, resToAckUs }
}

export async function busyShareOver(sim: ChipSimulation, ms: number, load: boolean): Promise<number> {
    const before = sim.pico.time.snapshot()
    const end = sim.now + ms
    while (sim.now < end) {
        if (!load) {
            await sim.advance(end - sim.now)
            break
        }
        const since = sim.now
        await sim.press()
        await sim.advance(CHIP_LOAD.replyDelayMs)
        const req = framesSince(sim, since, "REQ")[0]
        if (req) await sim.inject(frame(`RES,${req.fields[1]},load`))
        await sim.advance(Math.max(0, Math.min(end, since + CHIP_LOAD.pressEveryMs) - sim.now))
    }
    return sim.pico.time.busyShareSince(before)
}

function stallFigures(watch: TimerStalls, emulatedMs: number): StallFigures {
    const lengths = watch.stalls.map((s: TimerStall) => s.ms)
    return {
        lostAlarms: watch.lostAlarms,
        count: lengths.length,
        perMinute: round((lengths.length * 60_000) / emulatedMs, 2),
        longestMs: round(Math.max(0, ...lengths), 1),
        totalMs: round(lengths.reduce((a, b) => a + b, 0), 1),
        emulatedMs: round(emulatedMs, 0),
    }
}

export interface MeasureOptions {
    /** Another runtime than the one ChipFiles finds. */
    runtime?: string
    /** Model the XIP cache (see XipTiming). */
    xip?: boolean
}

export async function measureBuild(build: BuildName, s: ChipSettings, elf: string | undefined, progress: (m: string) => void, options: MeasureOptions = {}): Promise<ChipBuildFigures> {
    const wallStart = performance.now()
    const sim = await startChip({ build, xip: options.xip, files: options.runtime ? { runtime: options.runtime } : undefined })
    const stalls = new TimerStalls(sim.pico.rp2040, sim.pico.time)
    const startMs = sim.now
    const xip = sim.pico.xip
    try {
        progress(`  ${build}: ${s.idleMs} ms idle, ${s.loadMs} ms of load (emulated)`)
        const atStart = xipMark(sim)
        const idleBusyShare = await busyShareOver(sim, s.idleMs, false)
        const afterIdle = xipMark(sim)
        const loadBusyShare = await busyShareOver(sim, s.loadMs, true)
        const afterLoad = xipMark(sim)
        await sim.advance(1200) // the load's requests finish or time out
        progress(`  ${build}: ${s.presses} presses, each answered`)
        const results = []
        for (let i = 0; i < s.presses; i++) results.push(await requestCycle(sim, i))
        const cycles = results.filter(c => c !== undefined)
        const ram = elf ? ramUse(readElfSymbols(readFileSync(elf)), address => sim.pico.readWord(address)) : undefined
        const emulatedMs = sim.now - startMs
        return {
            idleBusyShare: round(idleBusyShare, 4),
            loadBusyShare: round(loadBusyShare, 4),
            pressToReqUs: spread(cycles.map(c => c.pressToReqUs)),
            resToAckUs: spread(cycles.map(c => c.resToAckUs)),
            presses: s.presses,
            lostPresses: s.presses - cycles.length,
            ram,
            stalls: stallFigures(stalls, emulatedMs),
            emulatedMs: round(emulatedMs, 0),
            wallSeconds: round((performance.now() - wallStart) / 1000, 1),
            ...(xip && {
                xip: {
                    ...xipSetupAtBoot(xip),
                    idle: xipWindow(atStart!, afterIdle!),
                    load: xipWindow(afterIdle!, afterLoad!),
                },
            }),
        }
    } finally {
        sim.stop()
    }
}

async function sweepPoint(loopMs: number, s: ChipSettings, progress: (m: string) => void): Promise<LoopSweepPoint> {
    progress(`  superloop with LOOP_MS = ${loopMs}: bundling, ${s.sweepIdleMs} ms idle, ${s.sweepPresses} presses`)
    const image = await superloopVariantImage(loopMs)
    const sim = await startChip({ build: { image, name: `superloop-loop${loopMs}ms` } })
    try {
        const idleBusyShare = await busyShareOver(sim, s.sweepIdleMs, false)
        let worst = 0
        let lost = 0
        for (let i = 0; i < s.sweepPresses; i++) {
            const cycle = await requestCycle(sim, i)
            if (cycle) worst = Math.max(worst, cycle.pressToReqUs)
            else lost++
        }
        const worstPressToReqUs = lost === s.sweepPresses ? null : round(worst, 1)
        return { loopMs, idleBusyShare: round(idleBusyShare, 4), worstPressToReqUs, lostPresses: lost }
    } finally {
        sim.stop()
    }
}

/** Runs the on-chip comparison; without the runtime or boot ROM it is skipped, with the one line saying how to get them. */
export async function chipComparison(quick: boolean, progress: (m: string) => void): Promise<ChipOutcome> {
    let runtime: string
    try {
        runtime = (await new ChipFiles({ projectDir: ROOT }).find()).runtime
    } catch (e) {
        if (e instanceof MissingChipFile) return { skipped: e.message }
        throw e
    }
    const s = chipSettings(quick)
    const elf = findRuntimeElf(runtime)
    const superloop = await measureBuild("superloop", s, elf, progress)
    const async = await measureBuild("async", s, elf, progress)
    const loopSweep: LoopSweepPoint[] = []
    for (const loopMs of s.loopSweepMs) loopSweep.push(await sweepPoint(loopMs, s, progress))
    return { report: { quick, settings: s, load: CHIP_LOAD, superloop, async, loopSweep } }
}

/** The `chip` key of reports/compare.json. */
export function chipJson(outcome: ChipOutcome) {
    if ("skipped" in outcome) return { skipped: outcome.skipped }
    const { superloop, async, loopSweep, quick, settings, load } = outcome.report
    return { quick, settings, load, superloop, async, loopSweep }
}
