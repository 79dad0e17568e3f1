// Boots each build in the instrumented VM on virtual time and prints its VM
// work while idle and its live heap, idle and with 4 requests in flight; twice,
// to show the figures repeat exactly. Run `npm run build` first.
//   npx tsx tools/compare/countersDemo.ts
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Simulation } from "../../test/harness/simulation.js"
import { build, programPath } from "../build.js"
import { counters, heapLiveBytes, instrumentedModuleOptions, type VmCounters } from "./instrumentedVm.js"

export const EMPTY = { name: "empty", entry: "tools/compare/emptyProgram.ts" }
const SETTLE_UNTIL_MS = 2000
const IDLE_MS = 10_000
const IN_FLIGHT = 4

export interface DemoFigures {
    build: string
    instructionsPerSec: number
    fiberRunsPerSec: number
    wakeupsPerSec: number
    heapIdleBytes: number
    /** With IN_FLIGHT presses made 50 ms before; none for the empty program, which has no requests. */
    heapInFlightBytes?: number
}

function delta(after: VmCounters, before: VmCounters, key: keyof VmCounters, seconds: number) {
    return (after[key] - before[key]) / seconds
}

export async function measure(build: string): Promise<DemoFigures> {
    const sim = await Simulation.start({ program: readFileSync(programPath(build)), moduleOptions: instrumentedModuleOptions() })
    try {
        if (build !== EMPTY.name) await sim.untilReady()
        await sim.advance(SETTLE_UNTIL_MS - sim.now)
        const before = counters(sim.module)
        await sim.advance(IDLE_MS)
        const after = counters(sim.module)
        const seconds = IDLE_MS / 1000
        const figures: DemoFigures = {
            build,
            instructionsPerSec: delta(after, before, "instructions", seconds),
            fiberRunsPerSec: delta(after, before, "fiberRuns", seconds),
            wakeupsPerSec: delta(after, before, "hostWakeups", seconds),
            heapIdleBytes: heapLiveBytes(sim.module),
        }
        if (build !== EMPTY.name) {
            for (let i = 0; i < IN_FLIGHT; i++) await sim.press()
            await sim.advance(50)
            const reqs = sim.bodies().filter(b => b.startsWith("REQ")).length
            if (reqs !== IN_FLIGHT) throw new Error(`${build}: ${reqs} REQ for ${IN_FLIGHT} presses`)
            figures.heapInFlightBytes = heapLiveBytes(sim.module)
        }
        const crashes = sim.crashes()
        if (crashes.length) throw new Error(`${build}: the VM crashed:\n${crashes.join("\n")}`)
        return figures
    } finally {
        sim.stop()
    }
}

async function main() {
    for (const name of ["superloop", "async"]) {
        if (!existsSync(programPath(name))) throw new Error(`no ${programPath(name)}: run npm run build first`)
    }
    build(EMPTY.name, EMPTY.entry)
    const builds = ["superloop", "async", EMPTY.name]
    const runs: DemoFigures[][] = []
    for (let run = 0; run < 2; run++) {
        const figures: DemoFigures[] = []
        for (const name of builds) figures.push(await measure(name))
        runs.push(figures)
    }
    console.log(`idle: ${IDLE_MS / 1000} s of virtual time from t=${SETTLE_UNTIL_MS} ms; heap: live bytes after a full GC`)
    console.table(
        runs[0].map(f => ({
            build: f.build,
            "instructions/s": f.instructionsPerSec,
            "fiber runs/s": f.fiberRunsPerSec,
            "host wakeups/s": f.wakeupsPerSec,
            "heap idle B": f.heapIdleBytes,
            [`heap ${IN_FLIGHT} in flight B`]: f.heapInFlightBytes ?? "-",
        })),
    )
    const same = JSON.stringify(runs[0]) === JSON.stringify(runs[1])
    console.log(same ? "second run: identical figures" : `second run DIFFERS:\n${JSON.stringify(runs[1], null, 2)}`)
    if (!same) process.exitCode = 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    main().catch(e => {
        console.error((e as Error).message)
        process.exit(1)
    })
}
