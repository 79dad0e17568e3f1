// Checks that a runtime (or a bundled image) is for the board's chip before anything is built or flashed.
import { existsSync, readFileSync, statSync } from "node:fs"
import { basename } from "node:path"
import { isUf2, rp2040Uf2Problem } from "../../sim/index.js"
import { UserError } from "../lib/errors.js"
import { ESP32_IMAGE_OFFSET, RUNTIMES, type Board } from "./boards.js"

const ESP_IMAGE_MAGIC = 0xe9
/** Chip ids in the ESP-IDF image header (`esp_chip_id_t`). */
const ESP_CHIP_NAMES: Record<number, string> = {
    0: "ESP32",
    2: "ESP32-S2",
    5: "ESP32-C3",
    9: "ESP32-S3",
    12: "ESP32-C2",
    13: "ESP32-C6",
    16: "ESP32-H2",
}
const ESP32_CHIP_ID = 0
/** In a full image that starts at 0x1000 (bootloader first), the partition table at flash 0x8000 starts with AA 50. */
const PARTITION_TABLE_AT = 0x8000 - ESP32_IMAGE_OFFSET

/**
 * Reads `file`, failing with one line unless it is an image for `board`'s chip: a runtime (`--firmware`), or an
 * image bundled by `--bundle-only` (`--image`); the advice is the one for that option.
 */
export function checkFirmwareFile(file: string, board: Board, option: "--firmware" | "--image" = "--firmware"): void {
    const what = option === "--image" ? "image" : "firmware file"
    if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`no ${what} ${file}`)
    const bytes = new Uint8Array(readFileSync(file))
    const problem = board.chip === "rp2040" ? rp2040Uf2Problem(bytes) : esp32Problem(bytes, basename(file))
    if (problem) throw new UserError(`${file} ${problem}; ${option === "--image" ? imageAdvice(board) : runtimeAdvice(board)}`)
}

function runtimeAdvice(board: Board): string {
    const runtime = RUNTIMES[board.chip]
    return `${board.id} needs the ${runtime.chipName} runtime (${runtime.cacheName})`
}

/** Where a right image for `--image` comes from. */
export function imageAdvice(board: Board): string {
    const image = RUNTIMES[board.chip].imageName(board.id)
    return `--image takes an image bundled for ${board.id}: npm run flash -- --board ${board.id} --build superloop|async --bundle-only writes built/<build>/${image}`
}

function esp32Problem(bytes: Uint8Array, name: string): string | undefined {
    if (isUf2(bytes)) return "is a UF2 file (for an RP2040?), not an ESP32 image"
    const offset = /-(0x[0-9a-f]+)\.bin$/i.exec(name)?.[1]
    if (offset && parseInt(offset, 16) !== ESP32_IMAGE_OFFSET) {
        return `is an image for flash offset ${offset}, not 0x${ESP32_IMAGE_OFFSET.toString(16)}`
    }
    if (bytes[0] !== ESP_IMAGE_MAGIC) return "is not an ESP32 flash image (no 0xE9 image header)"
    const chipId = bytes.length >= 14 ? bytes[12] | (bytes[13] << 8) : -1
    if (chipId !== ESP32_CHIP_ID) return `is an image for the ${ESP_CHIP_NAMES[chipId] ?? `chip id ${chipId}`}, not the ESP32`
    if (bytes[PARTITION_TABLE_AT] !== 0xaa || bytes[PARTITION_TABLE_AT + 1] !== 0x50) {
        return "is not a full ESP32 image for offset 0x1000 (no partition table at 0x8000: an app-only image?)"
    }
    return undefined
}
