// Builds the firmware entry points with the pinned DeviceScript CLI, into built/<name>/.
import { spawnSync } from "node:child_process"
import { cpSync, mkdirSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { ScratchProject } from "./scratchProject.js"

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..")
export const BUILDS = { superloop: "src/mainSuperloop.ts", async: "src/mainAsync.ts" } as const
export type BuildName = keyof typeof BUILDS

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
 * in 2.16.4), so the outputs are copied away.
 */
export function build(name: string, entry: string): void {
    const [node, devs] = devsCommand()
    const scratch = new ScratchProject(ROOT, entry)
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

export function buildAll(names: BuildName[] = Object.keys(BUILDS) as BuildName[]): void {
    for (const name of names) {
        process.stdout.write(`building ${name} (${BUILDS[name]})... `)
        build(name, BUILDS[name])
        console.log(`built/${name}/bytecode.devs`)
    }
}
