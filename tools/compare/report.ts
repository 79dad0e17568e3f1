// The comparison in the VM: compare.json's shape, the Markdown of docs/comparison.md and reports/compare.md, and the terminal table.
import { BUILD_NAMES, type BuildName } from "../../host/index.js"
import { ms, number } from "../lib/format.js"
import { round } from "../lib/stats.js"
import type { BytecodeFigures } from "./bytecode.js"
import { meetsSteadyRateRule, STEADY_RATE_RULE, type RateResult } from "./scenarios.js"
import type { Rates } from "../lib/vmRun.js"
import type { BuildSources, SourceSize } from "./sourceSize.js"

/** A median and a p99, in ms. */
export interface Spread {
    median: number
    p99: number
}

export interface BuildReport {
    bytecode: BytecodeFigures
    source: BuildSources
    heap: { idleBytes: number; perInFlightBytes: number; inFlightBytes: number[] }
    idle: Rates
    load: Rates
    virtual: { pressToReq: { worst: number; mean: number }; resToAck: { worst: number; mean: number } }
    rate: { maxRatePerSec: number; results: RateResult[] }
    burst: { presses: number; reqs: number; busy: number; acks: number; lost: number; answeredWithinMs: number }
    real: { isolated: { pressToReq: Spread; resToAck: Spread }; backToBack: { pressToReq: Spread; resToAck: Spread } }
}

export interface Report {
    generatedAt: string
    quick: boolean
    /** A quick run only: what it measured less of than a full run. */
    quickDifferences?: string[]
    durationSeconds: number
    settings: object
    load: { pressEveryMs: number; replyDelayMs: number }
    builds: Record<BuildName, BuildReport>
    /** The same three roles with no behaviour. */
    empty: { idle: Rates }
    /** The lines every build compiles. */
    sharedSource: SourceSize
    charts: string[]
}

/** The figures every build has in compare.json, with the names the issues gave them; the details follow. */
function buildJson(b: BuildReport) {
    return {
        bytecodeBytes: b.bytecode.bytecodeBytes,
        heapIdleBytes: b.heap.idleBytes,
        heapPerInFlightBytes: round(b.heap.perInFlightBytes, 1),
        idleOpsPerSec: round(b.idle.instructionsPerSec, 1),
        idleWakeupsPerSec: round(b.idle.wakeupsPerSec, 2),
        idleFiberRunsPerSec: round(b.idle.fiberRunsPerSec, 2),
        loadOpsPerSec: round(b.load.instructionsPerSec, 1),
        loadWakeupsPerSec: round(b.load.wakeupsPerSec, 2),
        loadFiberRunsPerSec: round(b.load.fiberRunsPerSec, 2),
        pressToReqMs: { virtual: b.virtual.pressToReq.worst, virtualMean: round(b.virtual.pressToReq.mean, 3), realMedian: b.real.isolated.pressToReq.median, realP99: b.real.isolated.pressToReq.p99, backToBack: b.real.backToBack.pressToReq },
        resToAckMs: { virtual: b.virtual.resToAck.worst, virtualMean: round(b.virtual.resToAck.mean, 3), realMedian: b.real.isolated.resToAck.median, realP99: b.real.isolated.resToAck.p99, backToBack: b.real.backToBack.resToAck },
        maxRatePerSec: b.rate.maxRatePerSec,
        burstLost: b.burst.lost,
        sourceLines: b.source.own.lines,
        sourceDecisionPoints: b.source.own.decisionPoints,
        sourceLinesSharedWithAnother: b.source.sharedWithSome.lines,
        details: { bytecode: b.bytecode, source: b.source, heap: b.heap, rateLadder: b.rate.results, burst: b.burst },
    }
}

export function toJson(report: Report) {
    const { empty } = report
    return {
        generatedAt: report.generatedAt,
        quick: report.quick,
        ...(report.quick ? { notComparableWithFullRun: { rows: notComparableLabels(report), because: report.quickDifferences } } : {}),
        durationSeconds: report.durationSeconds,
        settings: report.settings,
        load: report.load,
        builds: {
            ...Object.fromEntries(BUILD_NAMES.map(name => [name, buildJson(report.builds[name])])),
            empty: { idleOpsPerSec: round(empty.idle.instructionsPerSec, 1), idleWakeupsPerSec: round(empty.idle.wakeupsPerSec, 2), idleFiberRunsPerSec: round(empty.idle.fiberRunsPerSec, 2) },
        },
        sharedSource: report.sharedSource,
        charts: report.charts,
    }
}

