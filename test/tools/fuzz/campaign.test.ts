// `npm run fuzz -- --minutes M`: clock seeds one after another until the time is up, then a summary of the seeds tried.
import { describe, expect, test } from "vitest"
import { ROOT } from "../../../host/index.js"
import { runTool } from "../../support/tools.js"

describe("a fuzzing campaign", () => {
    test("runs seeds until its time is up, saying each, then sums up the seeds, cases and inputs", async () => {
        // one build only: nothing is written to the README
        const run = await runTool("fuzz/main.ts", ["--minutes", "0.01", "--runs", "20", "--floods", "2", "--build", "superloop", "--no-build"], { cwd: ROOT })
        expect(run.code, run.stdout + run.stderr).toBe(0)
        const seeds = [...run.stdout.matchAll(/^seed (\d+): round (\d+)/gm)]
        expect(seeds.length).toBeGreaterThanOrEqual(1)
        const summary = run.stdout.match(/^campaign: (\d+) seeds? in [\d.]+ min \(([\d, ]+)\), all passed$/m)
        expect(summary, run.stdout).not.toBeNull()
        expect(Number(summary![1])).toBe(seeds.length)
        expect(summary![2].split(", ")).toEqual(seeds.map(s => s[1]))
        expect(run.stdout).toMatch(/^ {2}superloop: \d+ inputs in \d+ cases, \d+ floods in \d+ cases$/m)
    }, 300_000)
})
