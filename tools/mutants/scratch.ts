// A scratch copy of the project where mutants are applied, built and tested; the working tree is never touched.
import { spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { buildNamed, devsCommand, type BuildName } from "../../host/index.js"

/** Left out of the copy: generated or large, and nothing the fast suites read. */
const NOT_COPIED = new Set([".git", "node_modules", "built", ".devicescript", "reports", "test-artifacts", "docs"])

export class Scratch {
    readonly root: string
    private readonly originals = new Map<string, string>()

    /**
     * Copies `projectRoot` into a fresh temporary directory. `node_modules` is
     * a symlink to the project's: `devs build` rewrites the same library files
     * in node_modules/@devicescript/ from the pinned CLI on every build, so a
     * build in the copy writes what a build in the project writes.
     */
    constructor(projectRoot: string) {
        this.root = mkdtempSync(join(tmpdir(), "mutants-"))
        cpSync(projectRoot, this.root, {
            recursive: true,
            filter: source => {
                const path = relative(projectRoot, source)
                return path === "" || !NOT_COPIED.has(path.split(/[\\/]/)[0])
            },
        })
        symlinkSync(join(projectRoot, "node_modules"), join(this.root, "node_modules"), "dir")
    }

    /** Applies `replace` in place of `find` in `file` (relative to the root). */
    mutate(file: string, find: string, replace: string) {
        const path = join(this.root, file)
        const source = readFileSync(path, "utf8")
        if (!this.originals.has(file)) this.originals.set(file, source)
        writeFileSync(path, source.replace(find, () => replace))
    }

    /** Puts every mutated file back as it was. */
    restore() {
        for (const [file, source] of this.originals) writeFileSync(join(this.root, file), source)
        this.originals.clear()
    }

    /** Builds `name` into built/<name>/; undefined when it built, else the compiler's output. */
    build(name: BuildName): string | undefined {
        const [node, devs] = devsCommand()
        const run = spawnSync(node, [devs, "--no-colors", "--quiet", "build", buildNamed(name).entry], { cwd: this.root, encoding: "utf8" })
        if (run.status !== 0) return `${run.stdout}${run.stderr}`.trim() || `devs build exited with ${run.status}`
        const dir = join(this.root, "built", name)
        rmSync(dir, { recursive: true, force: true })
        mkdirSync(dir, { recursive: true })
        cpSync(join(this.root, ".devicescript/bin"), dir, { recursive: true })
        return undefined
    }

    /** Saves the current built/<name>/ as the unmutated build, or puts that back. */
    keepBuild(name: BuildName) {
        cpSync(join(this.root, "built", name), join(this.root, "built-unmutated", name), { recursive: true })
    }
    restoreBuild(name: BuildName) {
        const kept = join(this.root, "built-unmutated", name)
        if (!existsSync(kept)) throw new Error(`no unmutated ${name} build kept`)
        rmSync(join(this.root, "built", name), { recursive: true, force: true })
        cpSync(kept, join(this.root, "built", name), { recursive: true })
    }

    remove() {
        rmSync(this.root, { recursive: true, force: true })
    }
}
