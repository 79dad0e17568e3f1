// The blocking comparison: every build, as it is and with the job (each variant), through the same scenario,
// in the VM on virtual time and on the emulated Pico on emulated time. Both repeat exactly from run to run.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { BUILD_NAMES, type BuildName, buildNamed, programPath, ROOT } from "../../../host/index.js"
import { bundleEntryVariant, ChipFiles, MissingChipFile, Simulation, startChip } from "../../../sim/index.js"
import { round } from "../../lib/stats.js"
import { scenarioFigures, type ScenarioFigures } from "./figures.js"
import { playBlockingScenario, ROUND_MS } from "./scenario.js"
import { buildVariant, VARIANT_KINDS, VARIANTS, variantName, variantSource, type VariantKind } from "./variants.js"

/**
 * Virtual µs one bytecode instruction takes in the VM here (on virtual time the VM would otherwise run in no
 * time at all, and the job would block nothing): on the emulated Pico, the seal of the 2 KB log, 55.4K
 * instructions by the VM's count, holds its reply's ACK back 155 ms; 155 ms / 55.4K = 2.8 µs.
 */
export const VM_US_PER_INSTRUCTION = 2.8
/** Five rounds: 35 presses, 25 replies, 10 timeouts, 5 seals per run; about 9 s of device time. */
export const DEFAULT_ROUNDS = 5

/** A build as it is, or one of its variants. */
export type Row = "baseline" | VariantKind
export type BuildFigures = Partial<Record<Row, ScenarioFigures>>
export type HostFigures = Partial<Record<BuildName, BuildFigures>>

export interface BlockingReport {
    settings: { rounds: number; chipRounds: number; roundMs: number; vmUsPerInstruction: number; chipRuntime: "fixed" }
    /** The job's sizes, as src/blocking/replyLog.ts sets them. */
    job: { logBytes: number; sealEvery: number; sliceBytes: number }
    vm: HostFigures | { skipped: string }
    chip: HostFigures | { skipped: string }
    wallSeconds: { vm: number; chip: number }
}

export interface BlockingOptions {
    rounds?: number
    /** Rounds on the emulated Pico (as `rounds` if not given; 0 skips it). */
    chipRounds?: number
    /** Whether to run the VM's part. */
    vm?: boolean
    /** Whether to run the emulated Pico's part (it needs the runtime with the timer fix and the boot ROM). */
    chip?: boolean
    /** The rows the emulated Pico runs (all of them would take it over two minutes): baseline, blocked and sliced. */
    chipRows?: readonly Row[]
    builds?: readonly BuildName[]
    progress?: (message: string) => void
}

export const ALL_ROWS: readonly Row[] = ["baseline", ...VARIANT_KINDS]
export const CHIP_ROWS: readonly Row[] = ["baseline", "blocked", "sliced"]

/** Every build's rows: as it is, then its variants. */
export function rowsOf(build: BuildName): Row[] {
    return ["baseline", ...VARIANTS.filter(v => v.build === build).map(v => v.kind)]
}

/** The job's sizes, read from its DeviceScript source. */
export function jobSizes(projectDir = ROOT): BlockingReport["job"] {
    const source = readFileSync(join(projectDir, "src/blocking/replyLog.ts"), "utf8")
    const constant = (name: string) => {
        const match = new RegExp(`^export const ${name} = (\\d+)$`, "m").exec(source)
        if (!match) throw new Error(`src/blocking/replyLog.ts has no \`export const ${name} = <n>\``)
        return Number(match[1])
    }
    return { logBytes: constant("LOG_BYTES"), sealEvery: constant("SEAL_EVERY"), sliceBytes: constant("SEAL_SLICE_BYTES") }
}

