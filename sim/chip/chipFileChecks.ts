// What makes a file one the emulated Pico can use: DeviceScript's RP2040 runtime, or the RP2040 boot ROM.
import { createHash } from "node:crypto"
import { isMainFlash, parseUf2, RP2040_FLASH_BASE, rp2040Uf2Problem, UF2_PAYLOAD_SIZE } from "./uf2.js"

/** Where `devs bundle` puts the program (the CLI's rp2040 arch config): a runtime ends before it. */
export const PROGRAM_STORAGE_AT = 0x100e0000
/** DeviceScript's VM alone takes hundreds of KB (the released runtime spans 860 KB): anything smaller is another program. */
export const MIN_RUNTIME_BYTES = 64 * 1024

export const BOOTROM_BYTES = 16 * 1024
/** The RP2040 B1 boot ROM (raspberrypi/pico-bootrom `b1`, the words of rp2040js's demo/bootrom.ts). */
export const BOOTROM_B1_SHA256 = "90b31e108faedfa6bbcfcc33ba05dac61e645108cfbbdc385f8dafc71fde44ae"
/** The RP2040 datasheet's "Bootrom Contents": "Mu", 1 at 0x10, then the ROM's version. */
const BOOTROM_MAGIC = [0x4d, 0x75, 0x01]
const BOOTROM_MAGIC_AT = 0x10
const BOOTROM_VERSION_AT = 0x13
const BOOTROM_VERSIONS: Record<number, string> = { 1: "B0", 2: "B1", 3: "B2" }

function hex(n: number): string {
    return `0x${n.toString(16)}`
}

/** Why `bytes` cannot be the runtime the emulated Pico boots, as a phrase to follow the file's name; undefined if it can. */
export function runtimeProblem(bytes: Uint8Array): string | undefined {
    const notUf2 = rp2040Uf2Problem(bytes)
    if (notUf2) return notUf2
    const blocks = parseUf2(bytes).filter(isMainFlash)
    if (blocks.length === 0) return "writes nothing to flash: not a runtime"
    const start = Math.min(...blocks.map(b => b.targetAddr))
    const end = Math.max(...blocks.map(b => b.targetAddr + b.payload.length))
    if (start !== RP2040_FLASH_BASE) {
        return `starts at ${hex(start)}, not at the start of flash (${hex(RP2040_FLASH_BASE)}) where the RP2040 boots from: not a runtime`
    }
    if (end > PROGRAM_STORAGE_AT) {
        return `reaches ${hex(end)}, past ${hex(PROGRAM_STORAGE_AT)} where devs bundle puts the program: a bundled image, not the runtime`
    }
    const kilobytes = (blocks.length * UF2_PAYLOAD_SIZE) / 1024
    if (kilobytes * 1024 < MIN_RUNTIME_BYTES) {
        return `holds only ${kilobytes} KB of flash: too small for DeviceScript's RP2040 runtime (about 860 KB)`
    }
    return undefined
}

export interface BootromCheck {
    /** Why the file cannot be used, as a phrase to follow its name. */
    problem?: string
    /** Why it can be used but the runs may differ from this project's. */
    warning?: string
}

/**
 * An RP2040 boot ROM is 16 KB with "Mu" at 0x10. The B1 ROM (what this project runs, and rp2040js's) must be the
 * known one, byte for byte. The B0 and B2 ROMs (older and newer chips) are taken with a warning: they are real boot
 * ROMs of the RP2040, which the runtime only calls for flash and memory routines, but no run here used them.
 */
export function checkBootrom(bytes: Uint8Array, b1Sha256 = BOOTROM_B1_SHA256): BootromCheck {
    if (bytes.length !== BOOTROM_BYTES) return { problem: `is ${bytes.length} bytes, not ${BOOTROM_BYTES} (16 KB) as the RP2040 boot ROM is` }
    if (!BOOTROM_MAGIC.every((b, i) => bytes[BOOTROM_MAGIC_AT + i] === b)) {
        return { problem: `is not an RP2040 boot ROM (no "Mu" magic at ${hex(BOOTROM_MAGIC_AT)})` }
    }
    const versionByte = bytes[BOOTROM_VERSION_AT]
    const version = BOOTROM_VERSIONS[versionByte]
    if (!version) return { problem: `is an RP2040 boot ROM of unknown version ${versionByte} (B0 is 1, B1 2, B2 3)` }
    if (version !== "B1") return { warning: `is the RP2040 ${version} boot ROM: runs here were made with B1 only, so they may differ` }
    const sha = createHash("sha256").update(bytes).digest("hex")
    if (sha !== b1Sha256) return { problem: `claims to be the B1 boot ROM but its sha256 is ${sha}, not ${b1Sha256}: a damaged or changed copy` }
    return {}
}
