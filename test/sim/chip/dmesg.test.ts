// The runtime's log ring buffer, read as the runtime writes it (jacdac-c's jd_dmesg_write), on a hand-made RAM.
import { describe, expect, test } from "vitest"
import { DmesgReader } from "../../../sim/chip/dmesg.js"
import type { Pico } from "../../../sim/chip/pico.js"

const STORE_AT = 0x2000_1000
const BUFFER_BYTES = 64

/** A RAM with a CodalLogStore of BUFFER_BYTES, and jd_dmesg_write's own algorithm to log into it. */
function ram() {
    const sram = new Uint8Array(0x2000)
    const view = new DataView(sram.buffer)
    const offset = STORE_AT - 0x2000_0000
    const pico = { rp2040: { sram }, readWord: (a: number) => view.getUint32(a - 0x2000_0000, true) } as unknown as Pico
    const reader = new DmesgReader(pico, new Map([["codalLogStore", { value: STORE_AT, size: 4 + BUFFER_BYTES }]]))
    function write(text: string) {
        let msg = Buffer.from(text, "latin1")
        let ptr = view.getUint32(offset, true)
        const space = BUFFER_BYTES - ptr
        if (space < msg.length + 1) {
            sram.set(msg.subarray(0, space), offset + 4 + ptr)
            msg = msg.subarray(space)
            ptr = 0
        }
        sram.set(msg, offset + 4 + ptr)
        ptr += msg.length
        sram[offset + 4 + ptr] = 0
        view.setUint32(offset, ptr, true)
    }
    return { reader, write }
}

describe("the runtime's log, line by line", () => {
    test("each whole line once; a line still being written comes when it ends", () => {
        const { reader, write } = ram()
        write("* start: firmware\n")
        write("! loopback rx")
        expect(reader.newLines()).toEqual(["* start: firmware"])
        expect(reader.newLines()).toEqual([])
        write(" ovf\n")
        expect(reader.newLines()).toEqual(["! loopback rx ovf"])
    })

    test("across the end of the ring: the part before the wrap, then the part from the start", () => {
        const { reader, write } = ram()
        write("a".repeat(40) + "\n")
        expect(reader.newLines()).toEqual(["a".repeat(40)])
        write("HW PANIC!\nJD_PANIC() at x.c:1\n")
        expect(reader.newLines()).toEqual(["HW PANIC!", "JD_PANIC() at x.c:1"])
    })
})
