import { describe, expect, test } from "@devicescript/test"
import { BUSY, MAX_IN_FLIGHT, REPLY_TIMEOUT_MS, RequestTable } from "../../src/requests"

describe("RequestTable", () => {
    test("counts seq from 0 and wraps after 255", () => {
        const table = new RequestTable()
        for (let i = 0; i < 256; ++i) {
            expect(table.open(0)).toBe(i)
            table.close(i)
        }
        expect(table.open(0)).toBe(0)
    })
    test("is BUSY at MAX_IN_FLIGHT, without using up a seq", () => {
        const table = new RequestTable()
        for (let i = 0; i < MAX_IN_FLIGHT; ++i) table.open(0)
        expect(table.inFlight()).toBe(MAX_IN_FLIGHT)
        expect(table.open(0)).toBe(BUSY)
        expect(table.close(2)).toBe(true)
        expect(table.open(0)).toBe(MAX_IN_FLIGHT)
    })
    test("closes a request once; an unknown seq is not closed", () => {
        const table = new RequestTable()
        const seq = table.open(0)
        expect(table.close(seq)).toBe(true)
        expect(table.close(seq)).toBe(false)
        expect(table.close(200)).toBe(false)
        expect(table.inFlight()).toBe(0)
    })
    test("reports expired requests, oldest deadline first", () => {
        const table = new RequestTable()
        const a = table.open(100)
        const b = table.open(50)
        expect(table.firstExpired(50 + REPLY_TIMEOUT_MS - 1)).toBe(-1)
        expect(table.firstExpired(100 + REPLY_TIMEOUT_MS)).toBe(b)
        table.close(b)
        expect(table.firstExpired(100 + REPLY_TIMEOUT_MS)).toBe(a)
    })
    test("tells the time left until a request times out", () => {
        const table = new RequestTable()
        const seq = table.open(1000)
        expect(table.timeLeft(seq, 1400)).toBe(REPLY_TIMEOUT_MS - 400)
        expect(table.timeLeft(seq, 5000)).toBe(0)
        expect(table.timeLeft(seq + 1, 1400)).toBe(-1)
    })
    test("the timeout counts from when the REQ went out, once `sent` says so", () => {
        const table = new RequestTable()
        const seq = table.open(1000)
        table.sent(seq, 1060)
        expect(table.timeLeft(seq, 1060)).toBe(REPLY_TIMEOUT_MS)
        expect(table.firstExpired(1000 + REPLY_TIMEOUT_MS)).toBe(-1)
        expect(table.firstExpired(1060 + REPLY_TIMEOUT_MS)).toBe(seq)
        // a request no longer in flight is left alone
        table.close(seq)
        table.sent(seq, 2000)
        expect(table.inFlight()).toBe(0)
        expect(table.firstExpired(5000)).toBe(-1)
    })
})
