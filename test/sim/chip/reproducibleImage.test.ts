// The images and programs the project measures depend only on the sources, the runtime and the board: no commit, no date.
import { execFileSync } from "node:child_process"
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { bundleForPico, ChipFiles, loadUf2 } from "../../../sim/index.js"
import { programPath, ROOT } from "../../../host/index.js"

/** What the compiler writes before a program's version string in its configuration. */
const VERSION_KEY = Buffer.from("@version")
/** Where the runtime keeps the program, as offsets into the flash (0x100e0000-0x10100000). */
const PROGRAM_STORE = { start: 0xe0000, end: 0x100000 }

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)

describe("the VM programs `devs build` makes for the comparison", () => {
    test.each(["superloop", "async"])("%s carries no version stamped from git", build => {
        expect(readFileSync(programPath(build)).includes(VERSION_KEY)).toBe(false)
    })
})

describe.skipIf(!paths)("an image bundled for the emulated Pico", () => {
    let repo: string
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim()

    /** The project's firmware in a git repository of its own, committed: `devs bundle` there would stamp that commit. */
    beforeAll(() => {
        repo = mkdtempSync(join(tmpdir(), "reproducible-image-"))
        for (const path of ["package.json", "devsconfig.json", "src", "boards", "README.md"]) cpSync(join(ROOT, path), join(repo, path), { recursive: true })
        symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"), "dir")
        writeFileSync(join(repo, ".gitignore"), "node_modules\nbuilt/\n.devicescript/\n")
        git("init", "--quiet")
        git("add", ".")
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "firmware")
    })
    afterAll(() => rmSync(repo, { recursive: true, force: true }))

    async function bundle(): Promise<Buffer> {
        rmSync(join(repo, "built", "chip"), { recursive: true, force: true }) // no image kept from the last bundle
        const image = await bundleForPico({ name: "async", entry: "src/mainAsync.ts", runtime: paths!.runtime }, repo)
        return readFileSync(image)
    }

    function programStore(image: Buffer): Buffer {
        const flash = Buffer.alloc(PROGRAM_STORE.end)
        loadUf2(image, flash)
        return flash.subarray(PROGRAM_STORE.start)
    }

    test("has the same bytes with an uncommitted change elsewhere in the tree, and no commit in them", { timeout: 900_000 }, async () => {
        const committed = await bundle()
        writeFileSync(join(repo, "README.md"), "an uncommitted change\n", { flag: "a" })
        expect(git("status", "--porcelain")).toContain("README.md")
        const dirty = await bundle()
        expect(dirty.equals(committed)).toBe(true)
        const program = programStore(committed)
        expect(program.includes(Buffer.from("superloop-vs-async Async")), "the program's name is in the store").toBe(true)
        expect(program.includes(Buffer.from(git("rev-parse", "--short", "HEAD")))).toBe(false)
        expect(program.includes(VERSION_KEY)).toBe(false)
    })
})
