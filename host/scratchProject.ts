// The firmware's sources copied outside any git work tree, where the DeviceScript compiler stamps no version on a program.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"

/** What `devs build` and `devs bundle` read besides the entry point. */
const COPIED = ["package.json", "devsconfig.json", "src", "boards"]
/** The CLI looks for `.git` in the folder it runs in and this many levels up. */
const CLI_GIT_LOOKUP_LEVELS = 10

/**
 * A temporary copy of what the compiler reads. Inside a git work tree, the CLI (2.16.4,
 * `compilePackageJson`) writes `git describe` and, when the tree is dirty, the current
 * minute into the program's `@version`; outside one it writes no version at all. So a
 * program compiled here depends only on its sources. `node_modules` is a link to the
 * project's, where the CLI writes its libraries on every build, as it does for a build
 * in the project.
 */
export class ScratchProject {
    readonly dir: string

    /** `files` are written into the copy (path relative to its root: contents), over what was copied. */
    constructor(projectDir: string, entry: string, files: Record<string, string> = {}) {
        this.dir = mkdtempSync(join(tmpdir(), "devs-scratch-"))
        const gitAbove = gitFolderAbove(this.dir)
        if (gitAbove) {
            this.remove()
            throw new Error(`the temporary folder is inside a git work tree (${gitAbove}): the compiler would stamp its commit on programs; set TMPDIR elsewhere`)
        }
        for (const path of [...COPIED, entry]) {
            if (existsSync(join(projectDir, path))) cpSync(join(projectDir, path), join(this.dir, path), { recursive: true })
        }
        for (const [path, contents] of Object.entries(files)) {
            mkdirSync(dirname(join(this.dir, path)), { recursive: true })
            writeFileSync(join(this.dir, path), contents)
        }
        symlinkSync(join(projectDir, "node_modules"), join(this.dir, "node_modules"), "dir")
    }

    remove(): void {
        rmSync(this.dir, { recursive: true, force: true })
    }
}

/** The `.git` the CLI would find from `dir`, if any. */
export function gitFolderAbove(dir: string): string | undefined {
    let at = resolve(dir)
    for (let level = 0; level < CLI_GIT_LOOKUP_LEVELS; level++) {
        if (existsSync(join(at, ".git"))) return join(at, ".git")
        at = dirname(at)
    }
    return undefined
}
