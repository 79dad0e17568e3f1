import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { LOG_BYTES, ReplyLog, SEAL_EVERY, SEAL_SLICE_BYTES } from "../../../../src/blocking/replyLog"

// Fletcher-16, written here: sums modulo 255 of the bytes and of the running sums, the second in the high byte.
function fletcher16(bytes: Buffer): number {
    let sum1 = 0
    let sum2 = 0
    for (let i = 0; i < bytes.length; i++) {
        sum1 = (sum1 + bytes[i]) % 255
        sum2 = (sum2 + sum1) % 255
    }
    return (sum2 << 8) | sum1
}

/**
 * A seal, or a checksum here, runs about 55K of the 128K instructions the VM lets a fiber run without yielding,
 * and the tests run in one fiber: each test yields after each.
 */
async function yieldToVm() {
    await ds.sleep(1)
}

function filled(length: number, value: number): Buffer {
    const bytes = Buffer.alloc(length)
    bytes.fillAt(0, length, value)
    return bytes
}

describe("ReplyLog", () => {
    test("is due for its seal at every SEAL_EVERY-th reply, and only then", () => {
        const log = new ReplyLog()
        for (let reply = 1; reply <= 3 * SEAL_EVERY; reply++) expect(log.add(Buffer.from("ok"))).toBe(reply % SEAL_EVERY === 0)
    })
    test("seals the whole log, its unwritten bytes zero", async () => {
        const log = new ReplyLog()
        log.add(Buffer.from("ab"))
        log.seal()
        await yieldToVm()
        const expected = Buffer.alloc(LOG_BYTES)
        expected.blitAt(0, Buffer.from("ab"), 0, 2)
        expect(log.sealed).toBe(fletcher16(expected))
        await yieldToVm()
        expect(log.sealed).toBe(48067)
    })
    test("keeps the latest LOG_BYTES bytes: a payload that passes the end wraps over the oldest", async () => {
        const log = new ReplyLog()
        log.add(filled(LOG_BYTES - 8, 1))
        log.add(filled(10, 2))
        log.seal()
        await yieldToVm()
        const expected = filled(LOG_BYTES, 1)
        expected.fillAt(0, 2, 2)
        expected.fillAt(LOG_BYTES - 8, 8, 2)
        expect(log.sealed).toBe(fletcher16(expected))
        await yieldToVm()
    })
    test("in slices, completes with the last slice and gives the seal of one go", async () => {
        const log = new ReplyLog()
        log.add(Buffer.from("RES,12,a payload"))
        log.seal()
        const before = log.sealed
        await yieldToVm()
        log.add(Buffer.from("and one more"))
        log.seal()
        const expected = log.sealed
        await yieldToVm()
        expect(expected === before).toBe(false)
        log.startSeal()
        let slices = 1
        while (!log.sealBytes(SEAL_SLICE_BYTES)) slices++
        expect(slices).toBe(LOG_BYTES / SEAL_SLICE_BYTES)
        expect(log.sealed).toBe(expected)
    })
    test("keeps the last complete seal while a new one is under way", async () => {
        const log = new ReplyLog()
        log.seal()
        await yieldToVm()
        expect(log.sealed).toBe(0)
        log.add(Buffer.from("x"))
        log.startSeal()
        expect(log.sealBytes(SEAL_SLICE_BYTES)).toBe(false)
        expect(log.sealed).toBe(0)
    })
})
