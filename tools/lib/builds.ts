// The `--build NAME` option every command shares: one build, or all of them.
import { BUILD_NAMES, buildNamed, type BuildName } from "../../host/index.js"
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
