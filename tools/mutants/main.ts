// `npm run mutants [-- --quick | --only ID,ID]`: one-line mutants of src/, each built and run against the suites that must kill it.
import { writeFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { BUILD_NAMES, ROOT } from "../../host/index.js"
import { runMain } from "../lib/errors.js"
import { buildsUsing } from "../lib/firmwareSources.js"
import { parseOptions } from "../lib/options.js"
import { loadMutants, MUTANTS_FILE, type Mutant } from "./list.js"
import { writeSection } from "../lib/sections.js"
import { renderReadmeSection, renderReport, type MutantResult, type RunSummary } from "./report.js"
import { Scratch } from "./scratch.js"
import { runSuites } from "./suites.js"

const USAGE = "usage: npm run mutants -- [--quick] [--only ID,ID] [--no-baseline] [--list] [--keep]"
const HELP = `${USAGE}

Applies each mutant of ${MUTANTS_FILE} (an exact snippet of a file in src/ and its
replacement) to a scratch copy of the project in the system's temp directory, builds
the firmware it changes with devs build, and runs the test files listed as killing
it (test/src/unit/* in the VM through test/src/unit.test.ts, others through
vitest), stopping at the first failing test. Mutants marked equivalent are not run.

  --quick        only the mutants marked quick (what CI runs); implies --no-baseline
  --only ID,ID   only these mutants
  --no-baseline  skip the first run of every listed suite on the unmutated copy
  --list         print the mutants and exit
  --keep         keep the scratch copy (its path is printed)

Exits 1 if a mutant survives, does not build, or its snippet is not found once in its
file (stale). A full run (no --quick, no --only) rewrites reports/mutants.md and the
docs/reliability.md's mutants section.`

const RELIABILITY_DOC = join(ROOT, "docs", "reliability.md")
const REPORT = join(ROOT, "reports/mutants.md")


function seconds(since: number) {
    return (Date.now() - since) / 1000
}

function progress(line: string) {
    process.stderr.write(`${line}\n`)
}

function select(all: Mutant[], options: { quick?: boolean; only?: string }): Mutant[] {
    if (options.only) {
        const ids = options.only.split(",").map(s => s.trim())
        for (const id of ids) if (!all.some(m => m.id === id)) throw new Error(`no mutant ${id} in ${MUTANTS_FILE}`)
        return all.filter(m => ids.includes(m.id))
    }
    if (options.quick) return all.filter(m => m.quick)
    return all
}

function runMutant(scratch: Scratch, m: Mutant): MutantResult {
    const started = Date.now()
    scratch.mutate(m.file, m.find, m.replace)
    // VM unit tests compile their own modules (a compile error is told apart from a failing or hanging test);
    // every other suite runs the built programs
    const builds = m.killedBy!.every(f => f.startsWith("test/src/unit/")) ? [] : buildsUsing(m.file)
    try {
        for (const name of builds) {
            const error = scratch.build(name)
            if (error) return { mutant: m, status: "does not build", detail: error.split("\n")[0], seconds: seconds(started) }
        }
        const result = runSuites(scratch.root, m.killedBy!)
        if (result.outcome === "failed") return { mutant: m, status: "killed", detail: result.test, seconds: seconds(started) }
        if (result.outcome === "does not build") return { mutant: m, status: "does not build", detail: result.output, seconds: seconds(started) }
        if (result.outcome === "broken") return { mutant: m, status: "error", detail: result.output, seconds: seconds(started) }
        return { mutant: m, status: "survived", detail: `passed ${m.killedBy!.join(", ")}`, seconds: seconds(started) }
    } finally {
        scratch.restore()
        for (const name of builds) scratch.restoreBuild(name)
    }
}

async function main() {
    const args = process.argv.slice(2)
    if (args.includes("--help") || args.includes("-h")) {
        console.log(HELP)
        return
    }
    const options = parseOptions(args, { quick: "flag", only: "string", "no-baseline": "flag", list: "flag", keep: "flag" }, USAGE)
    if (options.quick && options.only) throw new Error(`--quick and --only do not go together; ${USAGE}`)
    const all = loadMutants(ROOT)
    const chosen = select(all, options)
    if (options.list) {
        for (const m of chosen) console.log(`${m.id}\t${m.file}\t${m.rule}\t${m.equivalent ? `equivalent: ${m.equivalent}` : m.killedBy!.join(" ")}`)
        return
    }
    const toRun = chosen.filter(m => !m.equivalent)
    const full = !options.quick && !options.only
    const started = Date.now()
    const scratch = new Scratch(ROOT)
    progress(`scratch copy: ${scratch.root}`)
    let ok = true
    try {
        for (const name of BUILD_NAMES) {
            const error = scratch.build(name)
            if (error) throw new Error(`the unmutated ${name} build fails: ${error.split("\n")[0]}`)
            scratch.keepBuild(name)
        }
        if (!options.quick && !options["no-baseline"]) {
            const files = [...new Set(toRun.flatMap(m => m.killedBy!))].sort()
            progress(`baseline: ${files.length} test files on the unmutated copy...`)
            const baseline = runSuites(scratch.root, files)
            if (baseline.outcome !== "passed")
                throw new Error(`the suites fail without any mutant: ${baseline.outcome === "failed" ? baseline.test : baseline.output.split("\n")[0]}`)
            progress(`baseline passed in ${seconds(started).toFixed(0)} s`)
        }
        const results: MutantResult[] = []
        for (const [i, m] of toRun.entries()) {
            const result = runMutant(scratch, m)
            results.push(result)
            const mark = result.status === "killed" ? "killed" : result.status.toUpperCase()
            progress(`[${i + 1}/${toRun.length}] ${m.id} (${m.file}, ${m.rule}): ${mark} in ${result.seconds.toFixed(0)} s, ${result.detail.split("\n")[0]}`)
            if (result.status === "error") progress(result.detail)
        }
        const summary: RunSummary = {
            generatedAt: new Date().toISOString(),
            quick: !!options.quick,
            seconds: seconds(started),
            results,
            equivalent: chosen.filter(m => m.equivalent),
        }
        const text = renderReport(summary)
        console.log(text.summaryLine)
        if (full) {
            mkdirSync(join(ROOT, "reports"), { recursive: true })
            writeFileSync(REPORT, text.markdown)
            writeSection(RELIABILITY_DOC, "mutants", renderReadmeSection(summary))
            progress("wrote reports/mutants.md and docs/reliability.md's mutants section")
        }
        ok = results.every(r => r.status === "killed")
    } finally {
        if (options.keep) progress(`kept ${scratch.root}`)
        else scratch.remove()
    }
    if (!ok) process.exit(1)
}

runMain(main)
