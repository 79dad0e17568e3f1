// Protocol rule 8 (docs/protocol.md) under faults: parts that vanish and come back, floods, a restart. Both builds.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { autoReply } from "../../../sim/index.js"
import { frame } from "../../../host/index.js"

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

    test("1,000 presses in one second: each answered, in order; every REQ gets one ACK of its own reply, or one TMO", async () => {
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
        // Seq by seq. 1,000 presses a second ask for more answers than the link carries, so replies may wait
        // in the receive store (rule 10): a request may then time out, and its reply gets ERR,SEQ.
        const inFlight = new Set<number>()
        const timedOut = new Set<number>()
        let nextSeq = 0
        let acks = 0
        for (const body of bodies) {
            const [type, seqText, payload] = body.split(",")
            const seq = Number(type === "ERR" ? payload : seqText)
            if (type === "REQ") {
                expect(seq, `${body} after REQ,${(nextSeq + 255) % 256}`).toBe(nextSeq)
                expect(inFlight.has(seq), `${body} while seq ${seq} is in flight`).toBe(false)
                expect(inFlight.size, `${body} with 4 in flight`).toBeLessThan(4)
                inFlight.add(seq)
                timedOut.delete(seq)
                nextSeq = (seq + 1) % 256
            } else if (type === "ACK") {
                expect(inFlight.delete(seq), `${body} for a seq not in flight`).toBe(true)
                expect(payload).toBe(`ok${seq}`)
                acks++
            } else if (type === "TMO") {
                expect(inFlight.delete(seq), `${body} for a seq not in flight`).toBe(true)
                timedOut.add(seq)
            } else if (body.startsWith("ERR,SEQ,")) {
                expect(timedOut.delete(seq), `${body}: not the late reply to a request that timed out`).toBe(true)
            } else {
                expect(body === "ERR,BUSY" || body.startsWith("ERR,OVF,"), body).toBe(true)
            }
        }
        expect([...inFlight], "requests never answered").toEqual([])
        expect(acks, "requests answered by their reply").toBeGreaterThan(0)
        expect(sim.led.isOn).toBe(false)
    })

    test("1,000 replies a second for 2 s: each answered exactly once, or counted in an OVF (rule 10)", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 4; i++) await sim.press()
        await sim.advance(50)
        const replies = Array.from({ length: 2000 }, (_, i) => frame(`RES,${i < 4 ? i : 100 + (i % 100)},r${i}`))
        for (const reply of replies) {
            await sim.inject(reply)
            await sim.advance(1)
        }
        await sim.advance(3000)
        const answers = sim.bodies().slice(4)
        expect(answers.slice(0, 4)).toEqual(["ACK,0,r0", "ACK,1,r1", "ACK,2,r2", "ACK,3,r3"])
        // their answers (18 to 20 bytes) outrun the link: some replies are discarded, each run reported in its place
        let next = 4
        for (const answer of answers.slice(4)) {
            if (answer.startsWith("ERR,OVF,")) {
                let discarded = Number(answer.split(",")[2])
                while (discarded > 0) discarded -= replies[next++].length
                expect(discarded, `${answer} is not a run of whole replies`).toBe(0)
            } else {
                expect(answer).toBe(`ERR,SEQ,${100 + (next % 100)}`)
                next++
            }
        }
        expect(next).toBe(2000)
        expect(answers.filter(a => a.startsWith("ERR,SEQ")).length).toBeGreaterThan(1000)
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
