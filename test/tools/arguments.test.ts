// Host-side tools answer bad arguments with one clear line and a non-zero exit, never a stack trace.
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, ROOT } from "../../host/index.js"

const tsx = createRequire(import.meta.url).resolve("tsx/cli")

const cases: [string, string[], RegExp][] = [
    ["tools/build/main.ts", ["--fast"], /^error: unknown argument --fast; usage: npm run build$/],
    ["tools/sim/main.ts", ["--speed", "2"], /^error: unknown argument --speed; usage: npm run sim/],
    ["tools/compare/main.ts", ["--quik"], /^error: unknown argument --quik; usage: npm run compare/],
    ["tools/fuzz/main.ts", ["--runs", "many"], /^error: --runs takes a number, not many; usage: npm run fuzz/],
    ["tools/fuzz/main.ts", ["--runs", "0", "--no-build"], /^error: --runs must be a whole number of at least 1, not 0; usage: npm run fuzz/],
    ["tools/fuzz/main.ts", ["--build", "turbo", "--no-build"], new RegExp(`^error: unknown build "turbo": choose one of ${BUILD_NAMES.join(", ")}$`)],
    ["tools/fuzz/main.ts", ["--seed"], /^error: --seed needs a value; usage: npm run fuzz/],
    ["tools/fuzz/main.ts", ["--minutes", "0", "--no-build"], /^error: --minutes must be more than 0, not 0; usage: npm run fuzz/],
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
