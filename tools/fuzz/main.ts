// `npm run fuzz -- [--runs N] [--floods N] [--seed S] [--build NAME] [--minutes M]`: long fuzzing runs of
// the serial input and of floods (rule 10 of docs/protocol.md), in generated cases that each start a fresh
// device. The saved regressions are replayed first; a new failing case, shrunk, is added to
// test/src/fuzz/regressions.json, where it fails again on its own. Only the documented runs
// (see HELP) write what they found, passed or failed, into docs/reliability.md.
import fc from "fast-check"
import { Simulation } from "../../sim/index.js"
import { type BuildName } from "../../host/index.js"
import { BUILD_CHOICES, buildOrCheck, chosenBuilds } from "../lib/builds.js"
import { DOCUMENTED_CAMPAIGN, DOCUMENTED_RUN, publishesFigures } from "./documentedRuns.js"
import {
    type FloodInput,
    type FuzzCase,
    type CaseProperty,
    type FoundFailure,
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
} from "../../host/checks/index.js"
import { oneLine, runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { type FuzzBuildFigures, type FuzzFigures, recordReliability } from "../lib/reliability.js"

const n = (x: number) => x.toLocaleString("en-US")

const USAGE = `usage: npm run fuzz -- [--runs N] [--floods N] [--seed S] [--build ${BUILD_CHOICES}] [--minutes M] [--no-build]`
const DEFAULT_RUNS = 10_000
const DEFAULT_FLOODS = 200
/** Per seed in a campaign: a seed takes a minute or two, so a campaign tries many. */
const CAMPAIGN_RUNS = 2_000
const CAMPAIGN_FLOODS = 100
const SHRINK_MS = 180_000

const HELP = [
    "Feeds random serial input and floods to a build in the simulator and checks every answer against the model of the protocol.",
    `Each generated case starts a fresh device, brings its seq to a random value (mostly 0) and runs 1 to ${SERIAL_INPUTS_PER_CASE} inputs (1 to ${FLOODS_PER_CASE} floods) on it.`,
    `  --runs N      generated serial inputs per build and seed (default ${n(DEFAULT_RUNS)}, in a campaign ${n(CAMPAIGN_RUNS)}; the last case may take a few more)`,
    `  --floods N    generated floods per build and seed (default ${DEFAULT_FLOODS}, in a campaign ${CAMPAIGN_FLOODS}; 0: none)`,
    "  --seed S      fast-check's seed (default: from the clock; printed, to repeat a run)",
    "  --build NAME  only this build (default: every build)",
    "  --minutes M   a campaign: one seed after another, from the clock (or S, S+1, …), until M minutes have passed",
    "                (the seed in progress finishes) or a seed fails; progress by seed, then a summary of the seeds tried",
    "  --no-build    use the builds in built/ as they are",
    `A failing case is shrunk (for at most ${SHRINK_MS / 60_000} minutes), replayed once on a fresh device and added to test/src/fuzz/regressions.json.`,
    `Only the documented runs write what they found into docs/reliability.md and reports/, passed or failed: \`${DOCUMENTED_RUN}\``,
    `(every build, default --runs and --floods, any --seed) and \`${DOCUMENTED_CAMPAIGN}\` or longer; any other run prints its figures only.`,
].join("\n")

type Kind = "serial" | "flood"

async function start(build: BuildName) {
    const sim = await Simulation.start({ build })
    await sim.untilReady()
    return sim
}

interface Outcome {
    seconds: number
    /** Generated cases run (each a fresh device), and their inputs (or floods). */
    cases: number
    inputs: number
    /** The failure's first line, if the property failed (its shrunk case is then in the regressions). */
    failure?: string
}

const nounOf = (kind: Kind) => (kind === "serial" ? "inputs" : "floods")

/** What a run does besides its generated cases: replay the saved regressions first (a campaign, in its first round only), show progress within a seed (not in a campaign). */
interface Extras {
    regressions: boolean
    progress: boolean
}

/** Runs one property on one build: how long it took, and how it failed (after saving the shrunk failing case). */
async function fuzz(build: BuildName, kind: Kind, runs: number, seed: number, extras: Extras): Promise<Outcome> {
    const started = Date.now()
    Object.assign(floodStats, { floods: 0, withDiscards: 0, overflows: 0, offeredBytes: 0, discardedBytes: 0 })
    let done = 0
    const every = Math.max(kind === "serial" ? 100 : 10, Math.round(runs / 20))
    const afterEachInput = () => {
        if (++done % every === 0 && extras.progress) console.error(`  ${build}: ${n(done)} / ${n(runs)} ${nounOf(kind)}`)
    }
    const onFailure = () => console.error(`  ${build}: a case failed; shrinking it (at most ${SHRINK_MS / 1000} s)`)
    const options = { start: () => start(build), regressions: extras.regressions ? regressionsFor(kind) : [], inputs: runs, afterEachInput, onFailure, shrinkMs: SHRINK_MS }
    const { counts, failure } = await fuzzToFailure(propertyOf(kind), options, seed)
    const outcome: Outcome = { seconds: Math.round((Date.now() - started) / 1000), cases: counts.cases, inputs: counts.inputs }
    const ran = `${n(counts.cases)} cases, ${n(counts.inputs)} ${nounOf(kind)}`
    if (failure) {
        const where = counts.cases > 0 ? `in generated case ${n(counts.cases)}, after ${n(counts.inputs)} ${nounOf(kind)}` : `in saved regression ${counts.regressions}`
        await reportFailure(build, kind, seed, where, failure)
        return { ...outcome, failure: `${oneLine(failure.error).replace(/^the device strayed from the protocol /, "")} (${where}; shrunk case in the regressions)` }
    }
    console.log(`${build}: ${ran}${extras.regressions ? " (the saved regressions first)" : ""}, all as the model of the protocol (docs/protocol.md) says, in ${outcome.seconds} s (seed ${seed})`)
    if (kind === "flood") {
        console.log(`  ${n(floodStats.withDiscards)} of them made the device discard: ${n(floodStats.overflows)} ERR,OVF for ${n(floodStats.discardedBytes)} of ${n(floodStats.offeredBytes)} bytes`)
    }
    return outcome
}

/** Prints a failure, saves its shrunk case in the regressions, and checks that the saved case fails again on its own. */
async function reportFailure(build: BuildName, kind: Kind, seed: number, where: string, failure: FoundFailure<unknown>) {
    const message = oneLine(failure.error)
    const why = `found by npm run fuzz (${build}, ${nounOf(kind)}, seed ${seed}, ${new Date().toISOString().slice(0, 10)}): ${message}`
    const added = addRegression({ why, property: kind === "flood" ? "flood" : undefined, case: failure.shrunk as FuzzCase<FuzzInput | FloodInput> })
    console.log(`${build}: FAILED ${where} (seed ${seed}): ${message}`)
    console.log(`  shrunk in ${n(failure.shrinkCases)} cases to: ${JSON.stringify(failure.shrunk)}`)
    console.log(added ? "  added to test/src/fuzz/regressions.json: every test run replays it from now on" : "  already in test/src/fuzz/regressions.json")
    const again = failure.replayed && (await failsAgain(build, kind, failure.shrunk, seed))
    console.log(again ? "  replayed on a fresh device, as the tests will: it fails again on its own" : "  WARNING: replayed on a fresh device, it passed: this failure does not replay")
    const full = failure.error instanceof Error ? failure.error.message : String(failure.error)
    if (full !== message) console.log(full)
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

/** One seed on each build: its serial inputs, then its floods. */
async function fuzzSeed(builds: BuildName[], runs: number, floods: number, seed: number, extras: Extras) {
    const results: { build: BuildName; inputs: Outcome; floods: Outcome; figures: FuzzBuildFigures }[] = []
    for (const build of builds) {
        const inputs = await fuzz(build, "serial", runs, seed, extras)
        const floodOutcome = floods > 0 ? await fuzz(build, "flood", floods, seed, extras) : { seconds: 0, cases: 0, inputs: 0 }
        const figures: FuzzBuildFigures = {
            inputs: runs,
            inputCases: inputs.cases,
            inputSeconds: inputs.seconds,
            inputFailure: inputs.failure,
            floods,
            floodCases: floodOutcome.cases,
            floodSeconds: floodOutcome.seconds,
            floodFailure: floodOutcome.failure,
        }
        if (!floodOutcome.failure) {
            Object.assign(figures, { floodsWithDiscards: floodStats.withDiscards, overflows: floodStats.overflows, discardedBytes: floodStats.discardedBytes, offeredBytes: floodStats.offeredBytes })
        }
        results.push({ build, inputs, floods: floodOutcome, figures })
    }
    return results
}

const today = () => new Date().toISOString().slice(0, 10)

/** One run of one seed, as the published fixed-seed figures come from. */
async function fuzzOnce(args: string[], builds: BuildName[], runs: number, floods: number, seed: number, publish: boolean): Promise<boolean> {
    const figures: FuzzFigures = { command: `npm run fuzz -- ${args.filter(a => a !== "--no-build").join(" ")}`.trim(), date: today(), seed, builds: {} }
    if (!args.includes("--seed")) figures.command += ` --seed ${seed}`
    const results = await fuzzSeed(builds, runs, floods, seed, { regressions: true, progress: true })
    for (const { build, figures: entry } of results) figures.builds[build] = entry
    // the documented run is recorded, failed or not: docs/reliability.md says what the last one found
    if (publish) {
        recordReliability("fuzz", figures)
        console.log("docs/reliability.md: its figures now show this run")
    } else console.log(`(not written to docs/ or reports/: only \`${DOCUMENTED_RUN}\`, with its default settings, writes the published figures)`)
    return results.every(r => !r.inputs.failure && !r.floods.failure)
}

/**
 * Seeds one after another until `minutes` have passed (the seed in progress
 * finishes) or a seed fails: from the clock, or `firstSeed`, `firstSeed + 1`, …
 */
async function campaign(args: string[], builds: BuildName[], runs: number, floods: number, minutes: number, firstSeed: number | undefined, publish: boolean): Promise<boolean> {
    const started = Date.now()
    const elapsedMinutes = () => (Date.now() - started) / 60_000
    const seeds: number[] = []
    const totals = new Map(builds.map(b => [b, { inputCases: 0, inputs: 0, floodCases: 0, floods: 0 }]))
    let failure: string | undefined
    while (elapsedMinutes() < minutes && failure === undefined) {
        const seed = firstSeed === undefined ? clockSeed(seeds) : firstSeed + seeds.length
        seeds.push(seed)
        console.log(`seed ${seed}: round ${seeds.length}, ${elapsedMinutes().toFixed(1)} of ${minutes} minutes gone`)
        for (const result of await fuzzSeed(builds, runs, floods, seed, { regressions: seeds.length === 1, progress: false })) {
            const total = totals.get(result.build)!
            total.inputCases += result.inputs.cases
            total.inputs += result.inputs.inputs
            total.floodCases += result.floods.cases
            total.floods += result.floods.inputs
            const failed = result.inputs.failure ?? result.floods.failure
            if (failed && failure === undefined) failure = `${result.build}, seed ${seed}: ${failed}`
        }
    }
    const took = Math.round(elapsedMinutes() * 10) / 10
    const seedCount = `${seeds.length} seed${seeds.length === 1 ? "" : "s"}`
    console.log(`\ncampaign: ${seedCount} in ${took} min (${seeds.join(", ")}), ${failure ? `FAILED: ${failure}` : "all passed"}`)
    for (const [build, t] of totals) console.log(`  ${build}: ${n(t.inputs)} inputs in ${n(t.inputCases)} cases, ${n(t.floods)} floods in ${n(t.floodCases)} cases`)
    if (publish) {
        const command = `npm run fuzz -- ${args.filter(a => a !== "--no-build").join(" ")}`
        recordReliability("fuzzCampaign", { command, date: today(), minutes: took, seeds, builds: Object.fromEntries(totals), failure })
        console.log("docs/reliability.md: its figures now show this campaign")
    } else console.log(`(not written to docs/ or reports/: only \`${DOCUMENTED_CAMPAIGN}\` or longer writes the published figures)`)
    return failure === undefined
}

/** The clock's seed, unless a seed already tried has it. */
function clockSeed(tried: number[]): number {
    let seed = Date.now() % 1_000_000
    while (tried.includes(seed)) seed = (seed + 1) % 1_000_000
    return seed
}

async function main() {
    const args = process.argv.slice(2)
    const spec = { runs: "number", floods: "number", seed: "number", build: "string", "no-build": "flag", minutes: "number" } as const
    const options = parseOptions(args, spec, USAGE, HELP)
    const minutes = options.minutes
    if (minutes !== undefined && !(minutes > 0)) throw new Error(`--minutes must be more than 0, not ${minutes}; ${USAGE}`)
    const runs = wholeNumber("runs", options.runs, minutes ? CAMPAIGN_RUNS : DEFAULT_RUNS, 1)
    const floods = wholeNumber("floods", options.floods, minutes ? CAMPAIGN_FLOODS : DEFAULT_FLOODS, 0)
    const builds = chosenBuilds(options.build)
    const seed = options.seed === undefined ? undefined : wholeNumber("seed", options.seed, 0, 0)
    const publish = publishesFigures({ builds, runs: options.runs, floods: options.floods, minutes })
    buildOrCheck(builds, options["no-build"])
    const ok = minutes
        ? await campaign(args, builds, runs, floods, minutes, seed, publish)
        : await fuzzOnce(args, builds, runs, floods, seed ?? Date.now() % 1_000_000, publish)
    process.exit(ok ? 0 : 1)
}

runMain(main)
