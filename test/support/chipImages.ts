// Fake runtimes and boot ROMs for the emulated Pico's file checks: right in form, not code that runs.
import { createHash } from "node:crypto"
import { BOOTROM_BYTES, encodeUf2Block, RP2040_FAMILY_ID, RP2040_FLASH_BASE, UF2_PAYLOAD_SIZE } from "../../sim/index.js"

/** A UF2 of `kilobytes` of flash from its start, for the RP2040, in order: what a runtime looks like to the checks. */
export function fakeChipRuntime(kilobytes = 128, options: { at?: number; familyId?: number } = {}): Uint8Array {
    const count = (kilobytes * 1024) / UF2_PAYLOAD_SIZE
    const blocks = Array.from({ length: count }, (_, i) =>
        encodeUf2Block({
            targetAddr: (options.at ?? RP2040_FLASH_BASE) + i * UF2_PAYLOAD_SIZE,
            payload: Uint8Array.from({ length: UF2_PAYLOAD_SIZE }, (_, j) => (i + j * 7) & 0xff),
            blockNo: i,
            numBlocks: count,
            familyId: options.familyId ?? RP2040_FAMILY_ID,
        }),
    )
    return new Uint8Array(Buffer.concat(blocks))
}

/** 16 KB with the RP2040 boot ROM's "Mu" magic and `version` (1 = B0, 2 = B1, 3 = B2) at 0x10; the rest a pattern. */
export function fakeBootrom(version = 2): Uint8Array {
    const bytes = Uint8Array.from({ length: BOOTROM_BYTES }, (_, i) => (i * 13 + 5) & 0xff)
    bytes.set([0x4d, 0x75, 0x01, version], 0x10)
    return bytes
}

export function sha256(bytes: Uint8Array): string {
    return createHash("sha256").update(bytes).digest("hex")
}
