// Reads a UF2 file (https://github.com/microsoft/uf2) into the flash it describes.
import { isMainFlash, parseUf2, RP2040_FLASH_BASE } from "./uf2.js"

export const FLASH_BASE = RP2040_FLASH_BASE

/** Writes every main-flash block of `uf2` into `flash` (which starts at 0x10000000); returns how many blocks. */
export function loadUf2(uf2: Uint8Array, flash: Uint8Array): number {
    let blocks = 0
    for (const [index, block] of parseUf2(uf2).entries()) {
        if (!isMainFlash(block)) continue
        const address = block.targetAddr - FLASH_BASE
        if (address < 0 || address + block.payload.length > flash.length) throw new Error(`UF2 block ${index} writes outside the flash`)
        flash.set(block.payload, address)
        blocks++
    }
    return blocks
}
