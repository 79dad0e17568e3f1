import { describe, expect, test } from "@devicescript/test"
import { BUSY, RequestTable } from "../../../../src/shared/requests"

// SPEC rules 1 and 3, written here: at most 4 in flight, a timeout 1000 ms after the REQ.

describe("RequestTable", () => {
    test("counts seq from 0 and wraps after 255", () => {
        const table = new RequestTable()
        for (let i = 0; i < 256; ++i) {
            expect(table.open(0)).toBe(i)
            expect(table.close(i)).toBe(true)
        }
        expect(table.open(0)).toBe(0)
        expect(table.open(0)).toBe(1)
    })
    test("is BUSY with 4 in flight, without using up a seq", () => {
        const table = new RequestTable()
        for (let i = 0; i < 4; ++i) expect(table.open(0)).toBe(i)
        expect(table.inFlight()).toBe(4)
        expect(table.open(0)).toBe(BUSY)
        expect(table.inFlight()).toBe(4)
        expect(table.close(2)).toBe(true)
        expect(table.inFlight()).toBe(3)
        expect(table.open(0)).toBe(4)
        expect(table.open(0)).toBe(BUSY)
    })
    test("closes a request once; an unknown seq is not closed", () => {
        const table = new RequestTable()
        const seq = table.open(0)
        expect(table.inFlight()).toBe(1)
        expect(table.close(seq)).toBe(true)
        expect(table.close(seq)).toBe(false)
        expect(table.close(200)).toBe(false)
        expect(table.inFlight()).toBe(0)
        expect(table.timeLeft(seq, 0)).toBe(-1)
    })
    test("a request expires 1000 ms after it opened, not a millisecond earlier", () => {
        const table = new RequestTable()
        const seq = table.open(250)
        expect(table.firstExpired(1249)).toBe(-1)
        expect(table.firstExpired(1250)).toBe(seq)
        expect(table.firstExpired(90000)).toBe(seq)
    })
    test("reports expired requests, oldest deadline first", () => {
        const table = new RequestTable()
        const a = table.open(100)
        const b = table.open(50)
        const c = table.open(75)
        expect(table.firstExpired(1049)).toBe(-1)
        expect(table.firstExpired(1100)).toBe(b)
        table.close(b)
        expect(table.firstExpired(1100)).toBe(c)
        table.close(c)
        expect(table.firstExpired(1100)).toBe(a)
        table.close(a)
        expect(table.firstExpired(1100)).toBe(-1)
    })
    test("tells the time left until a request times out", () => {
        const table = new RequestTable()
        const seq = table.open(1000)
        expect(table.timeLeft(seq, 1000)).toBe(1000)
        expect(table.timeLeft(seq, 1400)).toBe(600)
        expect(table.timeLeft(seq, 2000)).toBe(0)
        expect(table.timeLeft(seq, 5000)).toBe(0)
        expect(table.timeLeft(seq + 1, 1400)).toBe(-1)
    })
    test("the timeout counts from when the REQ went out, once `sent` says so", () => {
        const table = new RequestTable()
        const seq = table.open(1000)
        table.sent(seq, 1060)
        expect(table.timeLeft(seq, 1060)).toBe(1000)
        expect(table.firstExpired(2000)).toBe(-1)
        expect(table.firstExpired(2059)).toBe(-1)
        expect(table.firstExpired(2060)).toBe(seq)
        // a request no longer in flight is left alone
        table.close(seq)
        table.sent(seq, 2000)
        expect(table.inFlight()).toBe(0)
        expect(table.firstExpired(5000)).toBe(-1)
    })
})
