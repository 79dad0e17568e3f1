// `npm run blocking -- [--vm-only | --chip-only] [--rounds N] [--all-rows-on-chip]`: the blocking comparison alone.
// Prints the Markdown and writes reports/quick/blocking.json and blocking.md: the published figures are
// reports/compare.json's `blocking`, written by the full `npm run compare`.
import { mkdirSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { BUILD_NAMES, ROOT } from "../../../host/index.js"
import { buildOrCheck } from "../../lib/builds.js"
import { runMain, UserError } from "../../lib/errors.js"
import { parseOptions } from "../../lib/options.js"
import { ALL_ROWS, blockingComparison, DEFAULT_ROUNDS } from "./measure.js"
import { blockingJson, renderBlockingMarkdown } from "./report.js"

const USAGE = "usage: npm run blocking -- [--vm-only | --chip-only] [--rounds N] [--all-rows-on-chip] [--no-build]"
const HELP = [
    "Every build as it is and with a job that blocks (in one go, in slices), through the same scenario, in the VM and",
    "on the emulated Pico (the runtime with the timer fix: DEVS_RP2040_RUNTIME_FIXED and RP2040_BOOTROM).",
    `  --rounds N           rounds of the scenario (default ${DEFAULT_ROUNDS}, as npm run compare; 7 presses and one seal each)`,
    "  --all-rows-on-chip   also the slices resumed at once on the emulated Pico (by default only in the VM)",
    "  --no-build           use the builds in built/ as they are",
    "Writes reports/quick/blocking.json and blocking.md; the published figures come from the full npm run compare.",
].join("\n")

async function main() {
    const options = parseOptions(process.argv.slice(2), { "vm-only": "flag", "chip-only": "flag", rounds: "number", "all-rows-on-chip": "flag", "no-build": "flag" }, USAGE, HELP)
    if (options["vm-only"] && options["chip-only"]) throw new UserError(`--vm-only and --chip-only exclude each other; ${USAGE}`)
    const rounds = options.rounds ?? DEFAULT_ROUNDS
    if (!Number.isInteger(rounds) || rounds < 1) throw new UserError(`--rounds takes a whole number of rounds, 1 or more; ${USAGE}`)
    const started = performance.now()
    const progress = (message: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`)
    buildOrCheck(BUILD_NAMES, options["no-build"])
    const report = await blockingComparison({
        rounds,
        vm: !options["chip-only"],
        chip: !options["vm-only"],
        chipRows: options["all-rows-on-chip"] ? ALL_ROWS : undefined,
        progress,
    })
    const markdown = renderBlockingMarkdown(report)
    const out = join(ROOT, "reports", "quick")
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "blocking.json"), JSON.stringify({ generated: new Date().toISOString(), blocking: blockingJson(report) }, null, 2) + "\n")
    writeFileSync(join(out, "blocking.md"), `${markdown}\n`)
    console.log(markdown)
    progress(`done: ${relative(ROOT, join(out, "blocking.json"))}, blocking.md (VM ${report.wallSeconds.vm} s, emulated Pico ${report.wallSeconds.chip} s of wall time)`)
}

runMain(main)
