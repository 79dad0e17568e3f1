// The flash chip model the boot ROM and the pico-sdk drive through the SSI.
import { describe, expect, test } from "vitest"
import { SpiNorFlash } from "../../../sim/index.js"

const ID = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])

function command(flash: SpiNorFlash, bytes: number[]): number[] {
    flash.select()
    const replies = bytes.map(b => flash.transfer(b))
    flash.deselect()
    return replies
}

describe("the SPI NOR flash model", () => {
    test("reads its unique ID after 4 dummy bytes (command 0x4B)", () => {
        const flash = new SpiNorFlash(new Uint8Array(8192), ID)
        expect(command(flash, [0x4b, 0, 0, 0, 0, ...Array(8).fill(0)]).slice(5)).toEqual([...ID])
    })

    test("reads memory from a 24-bit address (command 0x03)", () => {
        const memory = Uint8Array.from({ length: 8192 }, (_, i) => i & 0xff)
        const flash = new SpiNorFlash(memory, ID)
        expect(command(flash, [0x03, 0x00, 0x10, 0x05, 0, 0, 0]).slice(4)).toEqual([0x05, 0x06, 0x07])
    })

    test("programs a page and erases a sector only after write enable, and reports WEL in status", () => {
        const memory = new Uint8Array(16384).fill(0xff)
        const flash = new SpiNorFlash(memory, ID)
        command(flash, [0x02, 0x00, 0x10, 0x00, 0x12, 0x34])
        expect(memory[0x1000]).toBe(0xff)
        command(flash, [0x06])
        expect(command(flash, [0x05, 0])[1] & 0x02).toBe(0x02)
        command(flash, [0x02, 0x00, 0x10, 0xff, 0x12, 0x34])
        expect([memory[0x10ff], memory[0x1000]]).toEqual([0x12, 0x34]) // wraps within its page
        expect(command(flash, [0x05, 0])[1] & 0x02).toBe(0)
        command(flash, [0x06])
        command(flash, [0x20, 0x00, 0x10, 0x80])
        expect(memory.subarray(0x1000, 0x2000).every(b => b === 0xff)).toBe(true)
        expect(flash.counters).toEqual({ sectorErases: 1, pagePrograms: 1 })
    })
})
