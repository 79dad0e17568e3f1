import { readFileSync } from "node:fs"
import { afterEach, expect } from "vitest"
import { Simulation, type SimulationOptions } from "../../sim/index.js"
import { type BuildName, BUILD_NAMES, frame, programPath } from "../../host/index.js"

export { BUILD_NAMES }

const programs = new Map<string, Uint8Array>()

export function program(name: BuildName): Uint8Array {
    let bytes = programs.get(name)
    if (!bytes) {
        bytes = readFileSync(programPath(name))
        programs.set(name, bytes)
    }
    return bytes
}

const running: Simulation[] = []

/** Starts a build in a fresh simulation; the test fails if the VM crashes in it. */
export async function simulate(
    name: BuildName,
    options: Omit<SimulationOptions, "program" | "build"> = {},
): Promise<Simulation> {
    const sim = await Simulation.start({ build: name, program: program(name), ...options })
    running.push(sim)
    return sim
}

/** Starts a build and runs it until it has sent RDY. */
export async function simulateReady(name: BuildName): Promise<Simulation> {
    const sim = await simulate(name)
    await sim.untilReady()
    return sim
}

/** Starts a build, ready, for a caller that stops it itself (the fuzz properties start one per case, hundreds a test). */
export async function startReady(name: BuildName): Promise<Simulation> {
    const sim = await Simulation.start({ build: name, program: program(name) })
    await sim.untilReady()
    return sim
}

afterEach(() => {
    for (const sim of running.splice(0)) {
        sim.stop()
        expect(sim.crashes(), "the VM crashed").toEqual([])
    }
})

/** Presses, a reply, a timeout and a malformed frame: a short run that touches every kind of work; the frames sent. */
export async function shortScenario(sim: Simulation) {
    await sim.untilReady()
    await sim.press()
    await sim.advance(300)
    await sim.inject(frame("RES,0,ok"))
    await sim.advance(100)
    await sim.press()
    await sim.press()
    await sim.advance(1200)
    await sim.inject("$RES,1\r\n")
    await sim.advance(200)
    return sim.frames
}
