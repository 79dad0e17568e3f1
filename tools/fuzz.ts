// `npm run fuzz -- [--runs N] [--seed S] [--build superloop|async]`: long fuzzing runs of the serial input.
import { readFileSync } from "node:fs"
import fc from "fast-check"
import { serialProperty } from "../test/fuzz/serialFuzz.js"
import { buildAll, type BuildName, BUILDS, programPath, Simulation } from "../sim/index.js"
import { runMain } from "./errors.js"
import { parseOptions } from "./options.js"

const USAGE = "usage: npm run fuzz -- [--runs N] [--seed S] [--build superloop|async] [--no-build]"
const HELP = [
    "Feeds random serial input to a build in the simulator and checks every answer against the model of the protocol.",
    "  --runs N      inputs per build (default 10,000)",
    "  --seed S      repeat a run (the seed is printed)",
    "  --build NAME  only superloop or async (default: both)",
    "  --no-build    use the builds in built/ as they are",
].join("\n")

async function fuzz(build: BuildName, runs: number, seed: number) {
    const started = Date.now()
    let done = 0
    const every = Math.max(100, Math.round(runs / 20))
    const start = async () => {
        const sim = await Simulation.start({ program: readFileSync(programPath(build)) })
        await sim.untilReady()
        return sim
    }
    const { property, stop } = serialProperty(start, () => {
        if (++done % every === 0) console.error(`  ${build}: ${done.toLocaleString("en-US")} / ${runs.toLocaleString("en-US")} inputs`)
    })
    const result = await fc.check(property, { numRuns: runs, seed })
    stop()
    const seconds = (Date.now() - started) / 1000
    if (result.failed) {
        console.log(`${build}: FAILED after ${result.numRuns} inputs (seed ${seed}); minimal input, to add to test/fuzz/regressions.json:`)
        console.log(JSON.stringify(result.counterexample?.[0]))
        console.log(String(result.errorInstance instanceof Error ? result.errorInstance.message : result.errorInstance))
        return false
    }
    console.log(`${build}: ${result.numRuns.toLocaleString("en-US")} inputs, all as the model of the protocol (docs/protocol.md) says, in ${seconds.toFixed(0)} s (seed ${seed})`)
    return true
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { runs: "number", seed: "number", build: "string", "no-build": "flag" }, USAGE, HELP)
    const runs = options.runs ?? 10_000
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number above 0, not ${runs}`)
    const builds = options.build ? [options.build] : (Object.keys(BUILDS) as BuildName[])
    for (const build of builds) {
        if (!(build in BUILDS)) throw new Error(`unknown build ${build}: choose superloop or async`)
    }
    if (!options["no-build"]) buildAll(builds as BuildName[])
    let ok = true
    for (const build of builds) ok = (await fuzz(build as BuildName, runs, options.seed ?? Date.now() % 1_000_000)) && ok
    process.exit(ok ? 0 : 1)
}

runMain(main)
