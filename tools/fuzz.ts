// `npm run fuzz -- [--runs N] [--floods N] [--seed S] [--build superloop|async]`: long fuzzing runs of
// the serial input and of floods (rule 10 of docs/protocol.md), in generated cases that each start a fresh
// device. The saved regressions are replayed first; a new failing case, shrunk, is added to
// test/fuzz/regressions.json, where it fails again on its own. A run of both builds writes what it found,
// passed or failed, into the README's "Reliability" section.
import { readFileSync } from "node:fs"
import fc from "fast-check"
import { BUILDS, buildAll, programPath, type BuildName, Simulation } from "../sim/index.js"
import {
    type FloodInput,
    type FuzzCase,
    type CaseProperty,
    type FuzzInput,
    type FuzzOptions,
    FLOODS_PER_CASE,
    SERIAL_INPUTS_PER_CASE,
    floodProperty,
    floodStats,
    fuzzToFailure,
    serialProperty,
    addRegression,
    regressionsOf,
} from "../sim/checks/index.js"
import { oneLine, runMain } from "./errors.js"
import { parseOptions } from "./options.js"
import { type FuzzBuildFigures, type FuzzFigures, recordReliability } from "./reliability.js"

const USAGE = "usage: npm run fuzz -- [--runs N] [--floods N] [--seed S] [--build superloop|async] [--no-build]"
const DEFAULT_RUNS = 10_000
const DEFAULT_FLOODS = 200
const SHRINK_MS = 180_000
const HELP = [
    "Feeds random serial input and floods to a build in the simulator and checks every answer against the model of the protocol.",
    `Each generated case starts a fresh device, brings its seq to a random value (mostly 0) and runs 1 to ${SERIAL_INPUTS_PER_CASE} inputs (1 to ${FLOODS_PER_CASE} floods) on it.`,
    `  --runs N      generated serial inputs per build (default ${DEFAULT_RUNS.toLocaleString("en-US")}; the last case may take a few more)`,
    `  --floods N    generated floods per build (default ${DEFAULT_FLOODS}; 0: none)`,
    "  --seed S      fast-check's seed (default: from the clock; printed, to repeat a run)",
    "  --build NAME  only superloop or async (default: both)",
    "  --no-build    use the builds in built/ as they are",
    `A failing case is shrunk (for at most ${SHRINK_MS / 60_000} minutes), replayed once on a fresh device and added to test/fuzz/regressions.json.`,
    'A run of both builds writes what it found into README.md ("Reliability"), passed or failed.',
].join("\n")

type Kind = "serial" | "flood"

async function start(build: BuildName) {
    const sim = await Simulation.start({ program: readFileSync(programPath(build)) })
    await sim.untilReady()
    return sim
}

interface Outcome {
    seconds: number
    /** The failure's first line, if the property failed (its shrunk case is then in the regressions). */
    failure?: string
}

/** Runs one property on one build: how long it took, and how it failed (after saving the shrunk failing case). */
async function fuzz(build: BuildName, kind: Kind, runs: number, seed: number): Promise<Outcome> {
    const started = Date.now()
    Object.assign(floodStats, { floods: 0, withDiscards: 0, overflows: 0, offeredBytes: 0, discardedBytes: 0 })
    let done = 0
    const every = Math.max(kind === "serial" ? 100 : 10, Math.round(runs / 20))
    const noun = kind === "serial" ? "inputs" : "floods"
    const afterEachInput = () => {
        if (++done % every === 0) console.error(`  ${build}: ${done.toLocaleString("en-US")} / ${runs.toLocaleString("en-US")} ${noun}`)
    }
    const onFailure = () => console.error(`  ${build}: a case failed; shrinking it (at most ${SHRINK_MS / 1000} s)`)
    const options = { start: () => start(build), regressions: regressionsFor(kind), inputs: runs, afterEachInput, onFailure, shrinkMs: SHRINK_MS }
    const { counts, failure } = await fuzzToFailure(propertyOf(kind), options, seed)
    const seconds = Math.round((Date.now() - started) / 1000)
    const n = (x: number) => x.toLocaleString("en-US")
    const ran = `${n(counts.cases)} cases, ${n(counts.inputs)} ${noun}`
    if (failure) {
        const message = oneLine(failure.error)
        const why = `found by npm run fuzz (${build}, ${noun}, seed ${seed}, ${new Date().toISOString().slice(0, 10)}): ${message}`
        const added = addRegression({ why, property: kind === "flood" ? "flood" : undefined, case: failure.shrunk as FuzzCase<FuzzInput | FloodInput> })
        const where = counts.cases > 0 ? `in generated case ${n(counts.cases)} (${ran})` : `in saved regression ${counts.regressions}`
        console.log(`${build}: FAILED ${where} (seed ${seed}): ${message}`)
        console.log(`  shrunk in ${n(failure.shrinkCases)} cases to: ${JSON.stringify(failure.shrunk)}`)
        console.log(added ? "  added to test/fuzz/regressions.json: every test run replays it from now on" : "  already in test/fuzz/regressions.json")
        const again = failure.replayed && (await failsAgain(build, kind, failure.shrunk, seed))
        console.log(again ? "  replayed on a fresh device, as the tests will: it fails again on its own" : "  WARNING: replayed on a fresh device, it passed: this failure does not replay")
        const full = failure.error instanceof Error ? failure.error.message : String(failure.error)
        if (full !== message) console.log(full)
        return { seconds, failure: `${message.replace(/^the device strayed from the protocol /, "")} (${where}; shrunk case in the regressions)` }
    }
    console.log(`${build}: ${ran} (the saved regressions first), all as the model of the protocol (docs/protocol.md) says, in ${seconds} s (seed ${seed})`)
    if (kind === "flood") {
        console.log(`  ${n(floodStats.withDiscards)} of them made the device discard: ${n(floodStats.overflows)} ERR,OVF for ${n(floodStats.discardedBytes)} of ${n(floodStats.offeredBytes)} bytes`)
    }
    return { seconds }
}

