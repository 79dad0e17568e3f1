// The XIP cache model, the line fill its misses cost (from the SSI registers), and both hooked into the emulated core.
import { describe, expect, test } from "vitest"
import { lineFillTiming, Pico, SSI_REGISTER, XIP_CACHE, XipCache, type SsiXipRegisters } from "../../../sim/index.js"

const FLASH = 0x10000000
/** Three addresses of set 0: 8 KB apart is one way's size (1024 sets of 8 bytes). */
const WAY_BYTES = XIP_CACHE.bytes / XIP_CACHE.ways
const [A, B, C] = [FLASH, FLASH + WAY_BYTES, FLASH + 2 * WAY_BYTES]
const alias = (address: number, top: 0x10 | 0x11 | 0x12 | 0x13) => ((top << 24) | (address & 0xffffff)) >>> 0

/** true for a hit, false for a read the flash served. */
const reads = (cache: XipCache, addresses: number[]) => addresses.map(a => cache.read(a))

describe("the XIP cache", () => {
    test("is 16 KB of 8-byte lines in 2 ways", () => {
        expect(XIP_CACHE).toEqual({ bytes: 16384, ways: 2, lineBytes: 8 })
    })

    test("misses the first read of a line and hits every other byte of it", () => {
        const cache = new XipCache()
        expect(reads(cache, [FLASH + 2, FLASH, FLASH + 7, FLASH + 8, FLASH + 12])).toEqual([false, true, true, false, true])
        expect(cache.counters).toEqual({ accesses: 5, hits: 3 })
    })

    test("keeps two lines of a set, and replaces the one used least recently", () => {
        const cache = new XipCache()
        // A, B fill both ways; A and B hit; C replaces A (B was used last); B hits; A replaces C; C replaces B
        expect(reads(cache, [A, B, A, B, C, B, A, C, A])).toEqual([false, false, true, true, false, true, false, false, true])
    })

    test("lines of other sets do not compete", () => {
        const cache = new XipCache()
        expect(reads(cache, [A, A + 8, B, B + 8, C + 8, A, B])).toEqual([false, false, false, false, false, true, true])
        expect(reads(cache, [A + 8])).toEqual([false]) // C + 8 replaced it: set 1 saw A + 8, B + 8, then C + 8
    })

    test("0x11 serves hits and leaves the cache as it was on a miss", () => {
        const cache = new XipCache()
        expect(reads(cache, [alias(A, 0x11), A, alias(A, 0x11)])).toEqual([false, false, true])
        reads(cache, [B])
        expect(reads(cache, [alias(C, 0x11), A, B])).toEqual([false, true, true])
    })

    test("0x12 always reads the flash, and puts the line in the cache", () => {
        const cache = new XipCache()
        expect(reads(cache, [alias(A, 0x12), alias(A, 0x12), A])).toEqual([false, false, true])
        expect(cache.counters).toEqual({ accesses: 3, hits: 1 })
    })

    test("0x13 bypasses the cache", () => {
        const cache = new XipCache()
        expect(reads(cache, [alias(A, 0x13), A, alias(A, 0x13)])).toEqual([false, false, false])
    })

    test("a flush empties it", () => {
        const cache = new XipCache()
        reads(cache, [A, B])
        cache.flush()
        expect(reads(cache, [B, A])).toEqual([false, false])
    })

    test("a write through 0x10 removes its line, and the empty way is filled next; writes through other aliases do nothing", () => {
        const cache = new XipCache()
        reads(cache, [A, B]) // A is the least recently used
        cache.write(alias(A + 4, 0x11))
        cache.write(alias(A + 4, 0x13))
        expect(reads(cache, [A])).toEqual([true])
        cache.write(B + 4) // B's way is empty now; A is still cached
        expect(reads(cache, [C, A, B])).toEqual([false, true, false])
    })

    test("disabled, every read goes to the flash and the lines stay for when it is enabled again", () => {
        const cache = new XipCache()
        reads(cache, [A])
        cache.enabled = false
        expect(reads(cache, [A, B])).toEqual([false, false])
        cache.enabled = true
        expect(reads(cache, [A, B])).toEqual([true, false])
        expect(cache.counters).toEqual({ accesses: 5, hits: 1 })
    })
})