/** A row of the table: its label, then one cell per build in BUILD_NAMES's order. */
export type Row = [string, ...string[]]

function rows(report: Report): Row[] {
    const { empty } = report
    const each = (f: (b: BuildReport) => string): string[] => BUILD_NAMES.map(name => f(report.builds[name]))
    const row = (label: string, f: (b: BuildReport) => string): Row => [label, ...each(f)]
    const msPair = (a: number, b: number) => `${ms(a)} / ${ms(b)}`
    return [
        row("bytecode (.devs bytes)", b => number(b.bytecode.bytecodeBytes, 0)),
        row("  own functions / library / strings", b => `${number(b.bytecode.ownCodeBytes, 0)} / ${number(b.bytecode.libraryCodeBytes, 0)} / ${number(b.bytecode.stringBytes, 0)}`),
        row(`own source lines / decision points (every build also compiles ${report.sharedSource.lines} shared lines)`, b => `${b.source.own.lines} / ${b.source.own.decisionPoints}`),
        row("  shared with one other build: lines / decision points", b => (b.source.sharedWithSome.lines ? `${b.source.sharedWithSome.lines} / ${b.source.sharedWithSome.decisionPoints}` : "—")),
        row("heap live when idle (bytes)", b => number(b.heap.idleBytes, 0)),
        row("heap per request in flight (bytes)", b => number(b.heap.perInFlightBytes)),
        row(`idle: instructions/s (empty program: ${number(empty.idle.instructionsPerSec)})`, b => number(b.idle.instructionsPerSec)),
        row(`idle: host wakeups/s (empty: ${number(empty.idle.wakeupsPerSec, 2)})`, b => number(b.idle.wakeupsPerSec, 2)),
        row(`idle: fiber runs/s (empty: ${number(empty.idle.fiberRunsPerSec, 2)})`, b => number(b.idle.fiberRunsPerSec, 2)),
        row("load: instructions/s", b => number(b.load.instructionsPerSec)),
        row("load: host wakeups/s", b => number(b.load.wakeupsPerSec, 2)),
        row("load: fiber runs/s", b => number(b.load.fiberRunsPerSec, 2)),
        row("press→REQ, virtual worst / mean", b => msPair(b.virtual.pressToReq.worst, b.virtual.pressToReq.mean)),
        row("RES→ACK, virtual worst / mean", b => msPair(b.virtual.resToAck.worst, b.virtual.resToAck.mean)),
        row("press→REQ, real median / p99", b => msPair(b.real.isolated.pressToReq.median, b.real.isolated.pressToReq.p99)),
        row("RES→ACK, real median / p99", b => msPair(b.real.isolated.resToAck.median, b.real.isolated.resToAck.p99)),
        row("back-to-back press→REQ, median / p99", b => msPair(b.real.backToBack.pressToReq.median, b.real.backToBack.pressToReq.p99)),
        row("back-to-back RES→ACK, median / p99", b => msPair(b.real.backToBack.resToAck.median, b.real.backToBack.resToAck.p99)),
        row("highest steady rate: every press REQ ≤ 100 ms, no BUSY, all ACKed (req/s)", b => number(b.rate.maxRatePerSec, 0)),
        row("burst: REQ / BUSY / lost", b => `${b.burst.reqs} / ${b.burst.busy} / ${b.burst.lost} of ${b.burst.presses}`),
    ]
}

/**
 * The rows a quick run measures exactly as a full one does (sizes, heap, the burst); every other row depends on how
 * long or how many times it measured, so a quick run's figure there is not comparable with a full run's.
 */
const SAME_IN_QUICK_RUNS = ["bytecode", "  own functions", "own source lines", "  shared with", "heap ", "burst:"]
const NOT_COMPARABLE_MARK = " †"

