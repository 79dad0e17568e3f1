// Flashing an ESP32: `devs flash esp32`, which runs esptool on the board's USB-serial port.
import { spawnSync } from "node:child_process"
import { accessSync, constants, statSync } from "node:fs"
import { delimiter, join } from "node:path"
import { SerialPort } from "serialport"
import { UserError } from "../errors.js"
import type { Board } from "./boards.js"
import { lastLine, runDevs } from "./devs.js"

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

/** The `devs` arguments that flash `image` (its name ends in its offset, -0x1000.bin) through `port`. */
function esp32FlashArgs(f: Omit<Esp32Flash, "projectDir" | "verbose">): string[] {
    const args = ["flash", "--board", f.board.id, "--once", "esp32", "--file", f.image, "--port", f.port, "--esptool", f.esptool]
    return f.baud ? [...args, "--baud", String(f.baud)] : args
}

const FATAL_PREFIX = "A fatal error occurred: "

/**
 * What esptool itself said last. `devs flash` logs `run: <esptool> <args>` and then copies esptool's stdout and
 * stderr to its own stdout. esptool's reason is its `A fatal error occurred: ...` line, which may be followed by a
 * pointer to its troubleshooting page; without such a line, its last line.
 */
export function esptoolReason(devsStdout: string): string | undefined {
    const lines = devsStdout.split("\n").map(line => line.trim()).filter(Boolean)
    let start = lines.length - 1
    while (start >= 0 && !lines[start].startsWith("run: ")) start--
    const own = start < 0 ? [] : lines.slice(start + 1)
    const fatal = own.filter(line => line.startsWith(FATAL_PREFIX)).pop()
    return fatal?.slice(FATAL_PREFIX.length) ?? own.pop()
}

export async function flashEsp32(f: Esp32Flash): Promise<void> {
    const run = await runDevs(esp32FlashArgs(f), f.projectDir, f.verbose)
    if (run.code === 0 && /flash OK|flashed OK/.test(run.output)) return
    const reason = esptoolReason(run.stdout)
    if (reason === undefined) throw new UserError(`devs flash failed (exit ${run.code}): ${lastLine(run.output)}`)
    const notTalking = /Can't start flashing|No serial data received|Failed to connect|Unable to verify flash chip connection/.test(run.output)
    const advice = notTalking ? "; hold BOOT, press EN (reset), release BOOT, and try again" : ""
    throw new UserError(`esptool failed on ${f.port}: ${reason}${advice}`)
}
