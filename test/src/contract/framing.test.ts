// Protocol rule 6 and its timing section (docs/protocol.md): chunking never changes the result, nothing is lost.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { type Simulation } from "../../../sim/index.js"
import { frame } from "../../../host/index.js"

async function pressTimes(sim: Simulation, count: number) {
    for (let i = 0; i < count; i++) await sim.press()
    await sim.advance(100)
}

describe.each(BUILD_NAMES)("%s build", build => {
    test("a frame split byte by byte is framed as if whole", async () => {
        const sim = await simulateReady(build)
        await pressTimes(sim, 2)
        await sim.inject(frame("RES,1,one,by,one") + frame("RES,9,x", "00"), 1)
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "ACK,1,one,by,one", "ERR,CHK"])
    })

    test("one chunk of 20 frames is answered in order, within 100 ms", async () => {
        const sim = await simulateReady(build)
        await pressTimes(sim, 4)
        const inputs = [
            frame("RES,2,b"),
            frame("RES,9,x", "00"),
            frame("RES,0,a"),
            ...Array.from({ length: 14 }, (_, i) => frame(`RES,${100 + i},late`)),
            "$bad\r\n",
            frame("RES,3,d"),
            frame("RES,1,c"),
        ]
        expect(inputs).toHaveLength(20)
        const sentAt = sim.now
        await sim.inject(inputs.join(""))
        await sim.advance(500)
        expect(sim.bodies().slice(4)).toEqual([
            "ACK,2,b",
            "ERR,CHK",
            "ACK,0,a",
            ...Array.from({ length: 14 }, (_, i) => `ERR,SEQ,${100 + i}`),
            "ERR,FMT",
            "ACK,3,d",
            "ACK,1,c",
        ])
        const answeredAt = sim.frames.filter(f => f.at >= sentAt).map(f => f.at - sentAt)
        expect(answeredAt).toHaveLength(20)
        expect(Math.max(...answeredAt), "all answered within 100 ms").toBeLessThanOrEqual(100)
        expect(sim.led.isOn).toBe(false)
        expect(sim.led.changes.at(-1)!.at - sentAt, "the LED off within 100 ms").toBeLessThanOrEqual(100)
    })

    test("50 chunks injected back to back lose nothing", async () => {
        const sim = await simulateReady(build)
        await pressTimes(sim, 4)
        // within the 512 bytes the device must hold (rule 10)
        const stream = [
            frame("RES,0,zero"),
            ...Array.from({ length: 16 }, (_, i) => frame(`RES,${200 + i},${"n".repeat(i)}`)),
            frame("RES,1,one"),
            frame("RES,2,two"),
            frame("RES,3,three"),
        ].join("")
        const sizes = Array.from({ length: 50 }, (_, i) => Math.floor(((i + 1) * stream.length) / 50) - Math.floor((i * stream.length) / 50))
        expect(sizes.every(size => size > 0 && size <= 236)).toBe(true)
        expect(stream.length).toBeLessThanOrEqual(512)
        await sim.inject(stream, sizes)
        await sim.until(() => sim.bodies().length === 4 + 20, 2000, "all 20 answers")
        expect(sim.bodies().slice(4)).toEqual([
            "ACK,0,zero",
            ...Array.from({ length: 16 }, (_, i) => `ERR,SEQ,${200 + i}`),
            "ACK,1,one",
            "ACK,2,two",
            "ACK,3,three",
        ])
    })

    test("the same bytes in any chunking give the same answers", async () => {
        const stream = ["junk", frame("RES,1,b"), "$RES,0", frame("RES,0,a"), frame("RES,5,x", "ff"), frame("RES,3,d")].join("")
        const answers: string[][] = []
        for (const chunking of [stream.length, 1, 2, 5, [1, 7, 3], [13, 2]]) {
            const sim = await simulateReady(build)
            await pressTimes(sim, 4)
            await sim.inject(stream, chunking)
            await sim.advance(200)
            answers.push(sim.bodies())
        }
        expect(answers[0]).toEqual(["REQ,0", "REQ,1", "REQ,2", "REQ,3", "ACK,1,b", "ERR,FMT", "ACK,0,a", "ERR,CHK", "ACK,3,d"])
        for (const other of answers.slice(1)) expect(other).toEqual(answers[0])
    })
})