function comparableWithFullRun(label: string): boolean {
    return SAME_IN_QUICK_RUNS.some(prefix => label.startsWith(prefix))
}

function notComparableLabels(report: Report): string[] {
    return rows(report)
        .map(r => r[0])
        .filter(label => !comparableWithFullRun(label))
}

/** A quick run's rows, those not comparable with a full run's marked †. */
export function markNotComparable(table: Row[]): Row[] {
    return table.map(([label, ...cells]) => [comparableWithFullRun(label) ? label : label + NOT_COMPARABLE_MARK, ...cells])
}

function markedRows(report: Report): Row[] {
    return report.quick ? markNotComparable(rows(report)) : rows(report)
}

/** What the † means: `differences` says what a quick run measured less of. */
export function notComparableNote(differences: string[] = []): string {
    const less = differences.length ? ` (${differences.join("; ")})` : ""
    return `† not comparable with a full run: this quick run measured less${less}. The other figures are the same as a full run's.`
}

function quickNote(report: Report): string[] {
    return report.quick ? [notComparableNote(report.quickDifferences)] : []
}

export function renderTerminalTable(report: Report): string {
    const header = ["figure", ...BUILD_NAMES]
    const table = markedRows(report)
    const widths = header.map((h, i) => Math.max(...table.map(r => r[i].length), h.length))
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ")
    const note = quickNote(report)
    return [line(header), line(widths.map(w => "-".repeat(w))), ...table.map(line), ...(note.length ? ["", ...note] : [])].join("\n")
}

function markdownTable(report: Report): string[] {
    return [`| figure | ${BUILD_NAMES.join(" | ")} |`, `| --- |${BUILD_NAMES.map(() => " ---: |").join("")}`, ...markedRows(report).map(r => `| ${r.join(" | ")} |`)]
}

function functionTable(name: string, b: BuildReport): string[] {
    return [
        `### ${name}: own functions (${number(b.bytecode.ownCodeBytes, 0)} of ${number(b.bytecode.bytecodeBytes, 0)} bytes)`,
        "",
        "| bytes | function | file |",
        "| ---: | --- | --- |",
        ...b.bytecode.functions.map(f => `| ${f.bytes} | \`${f.name}\` | ${f.file} |`),
        "",
    ]
}

/** reports/compare.md: the table, the charts, the steady rates tried and each build's functions. */
export function renderMarkdown(report: Report): string {
    return [
        "# The builds compared in the VM",
        "",
        `Generated by \`npm run compare${report.quick ? " -- --quick" : ""}\` on ${report.generatedAt} in ${report.durationSeconds} s.`,
        "Virtual-time figures repeat exactly from run to run with the same settings; real-time figures come from this machine.",
        "",
        ...markdownTable(report),
        "",
        ...quickNote(report),
        "## Charts",
        "",
        ...report.charts.map(c => `![${c}](${c})`),
        "",
        "## Steady rates tried",
        "",
        `From the lowest rate up, until one fails the rule: ${STEADY_RATE_RULE}. The highest that meets it is the table's "highest steady rate".`,
        "",
        "| build | rate (/s) | presses | REQ | BUSY | ACK | lost | worst press→REQ | meets the rule |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ...BUILD_NAMES.flatMap(name =>
            report.builds[name].rate.results.map(
                r => `| ${name} | ${r.ratePerSec} | ${r.presses} | ${r.reqs} | ${r.busy} | ${r.acks} | ${r.lost} | ${ms(r.worstPressToReqMs)} | ${meetsSteadyRateRule(r) ? "yes" : "no"} |`,
            ),
        ),
        "",
        ...BUILD_NAMES.flatMap(name => functionTable(name, report.builds[name])),
    ].join("\n")
}

/** docs/comparison.md: the table and charts of the latest full run. */
export function renderVmSection(report: Report): string {
    return [
        `Latest full run (${report.generatedAt.slice(0, 10)}, ${number(report.durationSeconds, 0)} s in all; per-function tables and the steady rates tried in [reports/compare.md](../reports/compare.md)):`,
        "",
        ...markdownTable(report),
        "",
        ...report.charts.map(c => `![${c}](../reports/${c})`),
    ].join("\n")
}
