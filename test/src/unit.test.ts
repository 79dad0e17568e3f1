// Runs the firmware modules' own unit tests (test/src/unit/<room>/*.test.ts, beside src/<room>/, written
// with @devicescript/test) inside the real VM, through the CLI's `devs run --test`.
import { spawnSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { devsCommand, ROOT } from "../../host/index.js"

const UNIT_TESTS = "test/src/unit"
const files = readdirSync(join(ROOT, UNIT_TESTS), { recursive: true, encoding: "utf8" })
    .filter(f => f.endsWith(".test.ts"))
    .sort()

describe("firmware modules, in the DeviceScript VM", () => {
    test("there are VM unit tests", () => {
        expect(files.length).toBeGreaterThanOrEqual(5)
    })

    // one at a time: `devs run` compiles into the shared .devicescript/bin
    test.each(files)("%s", file => {
        const [node, devs] = devsCommand()
        const args = [devs, "--no-colors", "run", join(UNIT_TESTS, file), "--test", "--test-self-exit", "-T", "20000"]
        const run = spawnSync(node, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000 })
        const output = `${run.stdout}${run.stderr}`
        const summary = /tests: (\d+), pass: (\d+), error: (\d+)/.exec(output)
        expect(summary, output).not.toBeNull()
        const [, total, pass, errors] = summary!.map(Number)
        expect({ total: total > 0, pass, errors, exit: run.status }, output).toEqual({
            total: true,
            pass: total,
            errors: 0,
            exit: 0,
        })
    })
})
