// `npm run soak -- [--cycles N] [--build superloop|async] [--no-build]`: the soak of sim/checks/soak.ts (test/soak runs it too), with its heap figures
// written into the README's "Reliability" section (for the default 10,000 cycles on both builds).
import { readFileSync } from "node:fs"
import { Simulation } from "../sim/index.js"
import { BUILDS, buildAll, programPath, type BuildName } from "../host/index.js"
import { GROWTH_BOUND_BYTES, HEAP_BOUND_BYTES, SOAK_CYCLES, soak } from "../host/checks/index.js"
import { heapLiveBytes, instrumentedModuleOptions } from "../sim/instrumentedVm.js"
import { runMain } from "./errors.js"
import { parseOptions } from "./options.js"
import { recordReliability, type SoakFigures } from "./reliability.js"

const USAGE = "usage: npm run soak -- [--cycles N] [--build superloop|async] [--no-build]"

async function main() {
    const args = process.argv.slice(2)
    if (args.includes("--help")) {
        console.log(`${USAGE}\n  --cycles N   request cycles per build, a multiple of 16 (default ${SOAK_CYCLES.toLocaleString("en-US")}; only that writes README.md)`)
        return
    }
    const options = parseOptions(args, { cycles: "number", build: "string", "no-build": "flag" }, USAGE)
    const cycles = options.cycles ?? SOAK_CYCLES
    if (!Number.isInteger(cycles) || cycles < 16 || cycles % 16 !== 0) throw new Error(`--cycles must be a whole multiple of 16, not ${cycles}; ${USAGE}`)
    const builds = (options.build ? [options.build] : Object.keys(BUILDS)) as BuildName[]
    for (const build of builds) if (!(build in BUILDS)) throw new Error(`unknown build ${build}: choose superloop or async`)
    if (!options["no-build"]) buildAll(builds)
    const figures: SoakFigures = {
        command: "npm run soak",
        date: new Date().toISOString().slice(0, 10),
        cycles,
        bounds: { aboveIdleBytes: HEAP_BOUND_BYTES, growthBytes: GROWTH_BOUND_BYTES },
        builds: {},
    }
    let ok = true
    for (const build of builds) {
        const started = Date.now()
        const sim = await Simulation.start({ build, moduleOptions: instrumentedModuleOptions() })
        const heap = await soak(sim, () => heapLiveBytes(sim.module), cycles)
        sim.stop()
        const crashes = sim.crashes()
        const held = crashes.length === 0 && heap.endBytes - heap.idleBytes <= HEAP_BOUND_BYTES && Math.abs(heap.endBytes - heap.quarterBytes) <= GROWTH_BOUND_BYTES
        ok &&= held
        figures.builds[build] = heap
        const seconds = Math.round((Date.now() - started) / 1000)
        console.log(
            `${build}: ${cycles.toLocaleString("en-US")} cycles in ${seconds} s; live heap ${heap.idleBytes} bytes idle, ${heap.quarterBytes} after ${(cycles / 4).toLocaleString("en-US")} cycles, ${heap.endBytes} at the end: ${held ? "within" : "OUTSIDE"} the bounds (+${HEAP_BOUND_BYTES} over idle, ±${GROWTH_BOUND_BYTES} from a quarter to the end)${crashes.length ? `; crashed: ${crashes[0]}` : ""}`,
        )
    }
    if (ok && cycles === SOAK_CYCLES && builds.length === Object.keys(BUILDS).length) {
        recordReliability("soak", figures)
        console.log("README.md: the Reliability section now shows this run")
    }
    process.exit(ok ? 0 : 1)
}

runMain(main)
