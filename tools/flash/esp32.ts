// Flashing an ESP32: `devs flash esp32`, which runs esptool on the board's USB-serial port.
import { spawnSync } from "node:child_process"
import { accessSync, constants, statSync } from "node:fs"
import { delimiter, join } from "node:path"
import { SerialPort } from "serialport"
import { UserError } from "../lib/errors.js"
import type { Board } from "./boards.js"
import { runCommand } from "./devs.js"

/** USB vendors of the ESP32 boards' USB-serial chips, as `devs flash` filters ports: SiLabs CP210x, Espressif, WCH CH34x, FTDI. */
export const ESP32_USB_VENDORS = ["10c4", "303a", "1a86", "0403"]

/** The esptool command to use: `--esptool`, else esptool.py or esptool on PATH, else `python3 -m esptool`. */
export function findEsptool(explicit?: string): string {
    if (explicit) {
        if (!isExecutable(explicit)) throw new UserError(`--esptool ${explicit} is not an executable file`)
        return explicit
    }
    const onPath = findOnPath("esptool.py") ?? findOnPath("esptool")
    if (onPath) return onPath
    for (const python of ["python3", "python"]) {
        const probe = spawnSync(python, ["-m", "esptool", "version"], { stdio: "ignore", timeout: 20_000 })
        if (probe.status === 0) return `${python} -m esptool`
    }
    throw new UserError("esptool is missing: install it with `pip install esptool` (or pass --esptool /path/to/esptool.py)")
}

function findOnPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
        if (!dir) continue
        const path = join(dir, name)
        if (isExecutable(path)) return path
    }
    return undefined
}

function isExecutable(path: string): boolean {
    try {
        accessSync(path, constants.X_OK)
        return statSync(path).isFile()
    } catch {
        return false
    }
}

/** The serial port to flash through: `--port` if the system lists it, else the one USB-serial port there is. */
export async function findSerialPort(requested?: string): Promise<string> {
    let ports: { path: string; vendorId?: string }[]
    try {
        ports = await SerialPort.list()
    } catch (e) {
        const missing = (e as NodeJS.ErrnoException).code === "ENOENT" ? " (udevadm is missing: install udev)" : ""
        throw new UserError(`cannot list serial ports${missing}: ${(e as Error).message}`)
    }
    const hint = "plug the board in over USB (hold BOOT while plugging in if it does not show up)"
    if (requested) {
        if (ports.some(p => p.path === requested)) return requested
        const found = ports.length ? `; ports found: ${ports.map(p => p.path).join(", ")}` : ""
        throw new UserError(`no serial port ${requested}: ${hint}${found}`)
    }
    const viable = ports.filter(p => ESP32_USB_VENDORS.includes((p.vendorId ?? "").toLowerCase()))
    if (viable.length === 0) {
        const others = ports.length ? `; other ports: ${ports.map(p => p.path).join(", ")} (pick one with --port)` : ""
        throw new UserError(`no serial port found for the ESP32: ${hint}, or pass --port /dev/ttyUSB0${others}`)
    }
    if (viable.length > 1) throw new UserError(`several serial ports could be the board (${viable.map(p => p.path).join(", ")}): pass --port`)
    return viable[0].path
}

export interface Esp32Flash {
    projectDir: string
    board: Board
    image: string
    port: string
    esptool: string
    baud?: number
    verbose: boolean
}

/** Where the ESP32's image starts in flash (the bundled image's name ends in it), and `devs flash`'s baud rate. */
const FLASH_OFFSET = "0x1000"
const DEFAULT_BAUD = 1_500_000

/**
 * The esptool command that writes `image` at 0x1000 through `port`: what `devs flash esp32` runs. It is run
 * here directly, because `devs flash` may exit before it has copied esptool's last lines (its reason).
 */
export function esp32FlashCommand(f: Omit<Esp32Flash, "projectDir" | "verbose">): string[] {
    const esptool = isExecutable(f.esptool) ? [f.esptool] : f.esptool.split(" ")
    return [...esptool, "--port", f.port, "--baud", String(f.baud ?? DEFAULT_BAUD), "write_flash", FLASH_OFFSET, f.image]
}

const FATAL_PREFIX = "A fatal error occurred: "

/**
 * What esptool said last: its `A fatal error occurred: ...` line, which may be followed by a pointer to its
 * troubleshooting page; without such a line, its last line.
 */
export function esptoolReason(output: string): string | undefined {
    const lines = output.split("\n").map(line => line.trim()).filter(Boolean)
    const fatal = lines.filter(line => line.startsWith(FATAL_PREFIX)).pop()
    return fatal?.slice(FATAL_PREFIX.length) ?? lines.pop()
}

export async function flashEsp32(f: Esp32Flash): Promise<void> {
    const run = await runCommand(esp32FlashCommand(f), f.projectDir, f.verbose)
    if (run.code === 0) return
    const reason = esptoolReason(run.output) ?? `exit ${run.code}, no output`
    const notTalking = /Can't start flashing|No serial data received|Failed to connect|Unable to verify flash chip connection/.test(run.output)
    const advice = notTalking ? "; hold BOOT, press EN (reset), release BOOT, and try again" : ""
    throw new UserError(`esptool failed on ${f.port}: ${reason}${advice}`)
}
