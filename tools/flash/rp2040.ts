// Flashing an RP2040: copying the UF2 image to the boot drive (RPI-RP2) the Pico shows when plugged in with BOOTSEL held.
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { basename, join } from "node:path"
import { UserError } from "../lib/errors.js"

const DRIVE_LABEL = "RPI-RP2"
const INFO_FILE = "INFO_UF2.TXT"
const HOLD_BOOTSEL = "hold BOOTSEL while plugging in the Pico"

/** Where desktops mount removable drives: `devs flash` looks in /media/$USER only. */
function mountRoots(): string[] {
    const user = process.env.USER ?? process.env.LOGNAME ?? ""
    return [join("/media", user), join("/run/media", user), "/media", "/Volumes"]
}

function isBootDrive(dir: string): boolean {
    const info = join(dir, INFO_FILE)
    return existsSync(info) && readFileSync(info, "utf8").includes("RP2")
}

/** The boot drive: `--drive` if it is one, else the one RPI-RP2 drive mounted. */
export function findDrive(requested?: string): string {
    if (requested) {
        if (!existsSync(requested) || !statSync(requested).isDirectory()) throw new UserError(`no drive folder ${requested}: ${HOLD_BOOTSEL}`)
        if (!isBootDrive(requested)) throw new UserError(`${requested} is not an RP2040 boot drive (no ${INFO_FILE}): ${HOLD_BOOTSEL}`)
        return requested
    }
    const drives = new Set<string>()
    for (const root of mountRoots()) {
        if (!existsSync(root)) continue
        for (const name of readdirSync(root)) {
            const dir = join(root, name)
            if (name.startsWith(DRIVE_LABEL) && isBootDrive(dir)) drives.add(dir)
        }
    }
    if (drives.size === 0) throw new UserError(`no RP2040 drive (${DRIVE_LABEL}) found: ${HOLD_BOOTSEL}, or pass --drive /path/to/${DRIVE_LABEL}`)
    if (drives.size > 1) throw new UserError(`several RP2040 drives (${[...drives].join(", ")}): pass --drive`)
    return [...drives][0]
}

/** Copies the image to the drive, which makes the Pico write it to flash and restart; returns the copy's path. */
export function copyToDrive(image: string, drive: string): string {
    const target = join(drive, basename(image))
    try {
        copyFileSync(image, target)
    } catch (e) {
        throw new UserError(`cannot copy the image to ${drive}: ${(e as Error).message}`)
    }
    return target
}
