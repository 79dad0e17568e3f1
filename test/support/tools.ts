// Running the host-side tools as a user would, in a throwaway copy of the project, with fake flashing tools.
import { spawn } from "node:child_process"
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { ROOT } from "../../host/index.js"

const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href

export interface ToolRun {
    code: number | null
    stdout: string
    stderr: string
}

/** The arguments to this Node that run `tools/<script>` through tsx, as `npm run` does. */
export function toolArgs(script: string, args: string[]): string[] {
    return ["--import", TSX_LOADER, join(ROOT, "tools", script), ...args]
}

/** Runs `tools/<script>` with this Node and tsx, the way `npm run` does, in `cwd`. */
export function runTool(script: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ToolRun> {
    return runProcess(process.execPath, toolArgs(script, args), options)
}

/** Runs `command` in `cwd` (with `env` added to this process's) and collects what it printed. */
export function runProcess(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ToolRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] })
        let stdout = ""
        let stderr = ""
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk))
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk))
        child.on("error", reject)
        child.on("close", code => resolve({ code, stdout, stderr }))
    })
}

/** A fresh temporary folder; `cleanUp` removes it. */
export function tempDir(prefix: string): { dir: string; cleanUp: () => void } {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    return { dir, cleanUp: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * A copy of what `devs bundle` reads (devsconfig.json, package.json, boards/, src/,
 * and node_modules as a link), so that its outputs (.devicescript/, built/) stay
 * out of the repository and away from tests running in parallel.
 */
export function projectCopy(): { dir: string; cleanUp: () => void } {
    const copy = tempDir("flash-project-")
    for (const name of ["devsconfig.json", "package.json", "boards", "src"]) {
        cpSync(join(ROOT, name), join(copy.dir, name), { recursive: true })
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy.dir, "node_modules"), "dir")
    return copy
}

export interface FakePort {
    path: string
    /** USB vendor id, hex without 0x (10c4: SiLabs CP210x). */
    vendorId: string
}

/** `udevadm info -e` as serialport's Linux port listing reads it, for these ports. */
function udevadmListing(ports: FakePort[]): string {
    return ports
        .map(p => {
            const name = p.path.replace(/^\/dev\//, "")
            return `P: /devices/usb1/1-1/${name}\nN: ${name}\nE: DEVNAME=${p.path}\nE: SUBSYSTEM=tty\nE: ID_VENDOR_ID=${p.vendorId}\nE: ID_MODEL_ID=ea60\n\n`
        })
        .join("")
}

function writeScript(path: string, body: string) {
    writeFileSync(path, `#!/bin/sh\n${body}`)
    chmodSync(path, 0o755)
}

/** What a fake esptool.py prints (each line on stdout) and its exit code. */
export interface EsptoolAnswer {
    lines: string[]
    exitCode: number
}

const ESPTOOL_FLASHED: EsptoolAnswer = { lines: ["esptool.py v4.7.0", "Hash of data verified."], exitCode: 0 }

/**
 * A folder to use as the whole PATH, with a fake `udevadm` listing `ports` and,
 * unless `esptool` is false, a fake `esptool.py` that writes its arguments, one
 * a line, to `esptoolLog` and answers as a successful flash does (or as `esptool`
 * says). Only shell built-ins are used, so nothing else needs to be on PATH.
 */
export function fakeTools(dir: string, options: { ports?: FakePort[]; esptool?: boolean | EsptoolAnswer; udevadm?: boolean }) {
    const bin = join(dir, "bin")
    mkdirSync(bin, { recursive: true })
    const esptoolLog = join(dir, "esptool-args.txt")
    if (options.udevadm !== false) writeScript(join(bin, "udevadm"), `printf '%s' '${udevadmListing(options.ports ?? [])}'\n`)
    if (options.esptool !== false) {
        const answer = options.esptool === true || options.esptool === undefined ? ESPTOOL_FLASHED : options.esptool
        const say = answer.lines.map(line => `printf '%s\\n' '${line.replace(/'/g, `'\\''`)}'\n`).join("")
        writeScript(join(bin, "esptool.py"), `printf '%s\\n' "$@" > '${esptoolLog}'\n${say}exit ${answer.exitCode}\n`)
    }
    return { bin, esptoolLog, env: { PATH: bin } }
}

/** A folder that looks like the Pico's boot drive. */
export function fakeBootDrive(dir: string): string {
    const drive = join(dir, "RPI-RP2")
    mkdirSync(drive, { recursive: true })
    writeFileSync(join(drive, "INFO_UF2.TXT"), "UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n")
    return drive
}

/** What a tool printed on stderr, as lines. */
export function stderrLines(run: ToolRun): string[] {
    return run.stderr.split("\n").filter(line => line.trim() !== "")
}

/** The arguments the fake esptool.py was called with, one per line of its log. */
export function esptoolCall(esptoolLog: string): string[] {
    return readFileSync(esptoolLog, "utf8").trim().split("\n")
}

/** What `npm run flash` must ask esptool for: write the image at 0x1000 through `port`. */
export function expectedEsptoolCall(image: string, port = "/dev/ttyUSB0", baud = "1500000"): string[] {
    return ["--port", port, "--baud", baud, "write_flash", "0x1000", image]
}
