// `npm run soak -- [--cycles N] [--build NAME] [--no-build]`: the soak of host/checks/soak.ts (test/src/soak runs it too), with its heap figures
// written into docs/reliability.md (for the default 10,000 cycles on both builds).
import { Simulation } from "../../sim/index.js"
import { BUILD_CHOICES, buildOrCheck, chosenBuilds, isEveryBuild } from "../lib/builds.js"
import { GROWTH_BOUND_BYTES, HEAP_BOUND_BYTES, SOAK_CYCLES, soak } from "../../host/checks/index.js"
import { runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { recordReliability, type SoakFigures } from "../lib/reliability.js"

const USAGE = `usage: npm run soak -- [--cycles N] [--build ${BUILD_CHOICES}] [--no-build]`

async function main() {
    const args = process.argv.slice(2)
    if (args.includes("--help")) {
        console.log(`${USAGE}\n  --cycles N   request cycles per build, a multiple of 16 (default ${SOAK_CYCLES.toLocaleString("en-US")}; only that writes docs/reliability.md)`)
        return
    }
    const options = parseOptions(args, { cycles: "number", build: "string", "no-build": "flag" }, USAGE)
    const cycles = options.cycles ?? SOAK_CYCLES
    if (!Number.isInteger(cycles) || cycles < 16 || cycles % 16 !== 0) throw new Error(`--cycles must be a whole multiple of 16, not ${cycles}; ${USAGE}`)
    const builds = chosenBuilds(options.build)
    buildOrCheck(builds, options["no-build"])
    const figures: SoakFigures = {
        command: "npm run soak",
        date: new Date().toISOString().slice(0, 10),
        cycles,
        bounds: { aboveIdleBytes: HEAP_BOUND_BYTES, growthBytes: GROWTH_BOUND_BYTES },
        builds: {},
    }
    let ok = true
    // binaryen takes seconds to load: only now, so that --help and bad arguments answer at once
    const { heapLiveBytes, instrumentedModuleOptions } = await import("../../sim/instrumentedVm.js")
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
    if (ok && cycles === SOAK_CYCLES && isEveryBuild(builds)) {
        recordReliability("soak", figures)
        console.log("docs/reliability.md: its figures now show this run")
    }
    process.exit(ok ? 0 : 1)
}

runMain(main)
