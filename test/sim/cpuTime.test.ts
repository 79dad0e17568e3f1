// Bytecode that takes virtual time (sim/cpuTime.ts): a run of the VM lasts as long as its instructions, and the VM
// meets the world between runs only, as the runtime on a board does.
import { describe, expect, test } from "vitest"
import { type Simulation } from "../../sim/index.js"
import { frame, type BuildName } from "../../host/index.js"
import { cpuTimeOptions } from "../../sim/instrumentedVm.js"
import { shortScenario, simulate } from "../support/simulate.js"


const firstSince = (sim: Simulation, at: number, type: string) => sim.frames.find(f => f.at >= at && f.type === type)

describe("a VM whose bytecode takes time", () => {
    test.each(["superloop", "async"] as BuildName[])("at no cost per instruction, sends what the VM sends, when it does (%s)", async name => {
        const plain = await shortScenario(await simulate(name))
        const free = await shortScenario(await simulate(name, cpuTimeOptions(0)))
        expect(free.map(f => f.type)).toEqual(expect.arrayContaining(["RDY", "REQ", "ACK", "TMO", "ERR"]))
        expect(free).toEqual(plain)
    })

    test("answers a press as late as the instructions in between take", async () => {
        const pressToReq = async (usPerInstruction: number) => {
            const sim = await simulate("async", cpuTimeOptions(usPerInstruction))
            await sim.untilReady()
            await sim.advance(100)
            const pressedAt = sim.now
            await sim.press()
            await sim.advance(100)
            return firstSince(sim, pressedAt, "REQ")!.at - pressedAt
        }
        expect(await pressToReq(0)).toBe(0)
        const slow = await pressToReq(2.8)
        expect(slow).toBeGreaterThan(0)
        expect(await pressToReq(28)).toBeGreaterThan(5 * slow)
    })

    test("holds what comes in while a run lasts until it ends, and sends what it sent at the run's end", async () => {
        // at 100 µs an instruction, handling a reply (about 3,000 instructions) takes the VM some 300 ms
        const sim = await simulate("async", cpuTimeOptions(100))
        await sim.untilReady()
        await sim.press()
        await sim.advance(1000)
        const replyAt = sim.now
        await sim.inject(frame("RES,0,ok"))
        await sim.advance(20)
        const pressedAt = sim.now
        await sim.press()
        await sim.advance(1000)
        const ack = firstSince(sim, replyAt, "ACK")!
        const req = firstSince(sim, pressedAt, "REQ")!
        expect(ack.at - replyAt).toBeGreaterThan(200)
        expect(req.at).toBeGreaterThan(ack.at)
    })

    // runs of fractional lengths, which the clock's whole-ms timers must never cut short
    test.each(["superloop", "async"].flatMap(name => [2.8, 7.7, 13.1].map(cost => [name as BuildName, cost] as const)))(
        "keeps its clock in step: a timeout comes 1000 to 1100 ms after its REQ (%s, %f µs an instruction)",
        async (name, cost) => {
            const sim = await simulate(name, cpuTimeOptions(cost))
            await sim.untilReady()
            for (let i = 0; i < 5; i++) {
                await sim.advance(137 + i * 31.7)
                await sim.press()
            }
            await sim.advance(3000)
            const reqs = sim.frames.filter(f => f.type === "REQ")
            const tmos = sim.frames.filter(f => f.type === "TMO")
            expect(tmos.map(f => f.fields[1])).toEqual(reqs.map(f => f.fields[1]))
            for (const tmo of tmos) {
                const after = tmo.at - reqs.find(r => r.fields[1] === tmo.fields[1])!.at
                expect(after).toBeGreaterThanOrEqual(1000)
                expect(after).toBeLessThanOrEqual(1100)
            }
        },
    )
})
