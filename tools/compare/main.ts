// `npm run compare [-- --quick] [--chip-only]`: every build through the same scenarios, in the VM and on an emulated Pico.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { build, buildAll, BUILD_NAMES, type BuildName, ROOT } from "../../host/index.js"
import { runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { writeSection } from "../lib/sections.js"
import { median, percentile, round } from "../lib/stats.js"
import { bytecodeFigures } from "./bytecode.js"
import { barChart, distributionChart, timelineChart } from "./charts.js"
import { chipPart, type ChipOutcome } from "./chip/part.js"
import { chipJson, chipTablesSection, PROFILE_CHART_FILE, profileDetails, profileSection, sweepChart, SWEEP_CHART_FILE, sweepSection, traceSection, xipSection } from "./chip/report.js"
import { findingSection, headlineSection } from "./headline.js"
import type { LatencySample } from "./latency.js"
import { profileChart } from "./profileChart.js"
import { realTimeLatencies, type RealTimeMode } from "./realtime.js"
import { type BuildReport, renderMarkdown, renderTerminalTable, renderVmSection, type Report, toJson } from "./report.js"
import { burst, heapFigures, idleAndLoadRates, LOAD, maxSteadyRate, timeline, virtualLatencies } from "./scenarios.js"
import type { Instrumentation } from "../lib/vmRun.js"
import { overloadFigures, recordOverload, renderOverloadMarkdown } from "../lib/floods.js"
import { blockingComparison, type BlockingReport } from "./blocking/measure.js"
import { blockingJson, blockingSummary, renderBlockingMarkdown } from "./blocking/report.js"

const EMPTY = { name: "empty", entry: "tools/compare/programs/empty.ts" }
const REPORTS = join(ROOT, "reports")
/** A quick run writes apart, so it never replaces the committed figures of a full run. */
const QUICK_REPORTS = join(REPORTS, "quick")
const README = join(ROOT, "README.md")
const COMPARISON_DOC = join(ROOT, "docs", "comparison.md")
const CHIP_DOC = join(ROOT, "docs", "chip.md")
const USAGE = "usage: npm run compare [-- --quick] [--chip-only]"
const HELP = [
    "Measures every build through the same scenarios, in the VM (size, heap, VM work, latency, steady rates, a burst,",
    "floods) and on an emulated Pico with each runtime (idle CPU, press→REQ over seeded presses, the floors, the LOOP_MS",
    "sweep, the XIP cache model, a profile and a trace), and with a job that blocks the loop (in the VM and on the Pico).",
    "A full run writes reports/, docs/comparison.md, docs/chip.md and the README's headline; it says so when it is done.",
    "  --quick      a shorter run into reports/quick/ only (its sampled figures are not comparable with a full run's)",
    "  --chip-only  only the emulated Pico's part (needs the RP2040 runtime and boot ROM: see docs/chip.md); it goes",
    "               into reports/compare.json beside the VM figures already there, and into docs/chip.md and the headline",
].join("\n")

interface Settings {
    quick: boolean
    idleSeconds: number
    virtualCycles: number
    realCycles: number
    rateSeconds: number
    rateLadder: number[]
    burstPresses: number
    /** Rounds of the blocking scenario in the VM and on the emulated Pico (0: not there). */
    blockingRounds: number
    blockingChipRounds: number
}

function settings(quick: boolean): Settings {
    return quick
        ? { quick, idleSeconds: 5, virtualCycles: 40, realCycles: 10, rateSeconds: 3, rateLadder: [10, 25, 50, 75, 100, 150], burstPresses: 20, blockingRounds: 2, blockingChipRounds: 0 }
        : {
              quick,
              idleSeconds: 30,
              virtualCycles: 200,
              realCycles: 60,
              rateSeconds: 10,
              rateLadder: [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200],
              burstPresses: 20,
              blockingRounds: 5,
              blockingChipRounds: 3,
          }
}

/** Seconds since this process started: loading the tools and the VM, the builds and the boots count too. */
const elapsedSeconds = () => process.uptime()
function progress(message: string) {
    process.stderr.write(`[${elapsedSeconds().toFixed(1).padStart(6)} s] ${message}\n`)
}

/** What a quick run measures less of than a full one, in words: the figures that depend on it are not comparable. */
function quickDifferences(quick: Settings, full: Settings): string[] {
    const ladder = (s: Settings) => `${s.rateLadder[0]}–${s.rateLadder[s.rateLadder.length - 1]}/s`
    const phrases: [boolean, string][] = [
        [quick.idleSeconds !== full.idleSeconds, `idle and load for ${quick.idleSeconds} s (full: ${full.idleSeconds} s)`],
        [quick.virtualCycles !== full.virtualCycles, `${quick.virtualCycles} request cycles on virtual time (full: ${full.virtualCycles})`],
        [quick.realCycles !== full.realCycles, `${quick.realCycles} real-time cycles per build and mode (full: ${full.realCycles})`],
        [quick.rateSeconds !== full.rateSeconds, `${quick.rateSeconds} s per steady rate (full: ${full.rateSeconds} s)`],
        [quick.rateLadder.join() !== full.rateLadder.join(), `${quick.rateLadder.length} rates, ${ladder(quick)} (full: ${full.rateLadder.length}, ${ladder(full)})`],
        [quick.burstPresses !== full.burstPresses, `a burst of ${quick.burstPresses} presses (full: ${full.burstPresses})`],
        [quick.blockingRounds !== full.blockingRounds, `${quick.blockingRounds} rounds of the blocking scenario (full: ${full.blockingRounds})`],
        [quick.blockingChipRounds !== full.blockingChipRounds, quick.blockingChipRounds ? `${quick.blockingChipRounds} rounds of the blocking scenario on the emulated Pico (full: ${full.blockingChipRounds})` : `the blocking scenario in the VM only (full: ${full.blockingChipRounds} rounds on the emulated Pico too)`],
    ]
    return phrases.filter(([differs]) => differs).map(([, phrase]) => phrase)
}

function realFigures(samples: LatencySample[]) {
    const press = samples.map(s => s.pressToReqMs)
    const answer = samples.map(s => s.resToAckMs)
    return {
        pressToReq: { median: round(median(press), 3), p99: round(percentile(press, 0.99), 3) },
        resToAck: { median: round(median(answer), 3), p99: round(percentile(answer, 0.99), 3) },
    }
}

/** Press→REQ and RES→ACK of each build, as dots. */
function latencyChart(title: string, samples: Record<string, LatencySample[]>) {
    return distributionChart(
        `${title}: press→REQ and RES→ACK (ms)`,
        "ms",
        BUILD_NAMES.flatMap(name => [
            { label: `${name} press→REQ`, series: name, samples: samples[name].map(x => x.pressToReqMs) },
            { label: `${name} RES→ACK`, series: name, samples: samples[name].map(x => x.resToAckMs) },
        ]),
    )
}

/** The VM's part on virtual time: every build's figures but the real-time ones, the timeline, and the floods of rule 10. */
async function vmPart(s: Settings) {
    // binaryen and TypeScript take seconds to load: only now, so that the first line comes at once
    progress("loading binaryen (to instrument the VM) and TypeScript (to count source lines)")
    const [{ vmInstrumentation }, { sourceSizes }] = await Promise.all([import("../../sim/instrumentedVm.js"), import("./sourceSize.js")])
    const instrumentation: Instrumentation = await vmInstrumentation()
    const sources = sourceSizes()

    progress("empty program: idle VM work")
    const emptyIdle = (await idleAndLoadRates(EMPTY.name, instrumentation, s.idleSeconds, false)).idle
    const builds = {} as Record<BuildName, BuildReport>
    for (const name of BUILD_NAMES) {
        progress(`${name}: heap, idle and with 1 to 4 requests in flight`)
        const heap = await heapFigures(name, instrumentation)
        progress(`${name}: VM work over ${s.idleSeconds} s idle and ${s.idleSeconds} s of load`)
        const { idle, load } = await idleAndLoadRates(name, instrumentation, s.idleSeconds)
        progress(`${name}: ${s.virtualCycles} request cycles on virtual time`)
        const virtual = await virtualLatencies(name, instrumentation, s.virtualCycles)
        progress(`${name}: highest steady request rate`)
        const rate = await maxSteadyRate(name, instrumentation, s.rateLadder, s.rateSeconds, r =>
            progress(`  ${r.ratePerSec}/s: ${r.reqs} REQ, ${r.busy} BUSY, ${r.acks} ACK, ${r.lost} lost, worst press→REQ ${round(r.worstPressToReqMs)} ms`),
        )
        progress(`${name}: a burst of ${s.burstPresses} presses`)
        const burstResult = await burst(name, instrumentation, s.burstPresses)
        const real = { isolated: { pressToReq: { median: 0, p99: 0 }, resToAck: { median: 0, p99: 0 } }, backToBack: { pressToReq: { median: 0, p99: 0 }, resToAck: { median: 0, p99: 0 } } }
        builds[name] = { bytecode: bytecodeFigures(name), source: sources.builds[name], heap, idle, load: load!, virtual, rate, burst: burstResult, real }
    }

    progress("timeline of one scenario")
    const windowMs = 600
    const lines = await Promise.all(BUILD_NAMES.map(name => timeline(name, instrumentation, windowMs)))

    progress("overload: floods per build (rule 10 of docs/protocol.md)")
    const overload = await overloadFigures(BUILD_NAMES, instrumentation, s.quick, progress)

    const charts: Record<string, string> = {
        "idle-cost.svg": barChart("Idle VM work: instructions per second", "instr/s", [
            ...BUILD_NAMES.map(name => ({ label: name, value: builds[name].idle.instructionsPerSec, series: name })),
            { label: "empty program", value: emptyIdle.instructionsPerSec, series: "empty" },
        ]),
        "timeline.svg": timelineChart(
            `When the VM ran: two presses, the peer answering after 120 ms (virtual time, ${windowMs} ms)`,
            windowMs,
            lines[0].events,
            BUILD_NAMES.map((name, i) => ({ label: name, series: name, wakeups: lines[i].wakeups, frames: lines[i].frames })),
        ),
    }
    const report: Report = {
        generatedAt: new Date().toISOString(),
        quick: s.quick,
        ...(s.quick ? { quickDifferences: quickDifferences(s, settings(false)) } : {}),
        durationSeconds: 0,
        settings: s,
        load: LOAD,
        builds,
        empty: { idle: emptyIdle },
        sharedSource: sources.shared,
        charts: [],
    }
    progress(`blocking the loop: every build as it is and with the job, ${s.blockingRounds} rounds in the VM, ${s.blockingChipRounds} on the emulated Pico`)
    const blocking = await blockingComparison({ rounds: s.blockingRounds, chipRounds: s.blockingChipRounds, progress })
    return { report, overload, charts, blocking }
}

/**
 * The VM on the wall clock, with isolated and with back-to-back stimuli, the builds taking turns: last, alone,
 * so that nothing else competes for the machine while it runs.
 */
async function realTimePart(s: Settings, report: Report, charts: Record<string, string>) {
    const realSamples: Record<RealTimeMode, Record<string, LatencySample[]>> = { isolated: {}, backToBack: {} }
    for (const mode of ["isolated", "backToBack"] as const) {
        progress(`real time, ${mode === "isolated" ? "isolated stimuli" : "back-to-back stimuli"}: ${s.realCycles} cycles per build, the builds taking turns`)
        realSamples[mode] = await realTimeLatencies(BUILD_NAMES, mode, s.realCycles, done => {
            if (done % Math.max(10, Math.floor(s.realCycles / 5)) === 0) progress(`  ${done}/${s.realCycles}`)
        })
    }
    for (const name of BUILD_NAMES) report.builds[name].real = { isolated: realFigures(realSamples.isolated[name]), backToBack: realFigures(realSamples.backToBack[name]) }
    charts["latency-isolated.svg"] = latencyChart("Real time, isolated stimuli", realSamples.isolated)
    charts["latency-back-to-back.svg"] = latencyChart("Real time, back-to-back stimuli", realSamples.backToBack)
}

/** The on-chip part: its figures into `json.chip`, its charts into `out`. */
async function chipFigures(quick: boolean, out: string, json: Record<string, unknown>): Promise<ChipOutcome> {
    progress(`on an emulated Pico${quick ? " (quick: 1 seed of 20 presses, no sweep, XIP, profile or trace)" : ""}`)
    const chip = await chipPart(quick, progress)
    if ("skipped" in chip) {
        progress(`  skipped: ${chip.skipped}`)
        json.chip = { skipped: chip.skipped }
        return chip
    }
    for (const note of chip.notes) progress(`  note: ${note}`)
    json.chip = { ...chipJson(chip.figures, chip.settings), wallSeconds: round(chip.wallSeconds, 1), notes: chip.notes }
    if (chip.settings.loopSweepMs.length) writeFileSync(join(out, SWEEP_CHART_FILE), sweepChart(chip.figures))
    if (chip.figures.profile) {
        const rows = BUILD_NAMES.flatMap(b => (["idle", "load"] as const).map(w => ({ label: `${b}, ${w}`, shares: chip.figures.profile![b][w].shares })))
        writeFileSync(join(out, PROFILE_CHART_FILE), profileChart("Where the cycles go on the chip (runtime with the timer fix)", rows))
        writeFileSync(join(out, "chip-profile.md"), profileDetails(chip.figures))
    }
    return chip
}

/** A full run's words: docs/chip.md's sections from the chip part. */
function writeChipDoc(chip: ChipOutcome) {
    if ("skipped" in chip) {
        writeSection(CHIP_DOC, "chip", `Not measured in the latest run: ${chip.skipped}`)
        return
    }
    const meta = { date: new Date().toISOString().slice(0, 10), command: "npm run compare", wallSeconds: chip.wallSeconds }
    writeSection(CHIP_DOC, "chip", [chipTablesSection(chip.figures, chip.settings, meta), ...chip.notes].join("\n"))
    writeSection(CHIP_DOC, "chip-sweep", sweepSection(chip.figures, chip.settings))
    writeSection(CHIP_DOC, "chip-profile", profileSection(chip.figures))
    writeSection(CHIP_DOC, "chip-trace", traceSection(chip.figures))
    writeSection(CHIP_DOC, "chip-xip", xipSection(chip.figures))
}

/** A full run's words on blocking: the section of docs/comparison.md and the README's few lines. */
function writeBlockingDocs(blocking: BlockingReport) {
    writeSection(COMPARISON_DOC, "blocking", renderBlockingMarkdown(blocking, false))
    writeSection(README, "blocking", blockingSummary(blocking))
}

function readJson(path: string): Record<string, unknown> {
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {}
}

/** `--chip-only`: the on-chip part alone, put into the existing compare.json. */
async function chipOnly(quick: boolean) {
    const out = quick ? QUICK_REPORTS : REPORTS
    mkdirSync(out, { recursive: true })
    const path = join(out, "compare.json")
    const json = readJson(path)
    const chip = await chipFigures(quick, out, json)
    writeFileSync(path, JSON.stringify(json, null, 2) + "\n")
    if (!quick) {
        writeChipDoc(chip)
        writeSection(README, "headline", headlineSection(json))
        writeSection(COMPARISON_DOC, "finding", findingSection(json))
    }
    progress(`done in ${elapsedSeconds().toFixed(0)} s: ${relative(ROOT, path)} (chip)${quick ? "" : ", docs/chip.md, docs/comparison.md, README.md"}`)
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { quick: "flag", "chip-only": "flag" }, USAGE, HELP)
    const quick = options.quick ?? false
    if (options["chip-only"]) return chipOnly(quick)
    const s = settings(quick)
    const out = quick ? QUICK_REPORTS : REPORTS
    mkdirSync(out, { recursive: true })
    progress(`${s.quick ? "quick" : "full"} run: building ${BUILD_NAMES.join(", ")} and an empty program`)
    buildAll(BUILD_NAMES)
    build(EMPTY.name, EMPTY.entry)
    // the chip's jobs run in worker processes while this one measures the VM on virtual time: neither's figures
    // depend on the machine's speed; the real-time pass comes after both, with the machine to itself
    const chipJson: Record<string, unknown> = {}
    const [{ report, overload, charts, blocking }, chip] = await Promise.all([vmPart(s), chipFigures(quick, out, chipJson)])
    await realTimePart(s, report, charts)
    for (const [file, content] of Object.entries(charts)) writeFileSync(join(out, file), content)
    report.charts = Object.keys(charts)
    report.durationSeconds = round(elapsedSeconds(), 1)
    // the chip floods are npm run overload -- --chip's (an hour of wall time): kept from the last full run
    const chipFlood = quick ? undefined : readJson(join(out, "compare.json")).chipFlood
    const json: Record<string, unknown> = { ...toJson(report), overload, blocking: blockingJson(blocking), ...chipJson, ...(chipFlood ? { chipFlood } : {}) }
    json.durationSeconds = report.durationSeconds
    writeFileSync(join(out, "compare.md"), renderMarkdown(report) + "\n" + renderOverloadMarkdown(overload, quick) + "\n" + renderBlockingMarkdown(blocking) + "\n")
    writeFileSync(join(out, "compare.json"), JSON.stringify(json, null, 2) + "\n")
    if (!quick) {
        writeSection(COMPARISON_DOC, "vm", renderVmSection(report))
        writeSection(COMPARISON_DOC, "finding", findingSection(json))
        writeChipDoc(chip)
        writeSection(README, "headline", headlineSection(json))
        writeBlockingDocs(blocking)
        recordOverload(overload, "npm run compare")
    }
    console.log(renderTerminalTable(report))
    const where = relative(ROOT, out)
    const wrote = quick ? "" : ", docs/comparison.md, docs/chip.md, docs/reliability.md, README.md"
    progress(`done in ${report.durationSeconds} s: ${where}/compare.md, ${where}/compare.json, ${where}/*.svg${wrote}`)
}

runMain(main)
