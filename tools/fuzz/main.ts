// `npm run fuzz -- [--runs N] [--floods N] [--seed S] [--build NAME]`: long fuzzing runs of
// the serial input and of floods (rule 10 of docs/protocol.md). The saved regressions are replayed first; a new failure,
// shrunk, is added to test/src/fuzz/regressions.json. A run of both builds writes what it found, passed or failed,
// into the README's "Reliability" section.
import fc from "fast-check"
import { Simulation } from "../../sim/index.js"
import { buildAll, type BuildName } from "../../host/index.js"
import { BUILD_CHOICES, chosenBuilds, isEveryBuild } from "../lib/builds.js"
import { floodProperty, floodStats, serialProperty, addRegression, regressionsOf } from "../../host/checks/index.js"
import { oneLine, runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { type FuzzBuildFigures, type FuzzFigures, recordReliability } from "../lib/reliability.js"

const USAGE = `usage: npm run fuzz -- [--runs N] [--floods N] [--seed S] [--build ${BUILD_CHOICES}] [--no-build]`
const DEFAULT_RUNS = 10_000
const DEFAULT_FLOODS = 200
const HELP = [
    "Feeds random serial input and floods to a build in the simulator and checks every answer against the model of the protocol.",
    `  --runs N      generated serial inputs per build (default ${DEFAULT_RUNS.toLocaleString("en-US")})`,
    `  --floods N    generated floods per build (default ${DEFAULT_FLOODS}; 0: none)`,
    "  --seed S      fast-check's seed (default: from the clock; printed, to repeat a run)",
    "  --build NAME  only this build (default: every build)",
    "  --no-build    use the builds in built/ as they are",
    'A run of both builds writes what it found into README.md ("Reliability"), passed or failed.',
].join("\n")

type Kind = "serial" | "flood"

async function start(build: BuildName) {
    const sim = await Simulation.start({ build })
    await sim.untilReady()
    return sim
}

interface Outcome {
    seconds: number
    /** The failure's first line, if the property failed (its shrunk input is then in the regressions). */
    failure?: string
}

/** Runs one property on one build: how long it took, and how it failed (after saving the shrunk failure). */
async function fuzz(build: BuildName, kind: Kind, runs: number, seed: number): Promise<Outcome> {
    const started = Date.now()
    Object.assign(floodStats, { floods: 0, withDiscards: 0, overflows: 0, offeredBytes: 0, discardedBytes: 0 })
    let done = 0
    const every = Math.max(kind === "serial" ? 100 : 10, Math.round(runs / 20))
    const noun = kind === "serial" ? "inputs" : "floods"
    const onRun = () => {
        if (++done % every === 0) console.error(`  ${build}: ${done.toLocaleString("en-US")} / ${runs.toLocaleString("en-US")} ${noun}`)
    }
    const examples = kind === "serial" ? regressionsOf("serial").map(i => [i]) : regressionsOf("flood").map(i => [i])
    const makeProperty = kind === "serial" ? serialProperty : floodProperty
    const { property, stop } = makeProperty(() => start(build), onRun, examples.length)
    const result = await fc.check(property as fc.IAsyncProperty<[unknown]>, { numRuns: runs, seed, examples: examples as [unknown][] })
    stop()
    const seconds = Math.round((Date.now() - started) / 1000)
    if (result.failed) {
        const message = oneLine(result.errorInstance)
        const input = result.counterexample?.[0]
        const why = `found by npm run fuzz (${build}, ${noun}, seed ${seed}, ${new Date().toISOString().slice(0, 10)}): ${message}`
        const added = input !== undefined && addRegression(kind === "serial" ? { why, input: input as never } : { why, property: "flood", input: input as never })
        console.log(`${build}: FAILED after ${result.numRuns} ${noun} (seed ${seed}): ${message}`)
        console.log(`  minimal input: ${JSON.stringify(input)}`)
        console.log(added ? "  added to test/src/fuzz/regressions.json: every test run replays it from now on" : "  already in test/src/fuzz/regressions.json")
        const full = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)
        if (full !== message) console.log(full)
        return { seconds, failure: `${message.replace(/^the device strayed from the protocol /, "")} (after ${result.numRuns} ${noun}; shrunk input in the regressions)` }
    }
    const total = result.numRuns.toLocaleString("en-US")
    console.log(`${build}: ${total} ${noun} (the saved regressions first), all as the model of the protocol (docs/protocol.md) says, in ${seconds} s (seed ${seed})`)
    if (kind === "flood") {
        const n = (x: number) => x.toLocaleString("en-US")
        console.log(`  ${n(floodStats.withDiscards)} of them made the device discard: ${n(floodStats.overflows)} ERR,OVF for ${n(floodStats.discardedBytes)} of ${n(floodStats.offeredBytes)} bytes`)
    }
    return { seconds }
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
    const builds = chosenBuilds(options.build)
    if (!options["no-build"]) buildAll(builds)
    const figures: FuzzFigures = { command: `npm run fuzz -- ${args.filter(a => a !== "--no-build").join(" ")}`.trim(), date: new Date().toISOString().slice(0, 10), seed, builds: {} }
    if (!args.includes("--seed")) figures.command += ` --seed ${seed}`
    let ok = true
    for (const build of builds) {
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
    if (isEveryBuild(builds) && floods > 0) {
        recordReliability("fuzz", figures)
        console.log("README.md: the Reliability section now shows this run")
    }
    process.exit(ok ? 0 : 1)
}

runMain(main)
