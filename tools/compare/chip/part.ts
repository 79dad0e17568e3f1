// The on-chip part of `npm run compare`: finds the runtimes, runs the planned jobs in worker processes, and
// puts the figures together. Without the released runtime or the boot ROM it is skipped, saying why in one line.
import { ROOT } from "../../../host/index.js"
import { ChipFiles, findRuntimeElf, MissingChipFile, type RuntimeFlavour } from "../../../sim/index.js"
import { chipFigures, type ChipFigures } from "./figures.js"
import { chipSettings, planChipJobs, type ChipSettings, type RuntimeFiles } from "./plan.js"
import { runChipJobs } from "./pool.js"

export type ChipOutcome = { figures: ChipFigures; settings: ChipSettings; wallSeconds: number; notes: string[] } | { skipped: string }

/** The runtimes to measure: the released one (needed) and the one with the timer fix (when given). */
async function findRuntimes(): Promise<{ runtimes: RuntimeFiles; bootrom: string; notes: string[] } | { skipped: string }> {
    const notes: string[] = []
    const runtimes: RuntimeFiles = {}
    let bootrom: string
    try {
        const found = await new ChipFiles({ projectDir: ROOT }).find()
        runtimes.released = { path: found.runtime, elf: findRuntimeElf(found.runtime) }
        bootrom = found.bootrom
    } catch (e) {
        if (e instanceof MissingChipFile) return { skipped: e.message }
        throw e
    }
    try {
        const fixed = (await new ChipFiles({ projectDir: ROOT, flavour: "fixed" }).find()).runtime
        runtimes.fixed = { path: fixed, elf: findRuntimeElf(fixed) }
    } catch (e) {
        if (!(e instanceof MissingChipFile)) throw e
        notes.push(`Only the released runtime was measured: ${e.message}.`)
    }
    for (const [flavour, files] of Object.entries(runtimes) as [RuntimeFlavour, { elf?: string }][]) {
        if (!files.elf) notes.push(`No ELF beside the ${flavour} runtime: no RAM figures${flavour === "fixed" ? ", profile or trace" : ""}.`)
    }
    return { runtimes, bootrom, notes }
}

export async function chipPart(quick: boolean, progress: (line: string) => void): Promise<ChipOutcome> {
    const started = performance.now()
    const found = await findRuntimes()
    if ("skipped" in found) return found
    const settings = chipSettings(quick)
    const planned = planChipJobs(settings, found.runtimes, found.bootrom)
    progress(`  ${planned.length} runs (${Object.keys(found.runtimes).join(" and ")} runtime), in worker processes`)
    const runs = await runChipJobs(
        planned.map(p => p.job),
        progress,
        (job, run, finished) => progress(`  ${finished}/${planned.length}: ${run.program} on the ${run.runtime} runtime${run.seed ? `, seed ${run.seed}` : ""}${run.xip ? ", XIP model" : ""}: ${(run.emulatedMs / 1000).toFixed(1)} s emulated in ${run.wallSeconds.toFixed(1)} s`),
    )
    return { figures: chipFigures(planned, runs), settings, wallSeconds: (performance.now() - started) / 1000, notes: found.notes }
}
