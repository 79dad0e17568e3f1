// Runs test files in the scratch copy: the firmware's unit tests (test/src/unit, DeviceScript) through test/src/unit.test.ts, the rest directly.
import { spawnSync } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"

const UNIT_TESTS = "test/src/unit/"
const UNIT_RUNNER = "test/src/unit.test.ts"
const CONFIG = "tools/mutants/vitest.config.ts"
/** A mutant that hangs a suite this long counts as killed by it (tests time out well before). */
const SUITE_TIMEOUT_MS = 15 * 60_000

export type SuiteResult =
    | { outcome: "passed" }
    | { outcome: "failed"; test: string }
    | { outcome: "does not build"; output: string }
    | { outcome: "broken"; output: string }

interface JsonReport {
    testResults?: { name: string; assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[]
}

/** How the DeviceScript compiler reports an error (a VM unit test file that hangs or throws is a kill, not this). */
const COMPILE_ERROR = /error TS\d+|\(\d+,\d+\): error/

function escapeRegExp(text: string) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
}

/** Groups `files` into vitest runs: one for the VM unit tests (filtered by name), one for the rest. */
function runs(files: string[]): string[][] {
    const devs = files.filter(f => f.startsWith(UNIT_TESTS))
    const host = files.filter(f => !f.startsWith(UNIT_TESTS))
    const list: string[][] = []
    if (devs.length) list.push([UNIT_RUNNER, "-t", ` (${devs.map(f => escapeRegExp(f.slice(UNIT_TESTS.length))).join("|")})$`])
    if (host.length) list.push(host)
    return list
}

/** Runs `files` under `root`, stopping at the first failing test. */
export function runSuites(root: string, files: string[]): SuiteResult {
    const vitest = join(root, "node_modules/vitest/vitest.mjs")
    const reportFile = join(root, "vitest-report.json")
    for (const args of runs(files)) {
        rmSync(reportFile, { force: true })
        const run = spawnSync(
            process.execPath,
            [vitest, "run", "--config", CONFIG, "--bail", "1", "--reporter", "json", "--outputFile", reportFile, ...args],
            { cwd: root, encoding: "utf8", timeout: SUITE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
        )
        if (run.error && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT") return { outcome: "failed", test: `${args[0]} (timed out)` }
        let report: JsonReport = {}
        try {
            report = JSON.parse(readFileSync(reportFile, "utf8")) as JsonReport
        } catch {
            // no report: vitest itself failed
        }
        for (const file of report.testResults ?? []) {
            const failed = file.assertionResults.find(a => a.status === "failed")
            if (!failed) continue
            const message = (failed.failureMessages ?? []).join("\n")
            if (file.name.endsWith(UNIT_RUNNER) && COMPILE_ERROR.test(message))
                return {
                    outcome: "does not build",
                    output: `${failed.fullName}: ${message.split("\n").find(l => COMPILE_ERROR.test(l)) ?? message.slice(0, 200)}`,
                }
            return { outcome: "failed", test: `${file.name.slice(root.length + 1)} › ${failed.fullName}` }
        }
        if (run.status !== 0) return { outcome: "broken", output: `${run.stdout}${run.stderr}`.trim().split("\n").slice(-15).join("\n") }
    }
    return { outcome: "passed" }
}
