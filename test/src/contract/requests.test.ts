// Protocol rules 1-3 and 7 (docs/protocol.md): requests, seq numbers, the in-flight limit, replies, timeouts and the LED.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { autoReply, type Simulation } from "../../../sim/index.js"
import { frame } from "../../../host/index.js"

/** Presses, then returns the time of the press and the REQ it got (looked for over 300 ms, so a late one is seen late). */
async function pressForReq(sim: Simulation) {
    const pressedAt = sim.now
    await sim.press()
    await sim.advance(300)
    const req = sim.frames.find(f => f.at >= pressedAt && f.type === "REQ")
    expect(req, "no REQ within 300 ms of a press").toBeDefined()
    return { pressedAt, req: req! }
}

describe.each(BUILD_NAMES)("%s build", build => {
    test("the first REQ is seq 0, within 100 ms of its press", async () => {
        const sim = await simulateReady(build)
        const { pressedAt, req } = await pressForReq(sim)
        expect(req.body).toBe("REQ,0")
        expect(req.at - pressedAt).toBeLessThanOrEqual(100)
        expect(sim.bodies()).toEqual(["REQ,0"])
    })

    test("seq counts accepted presses and wraps from 255 to 0", async () => {
        const sim = await simulateReady(build)
        const count = (type: string) => sim.frames.filter(f => f.type === type).length
        for (let i = 0; i < 258; i++) {
            await sim.press()
            await sim.until(() => count("REQ") === i + 1, 100, `REQ ${i}`)
            await sim.inject(frame(`RES,${i % 256},p${i}`))
            await sim.until(() => count("ACK") === i + 1, 100, `ACK ${i}`)
        }
        // seq by seq: each REQ, then the ACK that echoes its own reply
        expect(sim.bodies()).toEqual(Array.from({ length: 258 }, (_, i) => [`REQ,${i % 256}`, `ACK,${i % 256},p${i}`]).flat())
    }, 120_000) // 258 request cycles: slow on a busy machine

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
        await sim.advance(500)
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "REQ,3", ...Array(96).fill("ERR,BUSY")])
        await sim.inject(frame("RES,3,last"))
        await sim.advance(100)
        expect(sim.bodies().at(-1)).toBe("ACK,3,last")
    })

    test("100 presses at 100 a second, the peer answering after 30 ms: each press answered within 100 ms, in order", async () => {
        const sim = await simulateReady(build)
        autoReply(sim, { replyDelayMs: 30, payload: seq => `r${seq}` })
        const pressedAt: number[] = []
        for (let i = 0; i < 100; i++) {
            pressedAt.push(sim.now)
            await sim.press()
            await sim.advance(10)
        }
        await sim.advance(500)
        const answers = sim.frames.filter(f => f.type === "REQ" || f.body === "ERR,BUSY")
        expect(answers).toHaveLength(100)
        const late = answers.map((f, i) => ({ press: i, ms: f.at - pressedAt[i] })).filter(a => a.ms > 100)
        expect(late, "presses answered more than 100 ms later").toEqual([])
        expect(sim.bodies().filter(b => b.startsWith("ACK"))).toHaveLength(answers.filter(f => f.type === "REQ").length)
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
        for (let i = 0; i < 4; i++) await sim.press()
        await sim.advance(100)
        // checksums written out: RES,0,x is 0C, RES,1,z 0F, RES,2,mixed 0B, RES,3,lf 7D
        await sim.inject("$RES,0,x*0c\r\n")
        await sim.inject("$RES,1,z*0f\n")
        await sim.inject("$RES,2,mixed*0B\r\n")
        await sim.inject("$RES,3,lf*7d\n")
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "REQ,3", "ACK,0,x", "ACK,1,z", "ACK,2,mixed", "ACK,3,lf"])
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
        await sim.advance(300)
        expect(sim.led.isOn).toBe(false)
        expect(sim.led.changes.at(-1)!.at - repliedAt).toBeLessThanOrEqual(100)
        await sim.press()
        await sim.advance(1200)
        expect(sim.bodies().at(-1)).toBe("TMO,2")
        expect(sim.led.isOn).toBe(false)
        expect(sim.led.changes.map(c => c.intensity > 0)).toEqual([true, false, true, false])
    })

    test.each([0, 3, 10])(
        "the LED catches up under the packet throttle: pressed again %i ms after an ACK, it is on again",
        async gapMs => {
            const sim = await simulateReady(build)
            for (let i = 0; i < 6; i++) await sim.inject(frame(`RES,${100 + i},x`, "00"))
            await sim.press()
            await sim.inject(frame("RES,0,fast"))
            for (let waited = 0; !sim.bodies().includes("ACK,0,fast"); waited++) {
                expect(waited, "no ACK within 200 ms").toBeLessThan(200)
                await sim.advance(1)
            }
            await sim.advance(gapMs)
            await sim.press()
            await sim.advance(150)
            expect(sim.bodies().filter(b => b !== "ERR,CHK")).toEqual(["REQ,0", "ACK,0,fast", "REQ,1"])
            expect(sim.led.isOn, "request 1 is in flight, yet the LED is off").toBe(true)
        },
    )

    test.each([0, 5, 20])(
        "the LED catches up under the packet throttle: a reply %i ms after the press leaves it off",
        async replyAfterMs => {
            const sim = await simulateReady(build)
            for (let round = 0; round < 3; round++) {
                // rejected frames, one chunk each: their ERR sends use up the runtime's packet allowance
                for (let i = 0; i < 6; i++) await sim.inject(frame(`RES,${100 + i},x`, "00"))
                await sim.press()
                await sim.advance(replyAfterMs)
                const repliedAt = sim.now
                await sim.inject(frame(`RES,${round},fast`)) // the peer answers before the REQ could even reach it
                await sim.advance(400)
                const expected = Array.from({ length: round + 1 }, (_, r) => [`REQ,${r}`, `ACK,${r},fast`]).flat()
                expect(sim.bodies().filter(b => b !== "ERR,CHK")).toEqual(expected)
                expect(sim.bodies().filter(b => b === "ERR,CHK")).toHaveLength(6 * (round + 1))
                expect(sim.led.isOn, `round ${round}: nothing in flight, yet the LED is on`).toBe(false)
                // the superloop may see the press and its reply in one pass and never light the LED
                const lastChange = sim.led.changes.at(-1)?.at ?? 0
                if (lastChange >= repliedAt) expect(lastChange - repliedAt, "the LED off within 100 ms of the reply").toBeLessThanOrEqual(100)
            }
        },
    )
})