/** What the pico-sdk's boot2_w25q080 leaves in the SSI with PICO_FLASH_SPI_CLKDIV 2: quad I/O continuous read, 32-bit frames. */
const BOOT2_XIP: SsiXipRegisters = {
    ctrlr0: (2 << 21) | (31 << 16) | (3 << 8), // quad, 32-bit frames, EEPROM read
    ssienr: 1,
    baudr: 2,
    rxSampleDelay: 1,
    spiCtrlr0: (0xa0 << 24) | (4 << 11) | (0 << 8) | (8 << 2) | 2, // mode bits 0xa0, 4 wait clocks, no instruction, 32 address+mode bits, all in quad
}

describe("a line fill, from the SSI registers", () => {
    test("boot2's quad continuous read: 8 address+mode + 4 wait + 16 data clocks, 2 system clocks each, + 1 sample delay = 57 cycles", () => {
        expect(lineFillTiming(BOOT2_XIP)).toEqual({
            lanes: 4,
            clockDivider: 2,
            instructionClocks: 0,
            addressClocks: 8,
            waitClocks: 4,
            dataClocks: 16,
            serialClocks: 28,
            sampleDelayCycles: 1,
            cycles: 57,
        })
    })

    test("boot2's first read, which sends the 0xEB command serially: 8 more clocks, 73 cycles", () => {
        const withCommand = { ...BOOT2_XIP, spiCtrlr0: (4 << 11) | (2 << 8) | (8 << 2) | 1 }
        expect(lineFillTiming(withCommand)).toMatchObject({ instructionClocks: 8, serialClocks: 36, cycles: 73 })
    })

    test("the boot ROM's serial 03h read at divider 4: 8 + 24 + 64 clocks of 4 cycles = 384", () => {
        const serial = { ctrlr0: (31 << 16) | (3 << 8), ssienr: 1, baudr: 4, rxSampleDelay: 0, spiCtrlr0: (0x03 << 24) | (2 << 8) | (6 << 2) }
        expect(lineFillTiming(serial)).toMatchObject({ lanes: 1, instructionClocks: 8, addressClocks: 24, dataClocks: 64, cycles: 384 })
    })

    test("a slower clock stretches only the serial part: divider 4 gives 28 x 4 + 1", () => {
        expect(lineFillTiming({ ...BOOT2_XIP, baudr: 4 })?.cycles).toBe(113)
    })

    test("none while the SSI is disabled, in another transfer mode, or without a clock", () => {
        expect(lineFillTiming({ ...BOOT2_XIP, ssienr: 0 })).toBeUndefined()
        expect(lineFillTiming({ ...BOOT2_XIP, ctrlr0: (7 << 16) | (0 << 8) })).toBeUndefined() // boot2's status-register access: TX and RX
        expect(lineFillTiming({ ...BOOT2_XIP, baudr: 0 })).toBeUndefined()
    })
})

const SSI_BASE = 0x18000000
const XIP_CTRL_BASE = 0x14000000
/** Thumb: movs r0,#1 four times (one 8-byte line), then ldr r1,[r2] and b . (the next line). */
const PROGRAM = [0x2001, 0x2001, 0x2001, 0x2001, 0x6811, 0xe7fe]
const DATA_ADDRESS = FLASH + 0x1000

/** A UF2 image of `halfwords` at the start of the flash. */
function uf2Of(halfwords: number[]): Uint8Array {
    const block = new Uint8Array(512)
    const view = new DataView(block.buffer)
    view.setUint32(0, 0x0a324655, true)
    view.setUint32(4, 0x9e5d5157, true)
    view.setUint32(12, FLASH, true)
    view.setUint32(16, 256, true)
    view.setUint32(24, 1, true)
    halfwords.forEach((h, i) => view.setUint16(32 + 2 * i, h, true))
    view.setUint32(508, 0x0ab16f30, true)
    return block
}

