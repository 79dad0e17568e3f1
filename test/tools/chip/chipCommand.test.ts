// npm run chip with a runtime that is no runtime: one line saying so, before anything is bundled, and the CLI's cache
// (where `devs bundle` would take it from on every later run) never gets it.
import { randomUUID } from "node:crypto"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ROOT } from "../../../host/index.js"
import { fakeBootrom, fakeChipRuntime } from "../../support/chipImages.js"
import { runTool, stderrLines, tempDir } from "../../support/tools.js"

const CACHE = join(ROOT, ".devicescript", "cache")

/** Whether any file in the project's CLI cache holds `marker`. */
function cacheHolds(marker: string): boolean {
    if (!existsSync(CACHE)) return false
    return readdirSync(CACHE).some(name => readFileSync(join(CACHE, name), "latin1").includes(marker))
}

describe("npm run chip -- --runtime <a file that is no runtime>", () => {
    let work: ReturnType<typeof tempDir>
    beforeAll(() => (work = tempDir("chip-runtime-")))
    afterAll(() => work.cleanUp())

    test("one error line naming the file and what to pass, and the cache untouched", async () => {
        const marker = `notes ${randomUUID().slice(0, 8)}`
        const notes = join(work.dir, "notes.uf2")
        writeFileSync(notes, `${marker}\n`)
        // A B2 boot ROM is taken with a warning, so that the runtime is the only thing wrong
        const bootrom = join(work.dir, "bootrom-b2.bin")
        writeFileSync(bootrom, fakeBootrom(3))

        const run = await runTool("chip/main.ts", ["--build", "async", "--runtime", notes, "--bootrom", bootrom], {
            cwd: ROOT,
            env: { DEVS_RP2040_RUNTIME: "", RP2040_BOOTROM: "" },
        })

        expect(cacheHolds(marker), "the cache holds the file").toBe(false)
        expect(run.code, run.stdout + run.stderr).toBe(1)
        expect(stderrLines(run)).toEqual([
            `warning: ${bootrom} is the RP2040 B2 boot ROM: runs here were made with B1 only, so they may differ`,
            `error: ${notes} is not a UF2 file (it is text: "${marker}"); --runtime takes DeviceScript's RP2040 runtime (devicescript-rp2040-pico.uf2, from github.com/microsoft/devicescript-pico/releases)`,
        ])
    }, 60_000)
})

describe("npm run chip -- --runtimes", () => {
    let work: ReturnType<typeof tempDir>
    beforeAll(() => (work = tempDir("chip-runtimes-")))
    afterAll(() => work.cleanUp())

    test("a name that is no runtime: one error line naming it and the choices", async () => {
        const run = await runTool("chip/main.ts", ["--runtimes", "released,patched"], { cwd: ROOT })
        expect(run.code, run.stdout + run.stderr).toBe(1)
        expect(stderrLines(run)).toEqual([`error: --runtimes takes released, fixed or both, not "patched"`])
    }, 60_000)

    test("both, with the fixed runtime missing: the error comes before the released runtime plays", async () => {
        const released = join(work.dir, "released.uf2")
        writeFileSync(released, fakeChipRuntime())
        const bootrom = join(work.dir, "bootrom-b2.bin")
        writeFileSync(bootrom, fakeBootrom(3))
        const missing = join(work.dir, "no-such-timfix.uf2")

        const run = await runTool("chip/main.ts", ["--build", "async", "--runtimes", "both", "--runtime", released, "--fixed-runtime", missing, "--bootrom", bootrom], {
            cwd: ROOT,
            env: { DEVS_RP2040_RUNTIME: "", RP2040_BOOTROM: "", DEVS_RP2040_RUNTIME_FIXED: "" },
        })

        expect(run.code, run.stdout + run.stderr).toBe(1)
        expect(run.stdout, "a runtime played").not.toContain("sends")
        const errors = stderrLines(run).filter(line => !line.startsWith("warning: "))
        expect(errors).toHaveLength(1)
        expect(errors[0]).toMatch(/^error: .*no-such-timfix\.uf2.*--fixed-runtime/)
    }, 60_000)
})