/** Runs one build or variant in the VM: the programs of the builds themselves are the built ones (npm run build). */
export async function vmFigures(build: BuildName, row: Row, rounds: number): Promise<ScenarioFigures> {
    // binaryen (the instrumented VM) takes seconds to load: only when the VM's part runs
    const { cpuTimeOptions } = await import("../../../sim/instrumentedVm.js")
    const program = row === "baseline" ? readFileSync(programPath(build)) : buildVariant(build, row)
    const sim = await Simulation.start({ build: row === "baseline" ? build : variantName(build, row), program, ...cpuTimeOptions(VM_US_PER_INSTRUCTION) })
    try {
        await sim.untilReady()
        return scenarioFigures(await playBlockingScenario(sim, rounds))
    } finally {
        sim.stop()
    }
}

/** Runs one build or variant on the emulated Pico, with the runtime at `runtime` (the one with the timer fix). */
export async function chipFigures(build: BuildName, row: Row, rounds: number, runtime: string): Promise<ScenarioFigures> {
    const { entry } = buildNamed(build)
    const name = variantName(build, row as VariantKind)
    const target = row === "baseline" ? build : { image: await bundleEntryVariant(name, variantSource(build, row), runtime, ROOT, entry), name }
    const sim = await startChip({ build: target, runtime: "fixed" })
    try {
        return scenarioFigures(await playBlockingScenario(sim, rounds))
    } finally {
        sim.stop()
    }
}

async function eachRow(
    builds: readonly BuildName[],
    only: readonly Row[] | undefined,
    measure: (build: BuildName, row: Row) => Promise<ScenarioFigures>,
): Promise<HostFigures> {
    const figures: HostFigures = {}
    for (const build of builds) {
        const rows: BuildFigures = {}
        for (const row of rowsOf(build).filter(r => !only || only.includes(r))) rows[row] = await measure(build, row)
        figures[build] = rows
    }
    return figures
}

/**
 * The figures of `blocking` in reports/compare.json: for each host, build and row, the scenario's figures. The
 * chip part runs the DeviceScript runtime with the timer fix (docs/chip.md), so that what it shows is the style's,
 * not the released runtime's lost wake-ups; without that runtime or the boot ROM it is skipped, saying why.
 */
export async function blockingComparison(options: BlockingOptions = {}): Promise<BlockingReport> {
    const { rounds = DEFAULT_ROUNDS, vm = true, chipRows = CHIP_ROWS, builds = BUILD_NAMES, progress = () => {} } = options
    const chipRounds = options.chipRounds ?? rounds
    const chip = (options.chip ?? true) && chipRounds > 0
    const seconds = (since: number) => round((performance.now() - since) / 1000, 1)
    const vmStart = performance.now()
    const vmFiguresOrSkip: BlockingReport["vm"] = vm
        ? await eachRow(builds, undefined, (build, row) => {
              progress(`  VM: ${build}, ${row}`)
              return vmFigures(build, row, rounds)
          })
        : { skipped: "not asked for" }
    const vmSeconds = seconds(vmStart)
    const chipStart = performance.now()
    let chipFiguresOrSkip: BlockingReport["chip"] = { skipped: "not asked for" }
    if (chip) {
        try {
            const { runtime } = await new ChipFiles({ projectDir: ROOT, flavour: "fixed" }).find()
            chipFiguresOrSkip = await eachRow(builds, chipRows, (build, row) => {
                progress(`  emulated Pico: ${build}, ${row}`)
                return chipFigures(build, row, chipRounds, runtime)
            })
        } catch (e) {
            if (!(e instanceof MissingChipFile)) throw e
            chipFiguresOrSkip = { skipped: e.message }
        }
    }
    return {
        settings: { rounds, chipRounds: chip ? chipRounds : 0, roundMs: ROUND_MS, vmUsPerInstruction: VM_US_PER_INSTRUCTION, chipRuntime: "fixed" },
        job: jobSizes(),
        vm: vmFiguresOrSkip,
        chip: chipFiguresOrSkip,
        wallSeconds: { vm: vmSeconds, chip: seconds(chipStart) },
    }
}
