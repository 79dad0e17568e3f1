// Host-side tools answer bad arguments with one clear line and a non-zero exit, never a stack trace.
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { describe, expect, test } from "vitest"
import { ROOT } from "../../sim/index.js"

const tsx = createRequire(import.meta.url).resolve("tsx/cli")

const cases: [string, string[], RegExp][] = [
    ["tools/build.ts", ["--fast"], /^error: unknown argument --fast; usage: npm run build$/],
    ["tools/simulate.ts", ["--speed", "2"], /^error: unknown argument --speed; usage: npm run sim/],
    ["tools/compare/main.ts", ["--quik"], /^error: unknown argument --quik; usage: npm run compare/],
    ["tools/fuzz.ts", ["--runs", "many"], /^error: --runs takes a number, not many; usage: npm run fuzz/],
    ["tools/fuzz.ts", ["--runs", "0", "--no-build"], /^error: --runs must be a whole number of at least 1, not 0; usage: npm run fuzz/],
    ["tools/fuzz.ts", ["--build", "turbo", "--no-build"], /^error: unknown build turbo: choose superloop or async$/],
    ["tools/fuzz.ts", ["--seed"], /^error: --seed needs a value; usage: npm run fuzz/],
    ["tools/fuzz.ts", ["--minutes", "0", "--no-build"], /^error: --minutes must be more than 0, not 0; usage: npm run fuzz/],
]

describe("host-side tools", () => {
    test.each(cases)("%s %j: one line, exit 1", (tool, args, message) => {
        const run = spawnSync(process.execPath, [tsx, tool, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 })
        expect(run.status).toBe(1)
        const lines = run.stderr.trim().split("\n")
        expect(lines, run.stderr).toHaveLength(1)
        expect(lines[0]).toMatch(message)
    })
})
