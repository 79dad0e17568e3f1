// Reads a UF2 file (https://github.com/microsoft/uf2) into the flash it describes.

const BLOCK_SIZE = 512
const MAGIC_START0 = 0x0a324655
const MAGIC_START1 = 0x9e5d5157
const MAGIC_END = 0x0ab16f30
const FLAG_NOT_MAIN_FLASH = 0x1
const DATA_OFFSET = 32

export const FLASH_BASE = 0x10000000

/** Writes every main-flash block of `uf2` into `flash` (which starts at 0x10000000); returns how many blocks. */
export function loadUf2(uf2: Uint8Array, flash: Uint8Array): number {
    if (uf2.length === 0 || uf2.length % BLOCK_SIZE !== 0) throw new Error(`not a UF2 file: ${uf2.length} bytes is not a whole number of 512-byte blocks`)
    let blocks = 0
    for (let offset = 0; offset < uf2.length; offset += BLOCK_SIZE) {
        const view = new DataView(uf2.buffer, uf2.byteOffset + offset, BLOCK_SIZE)
        const magicOk = view.getUint32(0, true) === MAGIC_START0 && view.getUint32(4, true) === MAGIC_START1 && view.getUint32(508, true) === MAGIC_END
        if (!magicOk) throw new Error(`not a UF2 file: block ${offset / BLOCK_SIZE} has no UF2 magic numbers`)
        if (view.getUint32(8, true) & FLAG_NOT_MAIN_FLASH) continue
        const address = view.getUint32(12, true) - FLASH_BASE
        const size = view.getUint32(16, true)
        if (address < 0 || address + size > flash.length || size > 476) throw new Error(`UF2 block ${offset / BLOCK_SIZE} writes outside the flash`)
        flash.set(uf2.subarray(offset + DATA_OFFSET, offset + DATA_OFFSET + size), address)
        blocks++
    }
    return blocks
}
