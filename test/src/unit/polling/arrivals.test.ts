import { describe, expect, test } from "@devicescript/test"
import { type Arrival, Arrivals, PRESS } from "../../../../src/polling/arrivals"
import { type Reply } from "../../../../src/shared/frame"

const HEX = "0123456789ABCDEF"

/** A `RES` frame with its checksum computed here, not by the code under test. */
function res(seq: number, payload: string) {
    const body = Buffer.from(`RES,${seq},${payload}`)
    let sum = 0
    for (let i = 0; i < body.length; ++i) sum = sum ^ body[i]
    return `$${body.toString()}*${HEX[sum >> 4]}${HEX[sum & 15]}\r\n`
}

function describeArrival(arrival: Arrival) {
    if (arrival === PRESS) return "press"
    if (typeof arrival === "string") return arrival
    const reply = arrival as Reply
    return `${reply.seq}:${reply.payload.toString()}`
}

/** Everything `next` hands out, in order, framing while `mayFrame`. */
function drain(arrivals: Arrivals, mayFrame: boolean) {
    const out: string[] = []
    for (let arrival = arrivals.next(mayFrame); arrival !== undefined; arrival = arrivals.next(mayFrame)) out.push(describeArrival(arrival))
    return out.join(" ")
}

function noise(n: number) {
    const bytes = Buffer.alloc(n)
    bytes.fillAt(0, n, 0x7e)
    return bytes
}

describe("Arrivals", () => {
    test("hands out presses and received results in the order they arrived", () => {
        const arrivals = new Arrivals()
        arrivals.press()
        arrivals.receive(Buffer.from(res(1, "a")))
        arrivals.press()
        arrivals.receive(Buffer.from(res(2, "b") + res(3, "c")))
        arrivals.press()
        expect(drain(arrivals, true)).toBe("press 1:a press 2:b 3:c press")
    })
    test("a result comes after a press that arrived before the chunk it ends in", () => {
        const arrivals = new Arrivals()
        const frame = res(4, "split")
        arrivals.receive(Buffer.from(frame.slice(0, 6)))
        arrivals.press()
        arrivals.receive(Buffer.from(frame.slice(6)))
        expect(drain(arrivals, true)).toBe("press 4:split")
    })
    test("presses do not wait while received bytes may not be framed", () => {
        const arrivals = new Arrivals()
        arrivals.receive(Buffer.from(res(5, "x")))
        arrivals.press()
        arrivals.press()
        expect(drain(arrivals, false)).toBe("press press")
        expect(drain(arrivals, true)).toBe("5:x")
    })
    test("a result already taken out is handed out even when framing must pause", () => {
        const arrivals = new Arrivals()
        arrivals.press()
        arrivals.receive(Buffer.from(res(6, "y")))
        // taking the press takes the result out of the buffer too, to compare their order
        expect(describeArrival(arrivals.next(true))).toBe("press")
        expect(describeArrival(arrivals.next(false))).toBe("6:y")
        expect(arrivals.next(false)).toBe(undefined)
    })
    test("a run of discarded chunks is one OVF in its place among the presses", () => {
        const arrivals = new Arrivals()
        arrivals.receive(noise(500))
        arrivals.press()
        arrivals.receive(noise(100))
        arrivals.receive(noise(100))
        // a press in the middle of a run comes after its OVF
        arrivals.press()
        arrivals.receive(Buffer.from(res(7, "z")))
        expect(drain(arrivals, true)).toBe("press OVF,213 press")
    })
})
