// Protocol rules 4 and 5 (docs/protocol.md): every rejected frame gets exactly the one ERR its first failed check names.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { frame } from "../../../host/index.js"

const rejections: [string, string, string | string[]][] = [
    // [what, input, expected answer]
    ["83 bytes without LF", `$RES,0,${"x".repeat(76)}*00\r\n`, "ERR,LEN"],
    ["an 83rd byte that is LF", `$RES,0,${"x".repeat(72)}*00\n`, "ERR,LEN"],
    ["a $ before the LF", `$RES,0,abc*00${frame("RES,9,new")}`, ["ERR,FMT", "ERR,SEQ,9"]],
    ["no star", "$RES,0,abc\r\n", "ERR,FMT"],
    ["an empty body", "$*00\r\n", "ERR,FMT"],
    ["one hex digit", "$RES,0,abc*0\r\n", "ERR,FMT"],
    ["three hex digits", "$RES,0,abc*000\r\n", "ERR,FMT"],
    ["a non-hex digit", "$RES,0,abc*0G\r\n", "ERR,FMT"],
    ["a second star", `${frame("RES,0,abc").slice(0, -2)}*00\r\n`, "ERR,FMT"],
    ["two CRs", `${frame("RES,0,abc").slice(0, -2)}\r\r\n`, "ERR,FMT"],
    ["a tab in the body", frame("RES,0,a\tb"), "ERR,FMT"],
    ["a DEL in the body", frame("RES,0,a\x7fb"), "ERR,FMT"],
    ["a byte above 0x7E in the body", frame("RES,0,a\xffb"), "ERR,FMT"],
    ["a NUL in the body", frame("RES,0,a\x00b"), "ERR,FMT"],
    ["a wrong checksum", frame("RES,0,abc", "00"), "ERR,CHK"],
    // the right checksum of RES,0,abc is 14, of RES,0,x 0C
    ["a checksum wrong only in its high digit", frame("RES,0,abc", "54"), "ERR,CHK"],
    ["a checksum wrong only in its low digit", frame("RES,0,abc", "15"), "ERR,CHK"],
    ["a lower-case checksum wrong only in its high digit", frame("RES,0,x", "1c"), "ERR,CHK"],
    ["a lower-case checksum wrong only in its low digit", frame("RES,0,x", "0d"), "ERR,CHK"],
    ["a wrong checksum on a bad type", frame("XYZ", "00"), "ERR,CHK"],
    ["another type", frame("ACK,0,abc"), "ERR,FMT"],
    ["a lower-case type", frame("res,0,abc"), "ERR,FMT"],
    ["no fields", frame("RES"), "ERR,FMT"],
    ["no payload field", frame("RES,0"), "ERR,FMT"],
    ["no payload field, a 2-digit seq", frame("RES,12"), "ERR,FMT"],
    ["an empty body with a checksum other than 00", "$*41\r\n", "ERR,FMT"],
    ["an empty seq", frame("RES,,abc"), "ERR,FMT"],
    ["a 4-digit seq", frame("RES,0000,abc"), "ERR,FMT"],
    ["seq 256", frame("RES,256,abc"), "ERR,FMT"],
    ["a negative seq", frame("RES,-1,abc"), "ERR,FMT"],
    ["a seq with a space", frame("RES, 1,abc"), "ERR,FMT"],
    ["a 69-byte payload", frame(`RES,0,${"p".repeat(69)}`), "ERR,FMT"],
    ["a seq not in flight", frame("RES,7,abc"), "ERR,SEQ,7"],
    ["a seq not in flight, with leading zeros", frame("RES,007,abc"), "ERR,SEQ,7"],
]

describe.each(BUILD_NAMES)("%s build", build => {
    test.each(rejections)("%s: %j gets %s, and nothing else changes", async (_, input, answers) => {
        const answer = [answers].flat()
        const sim = await simulateReady(build)
        await sim.press()
        await sim.advance(100)
        const rejectedAt = sim.now
        await sim.inject(input)
        await sim.advance(300)
        expect(sim.bodies()).toEqual(["REQ,0", ...answer])
        const answeredAt = sim.frames.filter(f => f.at >= rejectedAt).map(f => f.at - rejectedAt)
        expect(Math.max(...answeredAt), "answered within 100 ms").toBeLessThanOrEqual(100)
        // the request in flight is untouched: its reply is still matched
        expect(sim.led.isOn).toBe(true)
        await sim.inject(frame("RES,0,still"))
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", ...answer, "ACK,0,still"])
    })

    test("bytes before a $ are discarded without a message", async () => {
        const sim = await simulateReady(build)
        await sim.inject("garbage\r\n*AB,,RES,0,x*00\r\n\x00\xff\n")
        await sim.advance(200)
        expect(sim.bodies()).toEqual([])
        await sim.press()
        await sim.advance(100)
        await sim.inject(`noise before${frame("RES,0,ok")}`)
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "ACK,0,ok"])
    })

    test("after a too-long frame, input up to the next $ is discarded, even an 83rd $", async () => {
        const sim = await simulateReady(build)
        await sim.press()
        await sim.advance(100)
        const overlong = `$${"z".repeat(81)}`
        await sim.inject(`${overlong}$RES,0,lost*00\r\nmore noise\r\n${frame("RES,0,kept")}`)
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "ERR,LEN", "ACK,0,kept"])
    })

    test("an 82-byte frame is accepted, with a 68-byte payload echoed whole", async () => {
        const sim = await simulateReady(build)
        const payload = "q".repeat(68)
        const big = frame(`RES,000,${payload}`)
        expect(big.length).toBe(82)
        await sim.press()
        await sim.advance(100)
        await sim.inject(big)
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", `ACK,0,${payload}`])
    })
})
