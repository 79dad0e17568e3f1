// Fake DeviceScript runtimes to bundle offline, and readers for what `devs bundle` puts in an image.
import { encodeUf2Block, RP2040_FAMILY_ID } from "../../sim/index.js"

/** Where the CLI's arch configs (boards.json in @devicescript/cli 2.16.4) put things, in flash addresses. */
export const LAYOUT = {
    esp32: { imageAt: 0x1000, dcfgAt: 0x9000, fstorAt: 0x1c0000, fstorBytes: 64 * 4096 },
    rp2040: { flashAt: 0x10000000, dcfgAt: 0x100dc000, fstorAt: 0x100e0000, fstorBytes: 32 * 4096 },
} as const

function pattern(length: number, seed: number): Uint8Array {
    return Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff)
}

/** An RP2040 runtime as the CLI downloads it: a UF2 for the RP2040 family; here one block of a byte pattern at the start of flash. */
export function fakeRp2040Runtime(): Uint8Array {
    return encodeUf2Block({ targetAddr: LAYOUT.rp2040.flashAt, payload: pattern(256, 1), blockNo: 0, numBlocks: 1, familyId: RP2040_FAMILY_ID })
}

/**
 * An ESP32 runtime as the CLI downloads it, flashed at 0x1000: a bootloader image
 * header (0xE9, chip id 0 = ESP32) and a partition table (AA 50) at flash 0x8000;
 * erased (0xFF) elsewhere. 32 KB.
 */
export function fakeEsp32Runtime(chipId = 0): Uint8Array {
    const image = new Uint8Array(0x8000).fill(0xff)
    image.set(pattern(0x100, 3), 0)
    image[0] = 0xe9
    image[12] = chipId & 0xff
    image[13] = chipId >> 8
    image.set([0xaa, 0x50], 0x8000 - LAYOUT.esp32.imageAt)
    return image
}

const DCFG_MAGIC = [0x44, 0x43, 0x46, 0x47] // "DCFG"
const DCFG_HEADER_BYTES = 24 + 2 * 32
const DCFG_ENTRY_BYTES = 24
const FSTOR_MAGIC = [0x46, 0x53, 0x54, 0x52] // "FSTR"

export function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
    return prefix.every((b, i) => bytes[at + i] === b)
}

export function hasDcfgMagic(bytes: Uint8Array): boolean {
    return startsWith(bytes, DCFG_MAGIC)
}

export function hasFstorMagic(bytes: Uint8Array): boolean {
    return startsWith(bytes, FSTOR_MAGIC)
}

/**
 * The settings of a board configuration block (DCFG), as the runtime reads them:
 * a header (magic, total size, entry count), then 24-byte entries (15-byte key,
 * hash, type and size, value); strings are stored after the entries, the value
 * being their offset. Written here from the format, to check what bundle wrote.
 */
export function readDcfg(block: Uint8Array): Record<string, number | string> {
    if (!hasDcfgMagic(block)) throw new Error("no DCFG magic")
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength)
    const count = view.getUint16(12, true)
    const settings: Record<string, number | string> = {}
    for (let i = 0; i < count; i++) {
        const at = DCFG_HEADER_BYTES + i * DCFG_ENTRY_BYTES
        const key = cString(block, at)
        const type = view.getUint16(at + 18, true) & 3
        const value = view.getUint32(at + 20, true)
        settings[key] = type === 0 ? value : type === 1 ? value | 0 : type === 2 ? cString(block, value) : `blob@${value}`
    }
    return settings
}

function cString(bytes: Uint8Array, at: number): string {
    const end = bytes.indexOf(0, at)
    return new TextDecoder("latin1").decode(bytes.subarray(at, end < 0 ? undefined : end))
}

/** Where `needle` first occurs in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
    return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle)
}
