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
    if (bytes.length < UF2_BLOCK_SIZE) return false
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
