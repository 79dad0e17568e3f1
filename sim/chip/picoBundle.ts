// The image `npm run flash -- --board pico_button_led` makes: `devs bundle` (runtime, board config, program) in one UF2.
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync } from "node:fs"
import { join, relative } from "node:path"
import { devsCommand, ROOT } from "../../host/builds.js"
import { ScratchProject } from "../../host/scratchProject.js"
import { runtimeProblem } from "./chipFileChecks.js"

export const PICO_BOARD = "pico_button_led"
/** `devs bundle` starts devtools on the fixed ports 8081-8083: every user of them takes this lock. */
export const PORTS_LOCK = "/tmp/devs-ports.lock"
const RUNTIME_CACHE = join(".devicescript", "cache", "devicescript-rp2040-pico.uf2")
/** Part of every image's hash: images bundled another way (in the project, stamped with its commit) are not reused. */
const BUNDLE_RECIPE = "devs bundle in a scratch copy outside git"

export interface BundleSource {
    /** A name for the image (built/chip/<name>-<hash>.uf2). */
    name: string
    /** The entry point, relative to the project folder. */
    entry: string
    /** The runtime image to bundle with. */
    runtime: string
    /** The entry point's source, when it is not the project's file (a variant). */
    entrySource?: string
}

/**
 * Bundles `entry` for the Pico with `devs bundle --board pico_button_led`, under the
 * ports lock, in a copy of the sources outside git (see ScratchProject): the image's
 * bytes depend only on the sources, the runtime and the board. Images are kept by a
 * hash of those, so an unchanged build is bundled once.
 */
export async function bundleForPico(source: BundleSource, projectDir = ROOT): Promise<string> {
    const image = join(projectDir, "built", "chip", `${source.name}-${inputsHash(source, projectDir)}.uf2`)
    if (existsSync(image)) return image
    mkdirSync(join(projectDir, "built", "chip"), { recursive: true })
    const files = source.entrySource === undefined ? {} : { [source.entry]: source.entrySource }
    const scratch = new ScratchProject(projectDir, source.entry, files)
    const partial = `${image}.partial`
    try {
        seedRuntimeCache(source.runtime, scratch.dir)
        const [node, devs] = devsCommand()
        const bundle = [node, devs, "--no-colors", "bundle", "--board", PICO_BOARD, "--flash-file", partial, source.entry]
        const run = await runLocked(bundle, scratch.dir)
        if (run.code !== 0 || !existsSync(partial)) {
            const why = devsFailureLine(run.output)
            throw new Error(`devs bundle ${source.entry} for ${PICO_BOARD} failed (exit ${run.code}): ${why}`)
        }
    } finally {
        scratch.remove()
    }
    renameSync(partial, image)
    return image
}

/** The line of a failed `devs` run that says why: its error, where it crashed with one (Node prints its version last). */
export function devsFailureLine(output: string): string {
    const lines = output.split("\n").map(l => l.trim()).filter(Boolean)
    return lines.find(l => /^[a-z]*error\b/i.test(l)) ?? lines.at(-1) ?? "(no output)"
}

function inputsHash(source: BundleSource, projectDir: string): string {
    const hash = createHash("sha256").update(BUNDLE_RECIPE)
    const files = [
        source.runtime,
        join(projectDir, "boards", `${PICO_BOARD}.board.json`),
        join(projectDir, "devsconfig.json"),
        join(projectDir, "package.json"),
        ...sourceFiles(join(projectDir, "src")),
    ]
    for (const file of files) hash.update(relative(projectDir, file)).update(readFileSync(file))
    hash.update(source.entry).update(source.entrySource ?? readFileSync(join(projectDir, source.entry)))
    return hash.digest("hex").slice(0, 12)
}

/** The .ts and .json files under `dir` and its folders, in a fixed order, hidden ones left out. */
function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true })
        .filter(e => !e.name.startsWith("."))
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap(e => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|json)$/.test(e.name) ? [join(dir, e.name)] : []))
}

/**
 * `devs bundle` takes the runtime from the CLI's cache when it is under 24 h old; this puts the chosen one there,
 * fresh. A file that is no runtime is refused rather than cached, where every later bundle would fail on it.
 */
function seedRuntimeCache(runtime: string, projectDir: string) {
    const bytes = readFileSync(runtime)
    const problem = runtimeProblem(bytes)
    if (problem) throw new Error(`${runtime} ${problem}; not copied into ${RUNTIME_CACHE}`)
    const cached = join(projectDir, RUNTIME_CACHE)
    mkdirSync(join(projectDir, ".devicescript", "cache"), { recursive: true })
    const same = existsSync(cached) && readFileSync(cached).equals(bytes)
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

/** A superloop build with another LOOP_MS: src/mainSuperloop.ts changed in the scratch copy only. */
export async function bundleSuperloopVariant(loopMs: number, runtime: string, projectDir = ROOT): Promise<string> {
    const original = readFileSync(join(projectDir, "src", "mainSuperloop.ts"), "utf8")
    const pattern = /^const LOOP_MS = \d+$/m
    if (!pattern.test(original)) throw new Error("src/mainSuperloop.ts has no `const LOOP_MS = <n>` line to vary")
    return bundleEntryVariant(`superloop-loop${loopMs}ms`, original.replace(pattern, `const LOOP_MS = ${loopMs}`), runtime, projectDir)
}

/**
 * Bundles `source` in the place of a build's entry point (src/mainSuperloop.ts unless said otherwise), in the
 * scratch copy the image is made from: the project's own src/ is not touched.
 */
export async function bundleEntryVariant(name: string, source: string, runtime: string, projectDir = ROOT, entry = join("src", "mainSuperloop.ts")): Promise<string> {
    return bundleForPico({ name, entry, runtime, entrySource: source }, projectDir)
}
