// SPEC rule 8 under faults: parts that vanish and come back, floods, a restart. Both builds.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../support/simulate.js"
import { frame } from "../../sim/frames.js"
import { autoReply } from "../../sim/peer.js"

describe.each(BUILD_NAMES)("%s build", build => {
    test("the serial service vanishes with requests in flight, and comes back", async () => {
        const sim = await simulateReady(build)
        await sim.press()
        await sim.press()
        await sim.advance(100)
        const goneAt = sim.now
        sim.unplugSerial()
        await sim.advance(1200)
        // Meanwhile the requests time out on schedule: the LED goes off; their TMO frames have no link to go out on.
        expect(sim.led.isOn).toBe(false)
        expect(sim.led.changes.at(-1)!.at - goneAt).toBeLessThanOrEqual(1100)
        await sim.advance(2000)
        sim.plugSerial()
        await sim.until(() => sim.log.filter(l => / set role serial ->/.test(l)).length === 2, 3000, "the serial role binding again")
        await sim.advance(100)
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,2,back") + frame("RES,0,stale"))
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "ACK,2,back", "ERR,SEQ,0"])
        expect(sim.frames.filter(f => f.type === "RDY")).toHaveLength(1)
    })

    test("the board (button and LED) vanishes: serial keeps being answered; back, a press gets the next seq", async () => {
        const sim = await simulateReady(build)
        await sim.press()
        await sim.press()
        await sim.advance(100)
        sim.peripherals.unplugBoard()
        await sim.advance(3000)
        // request 0 timed out meanwhile, on schedule; the serial side answers at once while the board is gone
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "TMO,0", "TMO,1"])
        const injectedAt = sim.now
        await sim.inject(frame("RES,1,late") + frame("RES,1,x", "00") + "$bad\r\n")
        await sim.advance(300)
        expect(sim.bodies().slice(4)).toEqual(["ERR,SEQ,1", "ERR,CHK", "ERR,FMT"])
        expect(sim.frames.at(-1)!.at - injectedAt).toBeLessThanOrEqual(100)
        sim.peripherals.plugBoard()
        await sim.until(() => sim.log.filter(l => / set role button ->/.test(l)).length === 2, 3000, "the button role binding again")
        await sim.press()
        await sim.advance(300)
        expect(sim.bodies().slice(7)).toEqual(["REQ,2"])
        await sim.inject(frame("RES,2,back"))
        await sim.advance(300)
        expect(sim.bodies().slice(7)).toEqual(["REQ,2", "ACK,2,back"])
    })

    test("1,000 presses in one second: each answered, in order; every REQ gets the ACK of its own reply", async () => {
        const sim = await simulateReady(build)
        autoReply(sim, { replyDelayMs: 20, payload: seq => `ok${seq}` })
        for (let i = 0; i < 1000; i++) {
            await sim.press()
            await sim.advance(1)
        }
        await sim.advance(3000)
        const bodies = sim.bodies()
        const presses = bodies.filter(b => b.startsWith("REQ") || b === "ERR,BUSY")
        expect(presses).toHaveLength(1000)
        // seq by seq: each REQ,n is followed, before seq n is used again, by exactly one ACK,n,ok<n>
        const inFlight = new Set<number>()
        let nextSeq = 0
        for (const body of bodies) {
            const [type, seqText, payload] = body.split(",")
            const seq = Number(seqText)
            if (type === "REQ") {
                expect(seq, `${body} after REQ,${(nextSeq + 255) % 256}`).toBe(nextSeq)
                expect(inFlight.has(seq), `${body} while seq ${seq} is in flight`).toBe(false)
                expect(inFlight.size, `${body} with 4 in flight`).toBeLessThan(4)
                inFlight.add(seq)
                nextSeq = (seq + 1) % 256
            } else if (type === "ACK") {
                expect(inFlight.delete(seq), `${body} for a seq not in flight`).toBe(true)
                expect(payload).toBe(`ok${seq}`)
            } else {
                expect(body).toBe("ERR,BUSY")
            }
        }
        expect([...inFlight], "requests never answered").toEqual([])
        expect(sim.led.isOn).toBe(false)
    })

    test("1,000 replies a second for 2 s: each answered exactly once", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 4; i++) await sim.press()
        await sim.advance(50)
        for (let i = 0; i < 2000; i++) {
            await sim.inject(frame(`RES,${i < 4 ? i : 100 + (i % 100)},r${i}`))
            await sim.advance(1)
        }
        await sim.until(() => sim.bodies().length === 4 + 2000, 20_000, "2,000 answers")
        const answers = sim.bodies().slice(4)
        expect(answers.slice(0, 4)).toEqual(["ACK,0,r0", "ACK,1,r1", "ACK,2,r2", "ACK,3,r3"])
        expect(answers.slice(4)).toEqual(Array.from({ length: 1996 }, (_, k) => `ERR,SEQ,${100 + ((k + 4) % 100)}`))
    })

    test("the program restarts with requests in flight: a new run, RDY again, seq from 0, stale replies refused", async () => {
        const sim = await simulateReady(build)
        await sim.press()
        await sim.press()
        await sim.advance(100)
        const restartedAt = sim.now
        sim.restartProgram()
        await sim.until(() => sim.frames.filter(f => f.type === "RDY").length === 2, 3000, "RDY after the restart")
        await sim.advance(100)
        await sim.inject(frame("RES,1,stale"))
        await sim.advance(100)
        await sim.press()
        await sim.advance(1200)
        const after = sim.frames.filter(f => f.at > restartedAt).map(f => f.body)
        expect(after).toEqual([`RDY,${build}`, "ERR,SEQ,1", "REQ,0", "TMO,0"])
        expect(sim.led.isOn).toBe(false)
    })
})
