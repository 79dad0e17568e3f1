// The image `npm run flash -- --board pico_button_led` makes: `devs bundle` (runtime, board config, program) in one UF2.
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { devsCommand, ROOT } from "../builds.js"

export const PICO_BOARD = "pico_button_led"
/** `devs bundle` starts devtools on the fixed ports 8081-8083: every user of them takes this lock. */
export const PORTS_LOCK = "/tmp/devs-ports.lock"
const RUNTIME_CACHE = join(".devicescript", "cache", "devicescript-rp2040-pico.uf2")

export interface BundleSource {
    /** A name for the image (built/chip/<name>-<hash>.uf2). */
    name: string
    /** The entry point, relative to the project folder. */
    entry: string
    /** The runtime image to bundle with. */
    runtime: string
}

/**
 * Bundles `entry` for the Pico with `devs bundle --board pico_button_led`, under the
 * ports lock. Images are kept by a hash of what goes in them (runtime, board file,
 * sources), so an unchanged build is bundled once.
 */
export async function bundleForPico(source: BundleSource, projectDir = ROOT): Promise<string> {
    const image = join(projectDir, "built", "chip", `${source.name}-${inputsHash(source, projectDir)}.uf2`)
    if (existsSync(image)) return image
    mkdirSync(join(projectDir, "built", "chip"), { recursive: true })
    seedRuntimeCache(source.runtime, projectDir)
    const partial = `${image}.partial`
    const [node, devs] = devsCommand()
    const bundle = [node, devs, "--no-colors", "bundle", "--board", PICO_BOARD, "--flash-file", partial, source.entry]
    const run = await runLocked(bundle, projectDir)
    if (run.code !== 0 || !existsSync(partial)) {
        const why = run.output.split("\n").map(l => l.trim()).filter(Boolean).at(-1) ?? "(no output)"
        throw new Error(`devs bundle ${source.entry} for ${PICO_BOARD} failed (exit ${run.code}): ${why}`)
    }
    renameSync(partial, image)
    return image
}

function inputsHash(source: BundleSource, projectDir: string): string {
    const hash = createHash("sha256")
    const files = [
        source.runtime,
        join(projectDir, "boards", `${PICO_BOARD}.board.json`),
        join(projectDir, "devsconfig.json"),
        join(projectDir, source.entry),
        ...readdirSync(join(projectDir, "src"))
            .filter(f => !f.startsWith(".") && (f.endsWith(".ts") || f.endsWith(".json")))
            .sort()
            .map(f => join(projectDir, "src", f)),
    ]
    for (const file of files) hash.update(relative(projectDir, file)).update(readFileSync(file))
    return hash.digest("hex").slice(0, 12)
}

/** `devs bundle` takes the runtime from the CLI's cache when it is under 24 h old; this puts the chosen one there, fresh. */
function seedRuntimeCache(runtime: string, projectDir: string) {
    const cached = join(projectDir, RUNTIME_CACHE)
    mkdirSync(join(projectDir, ".devicescript", "cache"), { recursive: true })
    const same = existsSync(cached) && readFileSync(cached).equals(readFileSync(runtime))
    if (!same) copyFileSync(runtime, cached)
    const now = new Date()
    utimesSync(cached, now, now)
}

/** The CLI's exit code when its ports are taken (by something that did not take the lock). */
const EXIT_PORTS_IN_USE = 100
const PORT_RETRIES = 6
const PORT_RETRY_DELAY_MS = 10_000

/** Runs `command` under `flock PORTS_LOCK` (as is, where flock is not installed), trying again while the ports are taken. */
async function runLocked(command: string[], cwd: string): Promise<{ code: number; output: string }> {
    for (let attempt = 1; ; attempt++) {
        let result = await run(["flock", PORTS_LOCK, ...command], cwd)
        if (result.code === 127 || /flock: not found|ENOENT/.test(result.output)) result = await run(command, cwd)
        if (result.code !== EXIT_PORTS_IN_USE || attempt >= PORT_RETRIES) return result
        await new Promise(resolve => setTimeout(resolve, PORT_RETRY_DELAY_MS))
    }
}

function run([program, ...args]: string[], cwd: string): Promise<{ code: number; output: string }> {
    return new Promise(resolve => {
        const child = spawn(program, args, { cwd, stdio: ["ignore", "pipe", "pipe"] })
        let output = ""
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
        child.on("error", e => resolve({ code: 127, output: String(e) }))
        child.on("close", code => resolve({ code: code ?? 1, output }))
    })
}

/**
 * A superloop build with another LOOP_MS, from a temporary entry next to
 * src/mainSuperloop.ts (removed afterwards); the committed source is not touched.
 */
export async function bundleSuperloopVariant(loopMs: number, runtime: string, projectDir = ROOT): Promise<string> {
    const original = readFileSync(join(projectDir, "src", "mainSuperloop.ts"), "utf8")
    const pattern = /^const LOOP_MS = \d+$/m
    if (!pattern.test(original)) throw new Error("src/mainSuperloop.ts has no `const LOOP_MS = <n>` line to vary")
    return bundleEntryVariant(`superloop-loop${loopMs}ms`, original.replace(pattern, `const LOOP_MS = ${loopMs}`), runtime, projectDir)
}

/**
 * Bundles `source` as a build's entry, from a temporary file in src/ (so that its
 * imports of the firmware's modules resolve), removed afterwards.
 */
export async function bundleEntryVariant(name: string, source: string, runtime: string, projectDir = ROOT): Promise<string> {
    const entry = join("src", `.chipVariant-${name}.ts`)
    writeFileSync(join(projectDir, entry), source)
    try {
        return await bundleForPico({ name, entry, runtime }, projectDir)
    } finally {
        rmSync(join(projectDir, entry), { force: true })
    }
}
