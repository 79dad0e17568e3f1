// The project's boards (boards/*.board.json, the CLI's custom board format) and the runtime each one needs.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { UserError } from "../lib/errors.js"

export type Chip = "esp32" | "rp2040"

export interface Board {
    id: string
    devName: string
    chip: Chip
}

/**
 * The generic DeviceScript runtime of each chip, as `devs bundle` and `devs flash`
 * fetch it (the file name of the arch's `bareUrl` in the CLI's boards.json) and
 * cache it under `.devicescript/cache/`, and how an image for a board is named.
 */
export interface Runtime {
    chipName: string
    /** The runtime's file name in the CLI's cache. */
    cacheName: string
    /** The image bundled for `boardId`; ESP32 images end in their flash offset (`-0x1000.bin`), as `devs flash` needs. */
    imageName(boardId: string): string
}

export const RUNTIMES: Record<Chip, Runtime> = {
    esp32: {
        chipName: "ESP32",
        cacheName: "devicescript-esp32-esp32_bare-0x1000.bin",
        imageName: id => `${id}-0x1000.bin`,
    },
    rp2040: {
        chipName: "RP2040",
        cacheName: "devicescript-rp2040-pico.uf2",
        imageName: id => `${id}.uf2`,
    },
}

/** The ESP32 runtime image starts at this flash address (its `-0x1000.bin` suffix). */
export const ESP32_IMAGE_OFFSET = 0x1000

/** The ids of the project's boards: the file names of boards/*.board.json. */
export function boardIds(projectDir: string): string[] {
    const dir = join(projectDir, "boards")
    if (!existsSync(dir)) return []
    return readdirSync(dir)
        .filter(name => name.endsWith(".board.json"))
        .map(name => name.slice(0, -".board.json".length))
        .sort()
}

/** The board with this id; fails with one line naming the ones there are. */
export function findBoard(projectDir: string, id: string | undefined): Board {
    const ids = boardIds(projectDir)
    const choices = `use one of: ${ids.join(", ")}`
    if (!id) throw new UserError(`--board is required; ${choices}`)
    if (!ids.includes(id)) throw new UserError(`unknown board "${id}"; ${choices}`)
    const json = JSON.parse(readFileSync(join(projectDir, "boards", `${id}.board.json`), "utf8")) as {
        devName?: string
        archId?: string
    }
    if (json.archId !== "esp32" && json.archId !== "rp2040") {
        throw new UserError(`board "${id}" is for the ${json.archId} chip; this tool flashes esp32 and rp2040 boards`)
    }
    return { id, devName: json.devName ?? id, chip: json.archId }
}
