// What the on-chip comparison runs: every build on each runtime over several seeds, the floors, the LOOP_MS
// sweep, the XIP cache model, and a profile and a trace of each build.
import { BUILD_NAMES, type BuildName } from "../../../host/index.js"
import type { RuntimeFlavour } from "../../../sim/index.js"
import { FLOORS, superloopWithLoopMs, type ChipProgram } from "./programs.js"
import type { ChipJob } from "./run.js"

export const LOOP_SWEEP_MS = [1, 2, 5, 10, 20, 50]

export interface ChipSettings {
    quick: boolean
    /** Press sequences per build and runtime, each from its own seed. */
    seeds: number
    /** Presses per seed. */
    presses: number
    /** The idle and the loaded busy-share windows, each this long. */
    windowMs: number
    loopSweepMs: number[]
    sweepPresses: number
    /** Also run each build once (the first seed) with the XIP cache model, on the runtime with the timer fix. */
    xip: boolean
    /** A profile and a trace of each build, on the runtime with the timer fix, during its first seed. */
    profileAndTrace: boolean
}

export function chipSettings(quick: boolean): ChipSettings {
    return quick
        ? { quick, seeds: 1, presses: 20, windowMs: 500, loopSweepMs: [], sweepPresses: 0, xip: false, profileAndTrace: false }
        : { quick, seeds: 3, presses: 200, windowMs: 2000, loopSweepMs: LOOP_SWEEP_MS, sweepPresses: 60, xip: true, profileAndTrace: true }
}

/** Where each runtime is, with its ELF if there is one beside it. */
export type RuntimeFiles = Partial<Record<RuntimeFlavour, { path: string; elf?: string }>>

/** What each job is for, so its run can be put back in its place. */
export type JobRole =
    | { part: "build"; build: BuildName; xip: boolean }
    | { part: "floor"; floor: keyof typeof FLOORS }
    | { part: "sweep"; loopMs: number }

export interface PlannedJob {
    role: JobRole
    job: ChipJob
}

export function planChipJobs(s: ChipSettings, runtimes: RuntimeFiles, bootrom: string): PlannedJob[] {
    const planned: PlannedJob[] = []
    for (const [flavour, files] of Object.entries(runtimes) as [RuntimeFlavour, { path: string; elf?: string }][]) {
        const runtime = { flavour, ...files }
        const job = (program: ChipProgram, seed: number, more: Partial<ChipJob> = {}): ChipJob => ({
            runtime,
            bootrom,
            program,
            seed,
            presses: s.presses,
            replies: true,
            windowsMs: s.windowMs,
            xip: false,
            profile: false,
            trace: false,
            ...more,
        })
        const instrumented = s.profileAndTrace && flavour === "fixed" && files.elf !== undefined
        for (const build of BUILD_NAMES) {
            for (let seed = 1; seed <= s.seeds; seed++) {
                const first = seed === 1
                // the idle and load windows do not depend on the presses' seed: the first seed's stand for all
                planned.push({ role: { part: "build", build, xip: false }, job: job({ kind: "build", build }, seed, { windowsMs: first ? s.windowMs : 0, profile: instrumented && first, trace: instrumented && first }) })
            }
            // the cache model on one runtime is enough to see what it moves: the fixed one, whose figures are the style's
            if (s.xip && flavour === "fixed") planned.push({ role: { part: "build", build, xip: true }, job: job({ kind: "build", build }, 1, { xip: true }) })
        }
        planned.push({ role: { part: "floor", floor: "runtimeAlone" }, job: job(FLOORS.runtimeAlone, 0, { presses: 0 }) })
        planned.push({ role: { part: "floor", floor: "empty" }, job: job(FLOORS.empty, 0, { presses: 0 }) })
        for (let seed = 1; seed <= s.seeds; seed++) planned.push({ role: { part: "floor", floor: "floor" }, job: job(FLOORS.floor, seed, { replies: false, windowsMs: seed === 1 ? s.windowMs : 0 }) })
        for (const loopMs of s.loopSweepMs) {
            if (loopMs === 10) continue // the superloop itself, measured above
            planned.push({ role: { part: "sweep", loopMs }, job: job(superloopWithLoopMs(loopMs), 1, { presses: s.sweepPresses, windowsMs: s.windowMs / 2 }) })
        }
    }
    // the longest first, so that the workers end together
    const weight = (p: PlannedJob) => p.job.presses + (p.job.xip ? 100 : 0) + (p.job.profile ? 100 : 0)
    return planned.sort((a, b) => weight(b) - weight(a))
}
