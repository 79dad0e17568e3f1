// `npm run compare [-- --quick]`: both builds through the same scenarios, side by side.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { build, buildAll, ROOT } from "../../host/index.js"
import { runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { bytecodeFigures } from "./bytecode.js"
import { barChart, distributionChart, timelineChart } from "./charts.js"
import type { LatencySample } from "./latency.js"
import { realTimeLatencies, type RealTimeMode } from "./realtime.js"
import {
    type BuildReport,
    renderMarkdown,
    renderReadmeSection,
    renderTerminalTable,
    type Report,
    toJson,
} from "./report.js"
import {
    burst,
    heapFigures,
    idleAndLoadRates,
    type Instrumentation,
    LOAD,
    maxSteadyRate,
    timeline,
    virtualLatencies,
} from "./scenarios.js"
import { median, percentile, round } from "../lib/stats.js"
import { overloadFigures, recordOverload, renderOverloadMarkdown } from "../overload/floods.js"
import { chipComparison, chipJson, type ChipOutcome } from "./chip.js"
import { CHART_FILE, chipChartSection, chipReadmeSection, loopSweepChart } from "./chipReport.js"
import { writeSection } from "../lib/sections.js"

const BUILDS = ["superloop", "async"] as const
const EMPTY = { name: "empty", entry: "tools/compare/programs/empty.ts" }
const REPORTS = join(ROOT, "reports")
/** A quick run writes apart, so it never replaces the committed figures of a full run. */
const QUICK_REPORTS = join(REPORTS, "quick")
const README = join(ROOT, "README.md")
const COMPARE_HELP = [
    "Measures both builds through the same scenarios (size, heap, VM work, latency, steady rates, a burst) and writes",
    "reports/compare.md, compare.json, the charts and the README's table.",
    "  --quick   a shorter run into reports/quick/ (its sampled figures are not comparable with a full run's)",
].join("\n")

interface Settings {
    quick: boolean
    idleSeconds: number
    virtualCycles: number
    realCycles: number
    rateSeconds: number
    rateLadder: number[]
    burstPresses: number
}

function settings(quick: boolean): Settings {
    return quick
        ? { quick, idleSeconds: 5, virtualCycles: 40, realCycles: 10, rateSeconds: 3, rateLadder: [10, 25, 50, 75, 100, 150], burstPresses: 20 }
        : {
              quick,
              idleSeconds: 30,
              virtualCycles: 200,
              realCycles: 200,
              rateSeconds: 10,
              rateLadder: [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200],
              burstPresses: 20,
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
        BUILDS.flatMap(name => [
            { label: `${name} press→REQ`, series: name, samples: samples[name].map(x => x.pressToReqMs) },
            { label: `${name} RES→ACK`, series: name, samples: samples[name].map(x => x.resToAckMs) },
        ]),
    )
}

/** The on-chip part: its chart, its key in compare.json, and (full runs) its README sections. */
async function chipPart(quick: boolean, out: string, json: Record<string, unknown>): Promise<ChipOutcome> {
    progress(`on an emulated Pico${quick ? " (quick: fewer presses, no LOOP_MS sweep)" : ""}`)
    const chip = await chipComparison(quick, progress)
    if ("skipped" in chip) progress(`  skipped: ${chip.skipped}`)
    else if (chip.report.loopSweep.length) writeFileSync(join(out, CHART_FILE), loopSweepChart(chip.report))
    json.chip = chipJson(chip)
    if (!quick) {
        writeSection(README, "chip", chipReadmeSection(chip, new Date().toISOString()))
        writeSection(README, "chip-chart", chipChartSection(chip))
    }
    return chip
}

/** `--chip-only`: reruns the on-chip part alone and puts it into the existing compare.json. */
async function chipOnly(quick: boolean) {
    const out = quick ? QUICK_REPORTS : REPORTS
    mkdirSync(out, { recursive: true })
    const path = join(out, "compare.json")
    const json = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {}
    await chipPart(quick, out, json)
    writeFileSync(path, JSON.stringify(json, null, 2) + "\n")
    progress(`done: ${relative(ROOT, path)} (chip)${quick ? "" : ", README.md"}`)
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { quick: "flag", "chip-only": "flag" }, "usage: npm run compare [-- --quick] [--chip-only]", COMPARE_HELP)
    if (options["chip-only"]) return chipOnly(options.quick ?? false)
    const s = settings(options.quick ?? false)
    progress(`${s.quick ? "quick" : "full"} run: building both builds and an empty program`)
    buildAll([...BUILDS])
    build(EMPTY.name, EMPTY.entry)
    // binaryen and TypeScript take seconds to load: only now, so that the first line comes at once
    progress("loading binaryen (to instrument the VM) and TypeScript (to count source lines)")
    const [{ vmInstrumentation }, { OWN_SOURCES, sourceSize }] = await Promise.all([import("../../sim/instrumentedVm.js"), import("./sourceSize.js")])
    const instrumentation: Instrumentation = await vmInstrumentation()

    const report: Report = { generatedAt: new Date().toISOString(), quick: s.quick, settings: s, builds: {}, charts: [] } as unknown as Report
    if (s.quick) report.quickDifferences = quickDifferences(s, settings(false))
    const realSamples: Record<RealTimeMode, Record<string, LatencySample[]>> = { isolated: {}, backToBack: {} }

    progress("empty program: idle VM work")
    const emptyIdle = (await idleAndLoadRates(EMPTY.name, instrumentation, s.idleSeconds, false)).idle

    for (const name of BUILDS) {
        progress(`${name}: bytecode and source size`)
        const bytecode = bytecodeFigures(name)
        const source = sourceSize(OWN_SOURCES[name])
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
        report.builds[name] = { bytecode, source, heap, idle, load: load!, virtual, rate, burst: burstResult } as BuildReport
    }
    report.builds.empty = { idle: emptyIdle }

    for (const mode of ["isolated", "backToBack"] as const) {
        progress(`real time, ${mode}: ${s.realCycles} cycles per build, builds taking turns`)
        realSamples[mode] = await realTimeLatencies([...BUILDS], mode, s.realCycles, done => {
            if (done % Math.max(10, Math.floor(s.realCycles / 5)) === 0) progress(`  ${done}/${s.realCycles}`)
        })
    }
    for (const name of BUILDS) {
        report.builds[name].real = { isolated: realFigures(realSamples.isolated[name]), backToBack: realFigures(realSamples.backToBack[name]) }
    }

    progress("timeline of one scenario")
    const windowMs = 600
    const lines = await Promise.all(BUILDS.map(name => timeline(name, instrumentation, windowMs)))

    progress("overload: floods per build (rule 10 of docs/protocol.md)")
    const overload = await overloadFigures(BUILDS, instrumentation, s.quick, progress)

    const out = s.quick ? QUICK_REPORTS : REPORTS
    mkdirSync(out, { recursive: true })
    const charts: Record<string, string> = {
        "latency-isolated.svg": latencyChart("Real time, isolated stimuli", realSamples.isolated),
        "latency-back-to-back.svg": latencyChart("Real time, back-to-back stimuli", realSamples.backToBack),
        "idle-cost.svg": barChart("Idle VM work: instructions per second", "instr/s", [
            ...BUILDS.map(name => ({ label: name, value: report.builds[name].idle.instructionsPerSec, series: name })),
            { label: "empty program", value: emptyIdle.instructionsPerSec, series: "empty" },
        ]),
        "timeline.svg": timelineChart(
            `When the VM ran: two presses, the peer answering after 120 ms (virtual time, ${windowMs} ms)`,
            windowMs,
            lines[0].events,
            BUILDS.map((name, i) => ({ label: name, series: name, wakeups: lines[i].wakeups, frames: lines[i].frames })),
        ),
    }
    for (const [file, content] of Object.entries(charts)) writeFileSync(join(out, file), content)
    report.charts = Object.keys(charts)
    report.durationSeconds = round(elapsedSeconds(), 1)
    report.load = LOAD

    const json: Record<string, unknown> = { ...toJson(report), overload }
    writeFileSync(join(out, "compare.md"), renderMarkdown(report) + "\n" + renderOverloadMarkdown(overload, s.quick))
    if (!s.quick) writeSection(README, "compare", renderReadmeSection(report))
    if (!s.quick) recordOverload(overload, "npm run compare")
    await chipPart(s.quick, out, json)
    writeFileSync(join(out, "compare.json"), JSON.stringify(json, null, 2) + "\n")
    console.log(renderTerminalTable(report))
    const where = relative(ROOT, out)
    progress(`done in ${report.durationSeconds} s: ${where}/compare.md, ${where}/compare.json, ${where}/*.svg${s.quick ? "" : ", README.md"}`)
}

runMain(main)
