// UF2, the format an RP2040's boot drive takes: 512-byte blocks, each with 256 bytes for one flash address.
// Format: https://github.com/microsoft/uf2 (written here from the format, for checking and reading images).

export const UF2_BLOCK_SIZE = 512
export const UF2_PAYLOAD_SIZE = 256
export const RP2040_FAMILY_ID = 0xe48bff56
const MAGIC_START0 = 0x0a324655 // "UF2\n"
const MAGIC_START1 = 0x9e5d5157
const MAGIC_END = 0x0ab16f30
const FLAG_NOT_MAIN_FLASH = 0x1
const FLAG_FAMILY_ID_PRESENT = 0x2000
const DATA_OFFSET = 32

export interface Uf2Block {
    flags: number
    targetAddr: number
    payload: Uint8Array
    blockNo: number
    numBlocks: number
    /** The chip family, when the block names one. */
    familyId?: number
}

function view(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Whether `bytes` starts with a UF2 block. */
export function isUf2(bytes: Uint8Array): boolean {
    return bytes.length >= UF2_BLOCK_SIZE && startsWithUf2Magic(bytes)
}

function startsWithUf2Magic(bytes: Uint8Array): boolean {
    if (bytes.length < 8) return false
    const v = view(bytes)
    return v.getUint32(0, true) === MAGIC_START0 && v.getUint32(4, true) === MAGIC_START1
}

/** Every block of a UF2 file; throws if any block is malformed. */
export function parseUf2(bytes: Uint8Array): Uf2Block[] {
    if (bytes.length === 0 || bytes.length % UF2_BLOCK_SIZE !== 0) {
        throw new Error(`a UF2 file is a whole number of ${UF2_BLOCK_SIZE}-byte blocks, not ${bytes.length} bytes`)
    }
    const blocks: Uf2Block[] = []
    for (let offset = 0; offset < bytes.length; offset += UF2_BLOCK_SIZE) {
        blocks.push(parseBlock(bytes.subarray(offset, offset + UF2_BLOCK_SIZE), offset / UF2_BLOCK_SIZE))
    }
    return blocks
}

function parseBlock(block: Uint8Array, index: number): Uf2Block {
    const v = view(block)
    const magicOk =
        v.getUint32(0, true) === MAGIC_START0 && v.getUint32(4, true) === MAGIC_START1 && v.getUint32(508, true) === MAGIC_END
    if (!magicOk) throw new Error(`UF2 block ${index} has no UF2 magic numbers`)
    const flags = v.getUint32(8, true)
    const size = v.getUint32(16, true)
    if (size > 476) throw new Error(`UF2 block ${index} claims ${size} bytes of payload`)
    return {
        flags,
        targetAddr: v.getUint32(12, true),
        payload: block.slice(DATA_OFFSET, DATA_OFFSET + size),
        blockNo: v.getUint32(20, true),
        numBlocks: v.getUint32(24, true),
        familyId: flags & FLAG_FAMILY_ID_PRESENT ? v.getUint32(28, true) : undefined,
    }
}

/** One UF2 block of main flash, `payload` (at most 256 bytes) at `targetAddr`. */
export function encodeUf2Block(block: Omit<Uf2Block, "flags">): Uint8Array {
    if (block.payload.length > UF2_PAYLOAD_SIZE) throw new RangeError(`a UF2 block carries at most ${UF2_PAYLOAD_SIZE} bytes`)
    const out = new Uint8Array(UF2_BLOCK_SIZE)
    const v = view(out)
    v.setUint32(0, MAGIC_START0, true)
    v.setUint32(4, MAGIC_START1, true)
    v.setUint32(8, block.familyId === undefined ? 0 : FLAG_FAMILY_ID_PRESENT, true)
    v.setUint32(12, block.targetAddr, true)
    v.setUint32(16, UF2_PAYLOAD_SIZE, true)
    v.setUint32(20, block.blockNo, true)
    v.setUint32(24, block.numBlocks, true)
    v.setUint32(28, block.familyId ?? 0, true)
    out.set(block.payload, DATA_OFFSET)
    v.setUint32(508, MAGIC_END, true)
    return out
}

/** The flash from `address` on, `length` bytes, as the UF2 file leaves it: 0xFF (erased) where no block writes. */
export function readFlash(blocks: readonly Uf2Block[], address: number, length: number): Uint8Array {
    const out = new Uint8Array(length).fill(0xff)
    for (const block of blocks) {
        if (block.flags & FLAG_NOT_MAIN_FLASH) continue
        const start = Math.max(address, block.targetAddr)
        const end = Math.min(address + length, block.targetAddr + block.payload.length)
        if (start < end) out.set(block.payload.subarray(start - block.targetAddr, end - block.targetAddr), start - address)
    }
    return out
}

/** Where the RP2040 maps its flash. */
export const RP2040_FLASH_BASE = 0x10000000
/** The Raspberry Pi Pico's flash chip (W25Q16JV). */
export const PICO_FLASH_BYTES = 2 * 1024 * 1024

export function isMainFlash(block: Uf2Block): boolean {
    return !(block.flags & FLAG_NOT_MAIN_FLASH)
}

function hex(n: number): string {
    return `0x${n.toString(16)}`
}

const TEXT_SHOWN = 40

/** The first line of `bytes`, quoted, when it reads as text: a saved error page or a note in place of an image shows itself. */
function textStart(bytes: Uint8Array): string | undefined {
    const head = bytes.subarray(0, 64)
    if (head.length === 0 || head.some(b => b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f)) return undefined
    const firstLine = new TextDecoder().decode(head).split(/\r?\n/)[0].trim()
    if (!firstLine) return undefined
    return JSON.stringify(firstLine.length > TEXT_SHOWN ? `${firstLine.slice(0, TEXT_SHOWN)}...` : firstLine)
}

/**
 * Why `bytes` is no whole UF2 file for the Pico's flash, as a phrase to follow the file's name; undefined when it is
 * one. What the RP2040's boot ROM takes (RP2040 datasheet, "UF2 format details"): UF2 magic numbers in every block,
 * the RP2040 family in every block, 256-byte payloads at 256-byte aligned flash addresses; and here also every
 * block the file announces (so a cut-off download shows), all within the Pico's 2 MB.
 */
export function rp2040Uf2Problem(bytes: Uint8Array): string | undefined {
    if (bytes.length === 0) return "is empty, not a UF2 file"
    if (!startsWithUf2Magic(bytes)) {
        const text = textStart(bytes)
        return text ? `is not a UF2 file (it is text: ${text})` : "is not a UF2 file"
    }
    if (bytes.length % UF2_BLOCK_SIZE !== 0) {
        return `is cut off: ${bytes.length} bytes is not a whole number of ${UF2_BLOCK_SIZE}-byte UF2 blocks`
    }
    let blocks: Uf2Block[]
    try {
        blocks = parseUf2(bytes)
    } catch (e) {
        return `is not a valid UF2 file (${(e as Error).message})`
    }
    return familyProblem(blocks) ?? countProblem(blocks) ?? placementProblem(blocks)
}

function familyProblem(blocks: Uf2Block[]): string | undefined {
    const index = blocks.findIndex(b => isMainFlash(b) && b.familyId !== RP2040_FAMILY_ID)
    if (index < 0) return undefined
    const family = blocks[index].familyId
    if (family === undefined) return `is not a UF2 file for the RP2040 (block ${index} names no chip family; the RP2040's boot ROM skips such blocks)`
    return `is a UF2 file for another chip (family ${hex(family)}, not the RP2040's ${hex(RP2040_FAMILY_ID)})`
}

function countProblem(blocks: Uf2Block[]): string | undefined {
    const announced = blocks[0].numBlocks
    if (blocks.length < announced && blocks.every((b, i) => b.blockNo === i && b.numBlocks === announced)) {
        return `is cut off: it holds ${blocks.length} of the ${announced} blocks it announces`
    }
    const index = blocks.findIndex((b, i) => b.blockNo !== i || b.numBlocks !== blocks.length)
    if (index < 0) return undefined
    const block = blocks[index]
    return `is not a whole UF2 file (block ${index} is numbered ${block.blockNo} of ${block.numBlocks}, not ${index} of ${blocks.length})`
}

function placementProblem(blocks: Uf2Block[]): string | undefined {
    const flashEnd = RP2040_FLASH_BASE + PICO_FLASH_BYTES
    for (const [index, block] of blocks.entries()) {
        if (!isMainFlash(block)) continue
        const { targetAddr, payload } = block
        if (payload.length !== UF2_PAYLOAD_SIZE || targetAddr % UF2_PAYLOAD_SIZE !== 0) {
            return `is not a UF2 file the RP2040 takes (block ${index}: ${payload.length} bytes at ${hex(targetAddr)}; it takes ${UF2_PAYLOAD_SIZE} bytes at ${UF2_PAYLOAD_SIZE}-byte aligned addresses)`
        }
        if (targetAddr < RP2040_FLASH_BASE || targetAddr + payload.length > flashEnd) {
            return `writes outside the Pico's 2 MB of flash (block ${index} at ${hex(targetAddr)}; the flash is ${hex(RP2040_FLASH_BASE)} to ${hex(flashEnd)})`
        }
    }
    return undefined
}
