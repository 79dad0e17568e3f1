// Protocol rules 1-3 and 7 (docs/protocol.md): requests, seq numbers, the in-flight limit, replies, timeouts and the LED.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../support/simulate.js"
import { frame, type Simulation } from "../../sim/index.js"

/** Presses, then returns the time of the press and the REQ it got. */
async function pressForReq(sim: Simulation) {
    const pressedAt = sim.now
    await sim.press()
    await sim.advance(100)
    const req = sim.frames.filter(f => f.at >= pressedAt && f.type === "REQ").at(-1)
    expect(req, "no REQ within 100 ms of a press").toBeDefined()
    return { pressedAt, req: req! }
}

describe.each(BUILD_NAMES)("%s build", build => {
    test("the first REQ is seq 0, within 100 ms of its press", async () => {
        const sim = await simulateReady(build)
        const { pressedAt, req } = await pressForReq(sim)
        expect(req.body).toBe("REQ,0")
        expect(req.at - pressedAt).toBeLessThanOrEqual(100)
    })

    test("seq counts accepted presses and wraps from 255 to 0", async () => {
        const sim = await simulateReady(build)
        const count = (type: string) => sim.frames.filter(f => f.type === type).length
        for (let i = 0; i < 258; i++) {
            await sim.press()
            await sim.until(() => count("REQ") === i + 1, 100, `REQ ${i}`)
            await sim.inject(frame(`RES,${i % 256},p`))
            await sim.until(() => count("ACK") === i + 1, 100, `ACK ${i}`)
        }
        const reqs = sim.frames.filter(f => f.type === "REQ").map(f => Number(f.fields[1]))
        expect(reqs).toEqual([...Array.from({ length: 256 }, (_, i) => i), 0, 1])
        expect(sim.frames.filter(f => f.type === "ACK")).toHaveLength(258)
    })

    test("a press with 4 in flight gets ERR,BUSY and uses no seq", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 5; i++) {
            await sim.press()
            await sim.advance(50)
        }
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "REQ,3", "ERR,BUSY"])
        await sim.inject(frame("RES,2,two"))
        await sim.advance(50)
        await sim.press()
        await sim.advance(50)
        expect(sim.bodies().slice(5)).toEqual(["ACK,2,two", "REQ,4"])
    })

    test("a burst of 100 presses gets 4 REQs and 96 ERR,BUSY, none lost", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 100; i++) await sim.press()
        await sim.until(() => sim.bodies().length === 100, 3000, "100 answers")
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "REQ,3", ...Array(96).fill("ERR,BUSY")])
        await sim.inject(frame("RES,3,last"))
        await sim.advance(100)
        expect(sim.bodies().at(-1)).toBe("ACK,3,last")
    })

    test("hold and up events are not presses", async () => {
        const sim = await simulateReady(build)
        await sim.button.hold()
        await sim.button.release()
        await sim.advance(200)
        expect(sim.bodies()).toEqual([])
        await sim.press()
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0"])
    })

    test("replies match by seq alone, in any order, and echo the payload byte for byte", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 3; i++) {
            await sim.press()
            await sim.advance(50)
        }
        const longPayload = "x,".repeat(34) // 68 bytes, commas included
        await sim.inject(frame("RES,2, a,b ,"))
        await sim.advance(50)
        await sim.inject(frame("RES,000,"))
        await sim.advance(50)
        await sim.inject(frame(`RES,01,${longPayload}`))
        await sim.advance(50)
        expect(sim.bodies().slice(3)).toEqual(["ACK,2, a,b ,", "ACK,0,", `ACK,1,${longPayload}`])
    })

    test("an accepted reply's checksum may be lower case, and its CR is optional", async () => {
        const sim = await simulateReady(build)
        await sim.press()
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,0,lower").toLowerCase().replace("res", "RES").replace("lower", "lower"))
        await sim.inject(frame("RES,1,nocr").replace("\r\n", "\n"))
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "ACK,0,lower", "ACK,1,nocr"])
    })

    test("TMO comes 1000 to 1100 ms after its REQ, and a later reply gets ERR,SEQ", async () => {
        const sim = await simulateReady(build)
        const { req } = await pressForReq(sim)
        await sim.advance(1100)
        const tmo = sim.frames.find(f => f.type === "TMO")
        expect(tmo?.body).toBe("TMO,0")
        expect(tmo!.at - req.at).toBeGreaterThanOrEqual(1000)
        expect(tmo!.at - req.at).toBeLessThanOrEqual(1100)
        await sim.inject(frame("RES,0,late"))
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "TMO,0", "ERR,SEQ,0"])
    })

    test("a timed-out request frees its place: 4 time out, 4 more are accepted", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 4; i++) await sim.press()
        await sim.advance(1200)
        for (let i = 0; i < 4; i++) await sim.press()
        await sim.advance(100)
        expect(sim.bodies()).toEqual([
            ...["REQ,0", "REQ,1", "REQ,2", "REQ,3"],
            ...["TMO,0", "TMO,1", "TMO,2", "TMO,3"],
            ...["REQ,4", "REQ,5", "REQ,6", "REQ,7"],
        ])
    })

    test("a reply to a seq never sent, or answered already, gets ERR,SEQ", async () => {
        const sim = await simulateReady(build)
        await sim.inject(frame("RES,0,none"))
        await sim.advance(100)
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,0,ok") + frame("RES,0,again") + frame("RES,255,never"))
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["ERR,SEQ,0", "REQ,0", "ACK,0,ok", "ERR,SEQ,0", "ERR,SEQ,255"])
    })

    test("the LED is on while requests are in flight and off after, each change within 100 ms", async () => {
        const sim = await simulateReady(build)
        expect(sim.led.isOn).toBe(false)
        await sim.press()
        await sim.advance(100)
        expect(sim.led.isOn).toBe(true)
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,0,a"))
        await sim.advance(100)
        expect(sim.led.isOn).toBe(true) // seq 1 is still in flight
        await sim.inject(frame("RES,1,b"))
        const repliedAt = sim.now
        await sim.advance(100)
        expect(sim.led.isOn).toBe(false)
        expect(sim.led.changes.at(-1)!.at - repliedAt).toBeLessThanOrEqual(100)
        await sim.press()
        await sim.advance(1200)
        expect(sim.bodies().at(-1)).toBe("TMO,2")
        expect(sim.led.isOn).toBe(false)
        expect(sim.led.changes.map(c => c.intensity > 0)).toEqual([true, false, true, false])
    })
})
