// `npm run overload -- --chip`: the floods on the emulated Pico, every build and runtime asked for, in parallel workers.
// The one place that writes its files: reports/chip-floods.json (reports/quick/ for --quick or a partial run) and,
// for the full documented run, reports/reliability.json, docs/reliability.md's figures and reports/compare.json's chipFlood.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { type BuildName, ROOT } from "../../host/index.js"
import { chipImage, RUNTIME_FLAVOURS, type RuntimeFlavour } from "../../sim/index.js"
import { isEveryBuild } from "../lib/builds.js"
import { UserError } from "../lib/errors.js"
import { chipFloodRows, chipFloodRowsTable, type ChipFloodFigures, recordReliability } from "../lib/reliability.js"
import { chipFloodFailed, chipFloodFigures, chipFloodJobs, type ChipFloodJob } from "./chipFloods.js"
import { runChipFloods } from "./chipWorkers.js"

export interface ChipOverloadRun {
    quick: boolean
    builds: BuildName[]
    runtimes: RuntimeFlavour[]
    workers: number
    progress: (message: string) => void
}

const FULL_COMMAND = "npm run overload -- --chip"

export async function chipOverload({ quick, builds, runtimes, workers, progress }: ChipOverloadRun): Promise<{ failed: boolean }> {
    // bundled here, one at a time: workers that bundled the same image at once would race for it
    for (const runtime of runtimes) {
        for (const build of builds) {
            const files = await chipImage({ build, runtime })
            if (!files.elf) throw new UserError(`the chip floods read the DeviceScript heap through the runtime's symbols: no ELF beside ${relative(ROOT, files.runtime)} (put it there, or name it with $DEVS_RP2040_ELF)`)
        }
    }
    const jobs = chipFloodJobs(runtimes, builds, quick)
    const started = Date.now()
    const name = (job: ChipFloodJob) => `${job.runtime}/${job.build}, ${job.spec.label} for ${job.spec.seconds} s`
    progress(`${jobs.length} floods on the emulated Pico, ${workers} at a time`)
    const rows = await runChipFloods(jobs, workers, {
        started: job => progress(`${name(job)}: started`),
        progress: (job, seconds) => progress(`${name(job)}: ${Math.floor(seconds)} s emulated`),
        done: (job, row) =>
            progress(
                `${name(job)}: done in ${row.wallSeconds} s; offered ${row.offeredBytes}, discarded ${row.discardedBytes} bytes; ${row.answers} answers ${row.exact}; heap peak ${row.peakHeapBytes} (idle ${row.idleHeapBytes}); resets ${row.resets}, panics ${row.panics}`,
            ),
    })
    const published = !quick && isEveryBuild(builds) && runtimes.length === RUNTIME_FLAVOURS.length
    const figures = chipFloodFigures(rows, published ? FULL_COMMAND : commandLine(quick, builds, runtimes), (Date.now() - started) / 1000)
    const written = writeChipFloods(figures, published)
    console.log(chipFloodRowsTable(chipFloodRows(figures)).join("\n"))
    progress(`done: ${written.join(", ")}`)
    return { failed: rows.some(chipFloodFailed) }
}

function commandLine(quick: boolean, builds: BuildName[], runtimes: RuntimeFlavour[]): string {
    const parts = [FULL_COMMAND]
    if (quick) parts.push("--quick")
    if (!isEveryBuild(builds)) parts.push(...builds.map(b => `--build ${b}`))
    if (runtimes.length === 1) parts.push(`--runtimes ${runtimes[0]}`)
    return parts.join(" ")
}

/** Writes the run's figures; returns what it wrote (relative to the project). */
function writeChipFloods(figures: ChipFloodFigures, published: boolean): string[] {
    const out = join(ROOT, "reports", ...(published ? [] : ["quick"]))
    mkdirSync(out, { recursive: true })
    const file = join(out, "chip-floods.json")
    writeFileSync(file, JSON.stringify({ generatedAt: new Date().toISOString(), chipFlood: figures }, null, 2) + "\n")
    if (!published) return [relative(ROOT, file)]
    const summary = withoutHeapSeries(figures)
    recordReliability("chipFlood", summary)
    // beside the comparison's figures too, where npm run compare keeps it
    const comparePath = join(out, "compare.json")
    const compare = existsSync(comparePath) ? (JSON.parse(readFileSync(comparePath, "utf8")) as Record<string, unknown>) : {}
    writeFileSync(comparePath, JSON.stringify({ ...compare, chipFlood: summary }, null, 2) + "\n")
    return [relative(ROOT, file), "reports/reliability.json", "reports/compare.json", "docs/reliability.md"]
}

/** The figures without each flood's heap over time (reports/chip-floods.json keeps that). */
function withoutHeapSeries(figures: ChipFloodFigures): ChipFloodFigures {
    const copy = structuredClone(figures)
    for (const runtime of RUNTIME_FLAVOURS) for (const build of Object.values(copy[runtime] ?? {})) for (const row of build.floods) delete row.heapPeakBySecond
    return copy
}
