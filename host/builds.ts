// The firmware's builds, and building them with the pinned DeviceScript CLI into built/<name>/.
import { spawnSync } from "node:child_process"
import { cpSync, mkdirSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { ScratchProject } from "./scratchProject.js"

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..")

/**
 * Every build of the firmware, in the order tables and charts show them. This list
 * drives building, the simulator, the comparison, the page, fuzzing, mutants and the
 * tests: adding a build is one entry here and its entry point in src/. `style` and
 * `summary` (one sentence; `code` in backquotes) say how it is written, where a
 * person reads about it (the page); `color` is its colour in charts and on the page.
 */
export const BUILDS = [
    {
        name: "superloop",
        entry: "src/mainSuperloop.ts",
        style: "a superloop with flags",
        summary: "Event handlers only raise flags; one `while (true)` loop checks them every 10 ms and does all the work.",
        color: "#d9480f",
    },
    {
        name: "async",
        entry: "src/mainAsync.ts",
        style: "async/await tasks",
        summary: "Each press starts a task that sends its request, `await`s the reply or the timeout, and handles the result.",
        color: "#1971c2",
    },
    {
        name: "eventloop",
        entry: "src/mainEventLoop.ts",
        style: "an explicit event loop",
        summary: "The loop async/await hides, written out: handlers store what arrived and wake the loop; each request is a chain of callbacks it runs.",
        color: "#2f9e44",
    },
] as const

export type Build = (typeof BUILDS)[number]
export type BuildName = Build["name"]
export const BUILD_NAMES: BuildName[] = BUILDS.map(b => b.name)

export function isBuildName(name: string): name is BuildName {
    return (BUILD_NAMES as string[]).includes(name)
}

/** The build called `name`; throws, naming the builds there are, for any other name. */
export function buildNamed(name: string): Build {
    const found = BUILDS.find(b => b.name === name)
    if (!found) throw new UnknownBuildError(name)
    return found
}

export class UnknownBuildError extends Error {
    constructor(name: string) {
        super(`unknown build "${name}": choose one of ${BUILD_NAMES.join(", ")}`)
    }
}

const require = createRequire(import.meta.url)

/** The `devs` command of the pinned CLI, run with this Node. */
export function devsCommand(): string[] {
    return [process.execPath, require.resolve("@devicescript/cli/devicescript")]
}

/** Where a build's outputs land: bytecode.devs, bytecode-dbg.json, bytecode-sizes.md. */
export function buildDir(name: string): string {
    return join(ROOT, "built", name)
}

export function programPath(name: string): string {
    return join(buildDir(name), "bytecode.devs")
}

/**
 * Runs `devs build` on one entry point, in a copy of the sources outside git (see
 * ScratchProject), so the program's bytes do not depend on the commit or on
 * uncommitted changes. The CLI always writes to .devicescript/bin (`-o` is broken
 * in 2.16.4), so the outputs are copied away. `files` are written into the copy over the
 * sources (path relative to the project: contents): a variant's entry point, say.
 */
export function build(name: string, entry: string, files: Record<string, string> = {}): void {
    const [node, devs] = devsCommand()
    const scratch = new ScratchProject(ROOT, entry, files)
    try {
        const run = spawnSync(node, [devs, "--no-colors", "--quiet", "build", entry], { cwd: scratch.dir, encoding: "utf8" })
        if (run.status !== 0) {
            throw new Error(`devs build ${entry} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`)
        }
        rmSync(buildDir(name), { recursive: true, force: true })
        mkdirSync(buildDir(name), { recursive: true })
        cpSync(join(scratch.dir, ".devicescript/bin"), buildDir(name), { recursive: true })
    } finally {
        scratch.remove()
    }
}

export function buildAll(names: readonly BuildName[] = BUILD_NAMES): void {
    for (const name of names) {
        const { entry } = buildNamed(name)
        process.stdout.write(`building ${name} (${entry})... `)
        build(name, entry)
        console.log(`built/${name}/bytecode.devs`)
    }
}