function picoRunning(program: number[], xip: boolean): Pico {
    const pico = new Pico({ bootrom: new Uint8Array(16 * 1024), uf2: uf2Of(program) }, { xip })
    pico.rp2040.core.registers[2] = DATA_ADDRESS
    return pico
}

function setUpSsiForXip(pico: Pico, registers: SsiXipRegisters) {
    const write = (offset: number, value: number) => pico.rp2040.writeUint32(SSI_BASE + offset, value)
    write(SSI_REGISTER.SSIENR, 0)
    write(SSI_REGISTER.BAUDR, registers.baudr)
    write(SSI_REGISTER.RX_SAMPLE_DLY, registers.rxSampleDelay)
    write(SSI_REGISTER.CTRLR0, registers.ctrlr0)
    write(SSI_REGISTER.SPI_CTRLR0, registers.spiCtrlr0)
    write(SSI_REGISTER.SSIENR, registers.ssienr)
}

const cyclesOf = (pico: Pico, instructions: number) => Array.from({ length: instructions }, () => pico.rp2040.core.executeInstruction())

describe("the emulated Pico with the XIP model", () => {
    test("charges a line fill to the instruction whose fetch or load missed, and nothing to hits", () => {
        const pico = picoRunning(PROGRAM, true)
        setUpSsiForXip(pico, BOOT2_XIP)
        // movs x4 (the first fetch fills the line), ldr (its fetch and its load each miss), b . twice (same line)
        expect(cyclesOf(pico, 7)).toEqual([1 + 57, 1, 1, 1, 2 + 57 + 57, 2, 2])
        expect(pico.xip!.use).toMatchObject({ reads: 8, hits: 5, flashReads: 3, stallCycles: 3 * 57 })
        expect(pico.xip!.setups.map(s => s.lineFill.cycles)).toEqual([57])
    })

    test("without it (the default), flash reads cost what rp2040js charges", () => {
        const pico = picoRunning(PROGRAM, false)
        setUpSsiForXip(pico, BOOT2_XIP)
        expect(pico.xip).toBeUndefined()
        expect(cyclesOf(pico, 7)).toEqual([1, 1, 1, 1, 2, 2, 2])
    })

    test("charges nothing before the SSI is set up for XIP (a real RP2040 runs that code, the second-stage boot loader, from SRAM)", () => {
        const pico = picoRunning(PROGRAM, true)
        expect(cyclesOf(pico, 2)).toEqual([1, 1])
        expect(pico.xip!.use.readsBeforeSetup).toBe(2)
    })

    test("serves XIP_CTRL: a flush empties the cache and a read of FLUSH waits for it; the counters count and clear", () => {
        const pico = picoRunning(PROGRAM, true)
        setUpSsiForXip(pico, BOOT2_XIP)
        cyclesOf(pico, 4)
        expect([pico.readWord(XIP_CTRL_BASE + 0x10), pico.readWord(XIP_CTRL_BASE + 0x0c)]).toEqual([4, 3]) // CTR_ACC, CTR_HIT
        pico.rp2040.writeUint32(XIP_CTRL_BASE + 0x04, 1)
        pico.readWord(XIP_CTRL_BASE + 0x04)
        pico.rp2040.writeUint32(XIP_CTRL_BASE + 0x10, 0)
        pico.rp2040.writeUint32(XIP_CTRL_BASE + 0x0c, 0)
        pico.rp2040.core.PC = FLASH
        expect(cyclesOf(pico, 1)).toEqual([1 + 1024 + 57])
        expect([pico.readWord(XIP_CTRL_BASE + 0x10), pico.readWord(XIP_CTRL_BASE + 0x0c)]).toEqual([1, 0])
    })

    test("with CTRL.EN cleared every flash read waits for the flash", () => {
        const pico = picoRunning(PROGRAM, true)
        setUpSsiForXip(pico, BOOT2_XIP)
        pico.rp2040.writeUint32(XIP_CTRL_BASE, 0)
        expect(cyclesOf(pico, 2)).toEqual([1 + 57, 1 + 57])
    })
})
