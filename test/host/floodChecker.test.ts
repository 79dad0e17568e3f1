// The rule 10 checker on hand-written records: it accepts every reading the protocol allows and nothing else.
import { describe, expect, test } from "vitest"
import { checkFlood, FloodMismatch, type FloodRecord, timingViolations, SpecModel } from "../../host/checks/index.js"

const chunk = (at: number, bytes: string) => ({ at, bytes })
const sent = (at: number, body: string) => ({ at, body })
/** `$\n`: an empty body, one ERR,FMT. */
const EMPTY = "$\n"

function check(record: Partial<FloodRecord>, start?: SpecModel) {
    return checkFlood({ chunks: [], presses: [], answers: [], ...record }, start)
}

describe("the flood checker", () => {
    test("accepts a record with nothing discarded and counts what was offered", () => {
        const verdict = check({
            chunks: [chunk(0, "$RES,0,a*15\r\n"), chunk(10, EMPTY)],
            presses: [-100],
            answers: [sent(-100, "REQ,0"), sent(5, "ACK,0,a"), sent(30, "ERR,FMT")],
        })
        expect(verdict.runs).toEqual([])
        expect(verdict.offeredBytes).toBe(15)
        expect(verdict.discardedBytes).toBe(0)
        expect(verdict.answerLagsMs).toEqual([5, 20])
        expect(verdict.pressLagsMs).toEqual([0])
        expect(verdict.model.requestsInFlight).toEqual([])
    })

    test("finds the run of chunks an OVF stands for, in its place", () => {
        const verdict = check({
            chunks: [chunk(0, EMPTY), chunk(1, EMPTY + EMPTY), chunk(2, "xyz"), chunk(3, EMPTY)],
            answers: [sent(10, "ERR,FMT"), sent(20, "ERR,OVF,7"), sent(30, "ERR,FMT")],
        })
        expect(verdict.runs).toEqual([{ firstChunk: 1, lastChunk: 2, bytes: 7 }])
        expect(verdict.discardedBytes).toBe(7)
        expect(verdict.answerLagsMs).toEqual([10, 18, 27])
    })

    test("rejects an OVF before the answers to what came before it", () => {
        const record = {
            chunks: [chunk(0, EMPTY), chunk(1, EMPTY + EMPTY), chunk(3, EMPTY)],
            answers: [sent(20, "ERR,OVF,4"), sent(21, "ERR,FMT"), sent(30, "ERR,FMT")],
        }
        expect(() => check(record)).toThrow(FloodMismatch)
        expect(() => check(record)).toThrow(/expected ERR,FMT for chunk 1 of 3 .*the device sent ERR,OVF,4/)
    })

    test("rejects an OVF whose count matches no run of chunks", () => {
        const record = { chunks: [chunk(0, EMPTY), chunk(1, EMPTY + EMPTY), chunk(3, EMPTY)], answers: [sent(10, "ERR,FMT"), sent(20, "ERR,OVF,3"), sent(30, "ERR,FMT")] }
        expect(() => check(record)).toThrow(FloodMismatch)
    })

    test("drops the frame cut by a discard without an answer of its own", () => {
        const chunks = [chunk(0, "$RES,0,a"), chunk(1, "bcd"), chunk(2, "*15\r\n" + EMPTY)]
        expect(check({ chunks, answers: [sent(10, "ERR,OVF,3"), sent(11, "ERR,FMT")] }).runs).toEqual([{ firstChunk: 1, lastChunk: 1, bytes: 3 }])
        // answering the cut frame's remains as if it went on is wrong: framing resumes outside a frame
        expect(() => check({ chunks, answers: [sent(10, "ERR,OVF,3"), sent(11, "ERR,CHK"), sent(12, "ERR,FMT")] })).toThrow(FloodMismatch)
    })

    test("rejects two OVFs with no kept chunk between them: one run, one OVF", () => {
        const record = { chunks: [chunk(0, EMPTY), chunk(1, EMPTY), chunk(2, EMPTY)], answers: [sent(10, "ERR,OVF,2"), sent(11, "ERR,OVF,2"), sent(12, "ERR,FMT")] }
        expect(() => check(record)).toThrow(FloodMismatch)
        expect(check({ ...record, answers: [sent(10, "ERR,OVF,4"), sent(12, "ERR,FMT")] }).runs).toEqual([{ firstChunk: 0, lastChunk: 1, bytes: 4 }])
    })

    test("rejects an OVF with a leading zero, and a discard the device did not report", () => {
        expect(() => check({ chunks: [chunk(0, EMPTY), chunk(1, EMPTY)], answers: [sent(10, "ERR,OVF,02"), sent(11, "ERR,FMT")] })).toThrow(FloodMismatch)
        expect(() => check({ chunks: [chunk(0, EMPTY), chunk(1, EMPTY)], answers: [sent(11, "ERR,FMT")] })).toThrow(/expected ERR,FMT for chunk 2 of 2 .*the device sent nothing/)
    })

    test("tries the other reading when the first one fails later", () => {
        // "ab" and "$\n" are both 2 bytes; only "ab" kept and "$\n" discarded explains a lone OVF
        const verdict = check({ chunks: [chunk(0, "ab"), chunk(1, EMPTY)], answers: [sent(10, "ERR,OVF,2")] })
        expect(verdict.runs).toEqual([{ firstChunk: 1, lastChunk: 1, bytes: 2 }])
    })

    test("takes presses in where the device answered them, and the model says if the answer was right", () => {
        const chunks = [chunk(40, "$RES,1,x*0D\r\n")]
        const presses = [0, 50]
        // the RES framed before the second press: not in flight yet
        expect(check({ chunks, presses, answers: [sent(0, "REQ,0"), sent(45, "ERR,SEQ,1"), sent(50, "REQ,1")] }).model.requestsInFlight).toEqual([0, 1])
        // framed after it: matched
        expect(check({ chunks, presses, answers: [sent(0, "REQ,0"), sent(50, "REQ,1"), sent(55, "ACK,1,x")] }).model.requestsInFlight).toEqual([0])
        // an ACK before the REQ of its own request
        expect(() => check({ chunks, presses, answers: [sent(0, "REQ,0"), sent(45, "ACK,1,x"), sent(50, "REQ,1")] })).toThrow(FloodMismatch)
        // a REQ for a press that has not happened yet
        expect(() => check({ chunks, presses, answers: [sent(0, "REQ,0"), sent(30, "REQ,1"), sent(55, "ACK,1,x")] })).toThrow(FloodMismatch)
    })

    test("a reply framed after its request's TMO is rejected, never both ACK and TMO", () => {
        const chunks = [chunk(900, "$RES,0,x*0C\r\n")]
        const ok = check({ chunks, presses: [0], answers: [sent(0, "REQ,0"), sent(1005, "TMO,0"), sent(1010, "ERR,SEQ,0")] })
        expect(ok.timeoutsAfterReqMs).toEqual([1005])
        expect(() => check({ chunks, presses: [0], answers: [sent(0, "REQ,0"), sent(1005, "TMO,0"), sent(1010, "ACK,0,x")] })).toThrow(FloodMismatch)
        expect(() => check({ chunks, presses: [0], answers: [sent(0, "REQ,0"), sent(950, "ACK,0,x"), sent(1005, "TMO,0")] })).toThrow(/TMO,0 .*not in flight/)
    })

    test("the model's state at the start counts, and is left as it was", () => {
        const start = new SpecModel()
        start.press()
        const verdict = check({ chunks: [chunk(0, "$RES,0,a*15\r\n")], answers: [sent(5, "ACK,0,a")] }, start)
        expect(verdict.model.requestsInFlight).toEqual([])
        expect(start.requestsInFlight).toEqual([0])
    })

    test("names each broken timing promise", () => {
        const verdict = check({
            chunks: [chunk(0, EMPTY)],
            presses: [0, 100],
            answers: [sent(150, "REQ,0"), sent(160, "REQ,1"), sent(1200, "ERR,FMT"), sent(1300, "TMO,1")],
        })
        expect(timingViolations(verdict)).toEqual([
            "1 answers to input came more than 1000 ms after it arrived (worst 1200 ms)",
            "1 presses waited more than 100 ms for REQ or ERR,BUSY (worst 150 ms)",
            "1 TMO frames came outside 1000–1100 ms after their REQ (1140 ms)",
        ])
    })
})
