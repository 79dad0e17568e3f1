// What the emulated Pico takes as its runtime and boot ROM, before anything is used or cached: each wrong file is
// named in one phrase; the real files, where this machine has them, pass.
import { existsSync, readFileSync } from "node:fs"
import { describe, expect, test } from "vitest"
import { BOOTROM_B1_SHA256, checkBootrom, devsFailureLine, PROGRAM_STORAGE_AT, RP2040_FLASH_BASE, runtimeProblem } from "../../../sim/index.js"
import { fakeBootrom, fakeChipRuntime, sha256 } from "../../support/chipImages.js"

const ESP32_FAMILY_ID = 0x1c5f21b0
const realRuntime = process.env.DEVS_RP2040_RUNTIME
const realBootrom = process.env.RP2040_BOOTROM

/** `bytes` with the 32-bit little-endian word at `offset` set to `value`. */
function withWord(bytes: Uint8Array, offset: number, value: number): Uint8Array {
    const copy = bytes.slice()
    new DataView(copy.buffer).setUint32(offset, value, true)
    return copy
}

describe("a runtime for the emulated Pico", () => {
    test("a whole UF2 for the RP2040, from the start of flash, passes", () => {
        expect(runtimeProblem(fakeChipRuntime())).toBeUndefined()
    })

    test.skipIf(!realRuntime || !existsSync(realRuntime))("the real runtime passes ($DEVS_RP2040_RUNTIME)", () => {
        expect(runtimeProblem(readFileSync(realRuntime!))).toBeUndefined()
    })

    test("a text file: not a UF2 file, showing how it starts", () => {
        const page = new TextEncoder().encode("<!DOCTYPE html>\n<html><body>Not Found</body></html>\n")
        expect(runtimeProblem(page)).toBe('is not a UF2 file (it is text: "<!DOCTYPE html>")')
    })

    test("an empty file", () => {
        expect(runtimeProblem(new Uint8Array())).toBe("is empty, not a UF2 file")
    })

    test("a binary that is no UF2", () => {
        expect(runtimeProblem(Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) & 0xff))).toBe("is not a UF2 file")
    })

    test("cut off inside a block", () => {
        expect(runtimeProblem(fakeChipRuntime().subarray(0, 512 * 300 + 100))).toBe("is cut off: 153700 bytes is not a whole number of 512-byte UF2 blocks")
    })

    test("cut off at a block boundary: fewer blocks than it announces", () => {
        expect(runtimeProblem(fakeChipRuntime().subarray(0, 512 * 300))).toBe("is cut off: it holds 300 of the 512 blocks it announces")
    })

    test("a block without the UF2 magic numbers", () => {
        const broken = withWord(fakeChipRuntime(), 7 * 512 + 508, 0)
        expect(runtimeProblem(broken)).toBe("is not a valid UF2 file (UF2 block 7 has no UF2 magic numbers)")
    })

    test("a UF2 for another chip", () => {
        expect(runtimeProblem(fakeChipRuntime(128, { familyId: ESP32_FAMILY_ID }))).toBe("is a UF2 file for another chip (family 0x1c5f21b0, not the RP2040's 0xe48bff56)")
    })

    test("a block that names no chip family", () => {
        const noFamily = withWord(fakeChipRuntime(), 3 * 512 + 8, 0)
        expect(runtimeProblem(noFamily)).toMatch(/^is not a UF2 file for the RP2040 \(block 3 names no chip family/)
    })

    test("a UF2 for RAM, not flash", () => {
        expect(runtimeProblem(fakeChipRuntime(128, { at: 0x20000000 }))).toMatch(/^writes outside the Pico's 2 MB of flash \(block 0 at 0x20000000;/)
    })

    test("a UF2 that does not start at the start of flash", () => {
        expect(runtimeProblem(fakeChipRuntime(128, { at: RP2040_FLASH_BASE + 0x1000 }))).toMatch(/^starts at 0x10001000, not at the start of flash/)
    })

    test("a bundled image, which reaches where devs bundle puts the program", () => {
        const kilobytes = (PROGRAM_STORAGE_AT - RP2040_FLASH_BASE) / 1024 + 4
        expect(runtimeProblem(fakeChipRuntime(kilobytes))).toMatch(/^reaches 0x100e1000, past 0x100e0000 where devs bundle puts the program: a bundled image/)
    })

    test("a UF2 too small to be DeviceScript's runtime (a blink program)", () => {
        expect(runtimeProblem(fakeChipRuntime(16))).toBe("holds only 16 KB of flash: too small for DeviceScript's RP2040 runtime (about 860 KB)")
    })
})

describe("a boot ROM for the emulated Pico", () => {
    test("the B1 ROM with its known sha256 passes", () => {
        const rom = fakeBootrom(2)
        expect(checkBootrom(rom, sha256(rom))).toEqual({})
    })

    test.skipIf(!realBootrom || !existsSync(realBootrom))("the real B1 ROM passes against the built-in sha256 ($RP2040_BOOTROM)", () => {
        expect(checkBootrom(readFileSync(realBootrom!))).toEqual({})
    })

    test("a B1 ROM whose bytes differ from the known one is refused", () => {
        const rom = fakeBootrom(2)
        expect(checkBootrom(rom).problem).toBe(`claims to be the B1 boot ROM but its sha256 is ${sha256(rom)}, not ${BOOTROM_B1_SHA256}: a damaged or changed copy`)
    })

    test("the B2 (and B0) ROM is taken, with a warning", () => {
        expect(checkBootrom(fakeBootrom(3))).toEqual({ warning: "is the RP2040 B2 boot ROM: runs here were made with B1 only, so they may differ" })
        expect(checkBootrom(fakeBootrom(1)).warning).toMatch(/^is the RP2040 B0 boot ROM/)
    })

    test("a ROM of an unknown version is refused", () => {
        expect(checkBootrom(fakeBootrom(9)).problem).toBe("is an RP2040 boot ROM of unknown version 9 (B0 is 1, B1 2, B2 3)")
    })

    test("the wrong size is refused", () => {
        expect(checkBootrom(fakeBootrom().subarray(0, 16383)).problem).toBe("is 16383 bytes, not 16384 (16 KB) as the RP2040 boot ROM is")
        expect(checkBootrom(new Uint8Array(32 * 1024)).problem).toBe("is 32768 bytes, not 16384 (16 KB) as the RP2040 boot ROM is")
    })

    test("16 KB without the boot ROM's magic is refused", () => {
        expect(checkBootrom(new Uint8Array(16 * 1024)).problem).toBe('is not an RP2040 boot ROM (no "Mu" magic at 0x10)')
    })
})

describe("why devs failed", () => {
    test("its error, not Node's version line after a crash", () => {
        const crash = ["using cached .devicescript/cache/devicescript-rp2040-pico.uf2", "/x/devicescript-cli.cjs:490989", '    throw new Error("not a UF2 file");', "Error: not a UF2 file", "    at patchUF2File (/x/devicescript-cli.cjs:490989:11)", "", "Node.js v20.20.2"].join("\n")
        expect(devsFailureLine(crash)).toBe("Error: not a UF2 file")
    })

    test("its last line, where it printed no error", () => {
        expect(devsFailureLine("compiling\nports 8081-8083 in use\n")).toBe("ports 8081-8083 in use")
    })
})
