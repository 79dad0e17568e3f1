// The instrumented VM (sim/instrumentedVm.ts) runs programs exactly as the
// plain one does, and its counters and heap figures mean what they say.
import { describe, expect, test } from "vitest"
import { readVmWasm, type Simulation } from "../../sim/index.js"
import { type BuildName, frame } from "../../host/index.js"
import { counters, dumpHeapStats, heapLiveBytes, heapStats, instrumentedModuleOptions, instrumentedVmWasm } from "../../sim/instrumentedVm.js"
import { shortScenario, simulate } from "../support/simulate.js"

const instrumented = () => simulate("async", { moduleOptions: instrumentedModuleOptions() })


describe("the instrumented VM", () => {
    test("is a valid binary with the VM's own exports and the instrumentation's", () => {
        const exportsOf = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map(e => e.name)
        const plain = exportsOf(readVmWasm() as Uint8Array<ArrayBuffer>)
        const rewritten = exportsOf(instrumentedVmWasm())
        expect(rewritten).toEqual(expect.arrayContaining(plain))
        expect(rewritten).toEqual(expect.arrayContaining(["instr_instructions", "instr_fiber_runs", "instr_devs_gc"]))
    })

    test.each(["superloop", "async"] as BuildName[])("sends the same frames, at the same times, as the plain VM (%s)", async name => {
        const plain = await shortScenario(await simulate(name))
        const sim = await simulate(name, { moduleOptions: instrumentedModuleOptions() })
        const rewritten = await shortScenario(sim)
        expect(rewritten.map(f => f.type)).toEqual(expect.arrayContaining(["RDY", "REQ", "ACK", "TMO", "ERR"]))
        expect(rewritten).toEqual(plain)
        expect(counters(sim.module).instructions).toBeGreaterThan(0)
    })

    test("counts instructions and fiber runs when the program runs, and only then", async () => {
        const sim = await instrumented()
        await sim.untilReady()
        await sim.advance(500)
        const booted = counters(sim.module)
        expect(booted.instructions).toBeGreaterThan(0)
        expect(booted.fiberRuns).toBeGreaterThan(0)
        expect(booted.fiberRunCalls).toBeGreaterThanOrEqual(booted.fiberRuns)
        expect(booted.hostWakeups).toBeGreaterThan(0)

        // no virtual time passes: nothing runs, even across a heap measurement
        heapLiveBytes(sim.module)
        expect(counters(sim.module)).toEqual(booted)

        await sim.press()
        await sim.advance(50)
        const pressed = counters(sim.module)
        expect(sim.bodies()).toContain("REQ,0")
        expect(pressed.instructions).toBeGreaterThan(booted.instructions)
        expect(pressed.fiberRuns).toBeGreaterThan(booted.fiberRuns)
        expect(pressed.framesIn).toBeGreaterThan(booted.framesIn)
    })

    test("measures live heap bytes that grow with requests in flight", async () => {
        const sim = await instrumented()
        await sim.untilReady()
        await sim.advance(500)
        const idle = heapStats(sim.module)
        expect(idle.liveBytes).toBeGreaterThan(1000)
        expect(idle.liveBytes + idle.freeBytes).toBe(idle.heapBytes)
        expect(heapLiveBytes(sim.module), "repeatable").toBe(idle.liveBytes)

        for (let i = 0; i < 4; i++) await sim.press()
        await sim.advance(50)
        expect(sim.bodies().filter(b => b.startsWith("REQ"))).toHaveLength(4)
        const inFlight = heapStats(sim.module)
        expect(inFlight.liveBytes).toBeGreaterThan(idle.liveBytes)
        expect(inFlight.byTag.activation.bytes).toBeGreaterThan(idle.byTag.activation.bytes)
    })

    test("walks the heap as the VM's own devs_dump_heap does", async () => {
        const sim = await instrumented()
        await sim.untilReady()
        const walked = heapStats(sim.module, { collect: false })
        dumpHeapStats(sim.module)
        const line = sim.log.at(-1) ?? ""
        const stats = /stats: (\d+) objects, (\d+) B used, (\d+) B free/.exec(line)
        expect(stats, line).not.toBeNull()
        expect(walked.liveBytes).toBe(Number(stats![2]))
        expect(walked.freeBytes).toBe(Number(stats![3]))
    })

    test("leaves no trace of a heap measurement", async () => {
        const measured = await instrumented()
        const untouched = await instrumented()
        for (const sim of [measured, untouched]) {
            await sim.untilReady()
            for (let i = 0; i < 3; i++) {
                if (sim === measured) heapLiveBytes(sim.module)
                await sim.press()
                await sim.advance(150)
            }
            await sim.inject(frame("RES,1,x"))
            await sim.advance(1500)
        }
        expect(measured.frames).toEqual(untouched.frames)
        expect(counters(measured.module)).toEqual(counters(untouched.module))
        expect(heapStats(measured.module, { collect: false })).toEqual(heapStats(untouched.module, { collect: false }))
    })
})