type AnyCase = FuzzCase<unknown>

function regressionsFor(kind: Kind): AnyCase[] {
    return kind === "serial" ? regressionsOf("serial") : regressionsOf("flood")
}

/** The property of one kind, its input type left open: the cases it takes come from it or from regressionsFor. */
function propertyOf(kind: Kind): (options: FuzzOptions<unknown>) => CaseProperty<unknown> {
    return (kind === "serial" ? serialProperty : floodProperty) as (options: FuzzOptions<unknown>) => CaseProperty<unknown>
}

/** Whether `fuzzCase` fails again as a saved regression, alone: what every test run will do with it. */
async function failsAgain(build: BuildName, kind: Kind, fuzzCase: AnyCase, seed: number): Promise<boolean> {
    const replay = propertyOf(kind)({ start: () => start(build), regressions: [fuzzCase] })
    const result = await fc.check(replay.property, { ...replay.parameters, seed, endOnFailure: true })
    return result.failed
}

function wholeNumber(name: string, value: number | undefined, fallback: number, min: number): number {
    const n = value ?? fallback
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not ${n}; ${USAGE}`)
    return n
}

async function main() {
    const args = process.argv.slice(2)
    const options = parseOptions(args, { runs: "number", floods: "number", seed: "number", build: "string", "no-build": "flag" }, USAGE, HELP)
    const runs = wholeNumber("runs", options.runs, DEFAULT_RUNS, 1)
    const floods = wholeNumber("floods", options.floods, DEFAULT_FLOODS, 0)
    const seed = wholeNumber("seed", options.seed, Date.now() % 1_000_000, 0)
    const builds = options.build ? [options.build] : (Object.keys(BUILDS) as BuildName[])
    for (const build of builds) {
        if (!(build in BUILDS)) throw new Error(`unknown build ${build}: choose superloop or async`)
    }
    if (!options["no-build"]) buildAll(builds as BuildName[])
    const figures: FuzzFigures = { command: `npm run fuzz -- ${args.filter(a => a !== "--no-build").join(" ")}`.trim(), date: new Date().toISOString().slice(0, 10), seed, builds: {} }
    if (!args.includes("--seed")) figures.command += ` --seed ${seed}`
    let ok = true
    for (const build of builds as BuildName[]) {
        const inputs = await fuzz(build, "serial", runs, seed)
        const floodOutcome = floods > 0 ? await fuzz(build, "flood", floods, seed) : { seconds: 0 }
        ok &&= !inputs.failure && !floodOutcome.failure
        const entry: FuzzBuildFigures = { inputs: runs, inputSeconds: inputs.seconds, inputFailure: inputs.failure, floods, floodSeconds: floodOutcome.seconds, floodFailure: floodOutcome.failure }
        if (!floodOutcome.failure) {
            Object.assign(entry, { floodsWithDiscards: floodStats.withDiscards, overflows: floodStats.overflows, discardedBytes: floodStats.discardedBytes, offeredBytes: floodStats.offeredBytes })
        }
        figures.builds[build] = entry
    }
    // a run of both builds is recorded, failed or not: the README says what the last run found
    if (builds.length === Object.keys(BUILDS).length && floods > 0) {
        recordReliability("fuzz", figures)
        console.log("README.md: the Reliability section now shows this run")
    }
    process.exit(ok ? 0 : 1)
}

runMain(main)
