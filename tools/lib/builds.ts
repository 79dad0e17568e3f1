// The `--build NAME` option every command shares: one build, or all of them.
import { existsSync } from "node:fs"
import { buildAll, BUILD_NAMES, buildNamed, type BuildName, programPath } from "../../host/index.js"
import { UserError } from "./errors.js"

/** How `--build` reads in a usage line: `--build superloop|async|…`. */
export const BUILD_CHOICES = BUILD_NAMES.join("|")

/** The builds `--build` chose: all of them when absent; an unknown name is a one-line UserError. */
export function chosenBuilds(name: string | undefined): BuildName[] {
    if (name === undefined) return [...BUILD_NAMES]
    try {
        return [buildNamed(name).name]
    } catch (e) {
        throw new UserError((e as Error).message)
    }
}

/** Whether `builds` are all the builds there are (only then may a command write the published figures). */
export function isEveryBuild(builds: readonly string[]): boolean {
    return BUILD_NAMES.every(name => builds.includes(name))
}

/**
 * Builds `builds`, or, with `--no-build`, checks they are built: a missing program is one
 * UserError saying to build first, not the file system's ENOENT.
 */
export function buildOrCheck(builds: readonly BuildName[], noBuild: boolean | undefined): void {
    if (!noBuild) return buildAll(builds)
    const missing = builds.filter(name => !existsSync(programPath(name)))
    if (missing.length) throw new UserError(`no ${missing.map(name => `built/${name}/bytecode.devs`).join(", ")}: run \`npm run build\` first, or leave out --no-build`)
}
