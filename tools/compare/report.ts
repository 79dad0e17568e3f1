// The comparison report: compare.json's shape, the Markdown page and the terminal table.
import type { BytecodeFigures } from "./bytecode.js"
import { meetsSteadyRateRule, STEADY_RATE_RULE, type RateResult, type Rates } from "./scenarios.js"
import type { SourceSize } from "./sourceSize.js"
import { round } from "../lib/stats.js"

interface Spread {
    median: number
    p99: number
}

export interface BuildReport {
    bytecode: BytecodeFigures
    source: SourceSize
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
    builds: { superloop: BuildReport; async: BuildReport; empty: { idle: Rates } } & Record<string, unknown>
    charts: string[]
}

const TARGETS = {
    bytecodeBytes: 6 * 1024,
    asyncPressToReqMs: 1,
    superloopLoopMs: 10,
    idleWithinOfEmpty: 0.05,
}

/** The figures every build has in compare.json, with the names the issue gave them; the details follow. */
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
        sourceLines: b.source.lines,
        sourceDecisionPoints: b.source.decisionPoints,
        details: { bytecode: b.bytecode, source: b.source, heap: b.heap, rateLadder: b.rate.results, burst: b.burst },
    }
}

export function toJson(report: Report) {
    const { superloop, async, empty } = report.builds
    return {
        generatedAt: report.generatedAt,
        quick: report.quick,
        ...(report.quick ? { notComparableWithFullRun: { rows: notComparableLabels(report), because: report.quickDifferences } } : {}),
        durationSeconds: report.durationSeconds,
        settings: report.settings,
        load: report.load,
        builds: {
            superloop: buildJson(superloop),
            async: buildJson(async),
            empty: { idleOpsPerSec: round(empty.idle.instructionsPerSec, 1), idleWakeupsPerSec: round(empty.idle.wakeupsPerSec, 2), idleFiberRunsPerSec: round(empty.idle.fiberRunsPerSec, 2) },
        },
        charts: report.charts,
    }
}

export type Row = [string, string, string]

function rows(report: Report): Row[] {
    const { superloop: s, async: a, empty } = report.builds
    const n = (x: number, digits = 1) => round(x, digits).toLocaleString("en-US")
    const both = (f: (b: BuildReport) => string): [string, string] => [f(s), f(a)]
    return [
        ["bytecode (.devs bytes)", ...both(b => n(b.bytecode.bytecodeBytes, 0))],
        ["  own functions / library / strings", ...both(b => `${n(b.bytecode.ownCodeBytes, 0)} / ${n(b.bytecode.libraryCodeBytes, 0)} / ${n(b.bytecode.stringBytes, 0)}`)],
        ["own source lines / decision points", ...both(b => `${b.source.lines} / ${b.source.decisionPoints}`)],
        ["heap live when idle (bytes)", ...both(b => n(b.heap.idleBytes, 0))],
        ["heap per request in flight (bytes)", ...both(b => n(b.heap.perInFlightBytes))],
        [`idle: instructions/s (empty program: ${n(empty.idle.instructionsPerSec)})`, ...both(b => n(b.idle.instructionsPerSec))],
        [`idle: host wakeups/s (empty: ${n(empty.idle.wakeupsPerSec, 2)})`, ...both(b => n(b.idle.wakeupsPerSec, 2))],
        [`idle: fiber runs/s (empty: ${n(empty.idle.fiberRunsPerSec, 2)})`, ...both(b => n(b.idle.fiberRunsPerSec, 2))],
        ["load: instructions/s", ...both(b => n(b.load.instructionsPerSec))],
        ["load: host wakeups/s", ...both(b => n(b.load.wakeupsPerSec, 2))],
        ["load: fiber runs/s", ...both(b => n(b.load.fiberRunsPerSec, 2))],
        ["press→REQ, virtual worst / mean (ms)", ...both(b => `${n(b.virtual.pressToReq.worst, 2)} / ${n(b.virtual.pressToReq.mean, 2)}`)],
        ["RES→ACK, virtual worst / mean (ms)", ...both(b => `${n(b.virtual.resToAck.worst, 2)} / ${n(b.virtual.resToAck.mean, 2)}`)],
        ["press→REQ, real median / p99 (ms)", ...both(b => `${n(b.real.isolated.pressToReq.median, 2)} / ${n(b.real.isolated.pressToReq.p99, 2)}`)],
        ["RES→ACK, real median / p99 (ms)", ...both(b => `${n(b.real.isolated.resToAck.median, 2)} / ${n(b.real.isolated.resToAck.p99, 2)}`)],
        ["back-to-back press→REQ, median / p99 (ms)", ...both(b => `${n(b.real.backToBack.pressToReq.median, 2)} / ${n(b.real.backToBack.pressToReq.p99, 2)}`)],
        ["back-to-back RES→ACK, median / p99 (ms)", ...both(b => `${n(b.real.backToBack.resToAck.median, 2)} / ${n(b.real.backToBack.resToAck.p99, 2)}`)],
        ["highest steady rate: every press REQ ≤ 100 ms, no BUSY, all ACKed (req/s)", ...both(b => n(b.rate.maxRatePerSec, 0))],
        ["burst: REQ / BUSY / lost", ...both(b => `${b.burst.reqs} / ${b.burst.busy} / ${b.burst.lost} of ${b.burst.presses}`)],
    ]
}

/**
 * The rows a quick run measures exactly as a full one does (sizes, heap, the burst); every other row depends on how
 * long or how many times it measured, so a quick run's figure there is not comparable with a full run's.
 */
const SAME_IN_QUICK_RUNS = ["bytecode", "  own functions", "own source lines", "heap ", "burst:"]
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
    return table.map(([label, s, a]) => [comparableWithFullRun(label) ? label : label + NOT_COMPARABLE_MARK, s, a])
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
    const table = markedRows(report)
    const widths = [0, 1, 2].map(i => Math.max(...table.map(r => r[i].length), ["figure", "superloop", "async"][i].length))
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ")
    const note = quickNote(report)
    return [line(["figure", "superloop", "async"]), line(widths.map(w => "-".repeat(w))), ...table.map(line), ...(note.length ? ["", ...note] : [])].join("\n")
}

function targets(report: Report): string[] {
    const { superloop: s, async: a, empty } = report.builds
    const verdict = (ok: boolean) => (ok ? "met" : "**missed**")
    const idleExcess = (a.idle.instructionsPerSec - empty.idle.instructionsPerSec) / empty.idle.instructionsPerSec
    const lines = [
        `- Async press→REQ ≤ ${TARGETS.asyncPressToReqMs} ms (virtual): ${round(a.virtual.pressToReq.worst, 2)} ms, ${verdict(a.virtual.pressToReq.worst <= TARGETS.asyncPressToReqMs)}.`,
        `- Async idle VM work within 5% of an empty program's: ${round(a.idle.instructionsPerSec, 1)} vs ${round(empty.idle.instructionsPerSec, 1)} instructions/s (${round(idleExcess * 100, 1)}%), ${verdict(idleExcess <= TARGETS.idleWithinOfEmpty)}.`,
        `- Superloop press→REQ ≤ its loop period (${TARGETS.superloopLoopMs} ms, virtual): ${round(s.virtual.pressToReq.worst, 2)} ms, ${verdict(s.virtual.pressToReq.worst <= TARGETS.superloopLoopMs)}.`,
    ]
    for (const [name, b] of [["superloop", s], ["async", a]] as const) {
        const bytes = b.bytecode.bytecodeBytes
        const ok = bytes <= TARGETS.bytecodeBytes
        lines.push(`- ${name} bytecode ≤ 6 KB (6,144 bytes): ${bytes.toLocaleString("en-US")} bytes, ${verdict(ok)}${ok ? "" : ` by ${(bytes - TARGETS.bytecodeBytes).toLocaleString("en-US")} bytes`}.`)
    }
    return lines
}

function findings(report: Report): string[] {
    const { superloop: s, async: a, empty } = report.builds
    const n = (x: number, digits = 1) => round(x, digits).toLocaleString("en-US")
    return [
        `- **An async event loop is a superloop underneath.** Idle, the runtime wakes the VM ${n(empty.idle.wakeupsPerSec)} times a second even for an empty program (its own scheduler loop), and both builds add nothing to that (${n(s.idle.wakeupsPerSec)} and ${n(a.idle.wakeupsPerSec)}). What differs is what runs at each wakeup: the superloop runs ${n(s.idle.fiberRunsPerSec)} fiber turns and ${n(s.idle.instructionsPerSec, 0)} bytecode instructions a second to find nothing to do; the async build sleeps until an event and runs ${n(a.idle.instructionsPerSec, 0)} a second, ${n(a.idle.instructionsPerSec - empty.idle.instructionsPerSec, 0)} more than the empty program with the same three roles (the build's own handlers; it watches the serial role's binding to send \`RDY\` and to enable the serial link again whenever it binds). The timeline chart shows it: one tick per wakeup, coloured when bytecode ran.`,
        `- **Latency follows the structure.** The superloop answers at its next pass: press→\`REQ\` ${n(s.virtual.pressToReq.mean, 2)} ms on average and ${n(s.virtual.pressToReq.worst, 2)} ms at worst on virtual time, one loop period; the async build answers in the same VM turn (${n(a.virtual.pressToReq.worst, 2)} ms). On the wall clock the same holds (medians ${n(s.real.isolated.pressToReq.median, 2)} vs ${n(a.real.isolated.pressToReq.median, 2)} ms).`,
        `- **Back to back, answers wait for the runtime's packet throttle, in both builds.** Press→\`REQ\` medians grow by ${n(s.real.backToBack.pressToReq.median - s.real.isolated.pressToReq.median, 2)} ms (superloop) and ${n(a.real.backToBack.pressToReq.median - a.real.isolated.pressToReq.median, 2)} ms (async) from isolated to back-to-back stimuli. DeviceScript lets a program send a burst of 5 packets, then one per 20 ms, and every serial send and every LED change costs one: a stimulus that comes while the previous command still waits for its slot is answered a 20 ms slot later. A request cycle costs four packets (\`REQ\`, LED on, \`ACK\`, LED off), so when stimuli come back to back each answer waits behind the LED change before it and then for its own slot: press→\`REQ\` medians of ${n(s.real.backToBack.pressToReq.median, 2)} ms (superloop) and ${n(a.real.backToBack.pressToReq.median, 2)} ms (async), against ${n(s.real.isolated.pressToReq.median, 2)} and ${n(a.real.isolated.pressToReq.median, 2)} ms for isolated stimuli. What was in a build, and is fixed: the async build used to write the LED before its \`ACK\` and to make a request's task wait for the LED write, so an answer could queue behind an LED change; both builds now send the answer first, and only the superloop's own loop waits on the LED.`,
        `- **Memory.** The request table has fixed slots, so the superloop's heap does not grow with requests in flight (${n(s.heap.perInFlightBytes)} bytes each); each async request holds a suspended fiber and its frame (${n(a.heap.perInFlightBytes)} bytes each).`,
        `- **Code size.** The shared modules (frames, receive buffer, request table, outbox, roles) are compiled into both builds; the builds' own files are ${s.source.lines} and ${a.source.lines} lines of code. Of the superloop's ${n(s.bytecode.bytecodeBytes, 0)} bytes, ${n(s.bytecode.ownCodeBytes, 0)} are the project's functions, ${n(s.bytecode.libraryCodeBytes, 0)} DeviceScript's library code for roles, events and buffers, and ${n(s.bytecode.stringBytes, 0)} the string table, where every property and method name is a string (async: ${n(a.bytecode.ownCodeBytes, 0)}, ${n(a.bytecode.libraryCodeBytes, 0)} and ${n(a.bytecode.stringBytes, 0)} of ${n(a.bytecode.bytecodeBytes, 0)}).`,
    ]
}

function functionTable(name: string, b: BuildReport): string[] {
    return [
        `### ${name}: own functions (${b.bytecode.ownCodeBytes.toLocaleString("en-US")} of ${b.bytecode.bytecodeBytes.toLocaleString("en-US")} bytes)`,
        "",
        "| bytes | function | file |",
        "| ---: | --- | --- |",
        ...b.bytecode.functions.map(f => `| ${f.bytes} | \`${f.name}\` | ${f.file} |`),
        "",
    ]
}

export function renderMarkdown(report: Report): string {
    const table = markedRows(report)
    const note = quickNote(report)
    return [
        "# Superloop vs async: the comparison",
        "",
        `Generated by \`npm run compare${report.quick ? " -- --quick" : ""}\` on ${report.generatedAt} in ${report.durationSeconds} s.`,
        "Virtual-time figures repeat exactly from run to run with the same settings; real-time figures come from this machine.",
        "",
        "| figure | superloop | async |",
        "| --- | ---: | ---: |",
        ...table.map(r => `| ${r.join(" | ")} |`),
        "",
        ...(note.length ? [...note, ""] : []),
        "## Targets",
        "",
        ...targets(report),
        "",
        "## What the figures say",
        "",
        ...findings(report),
        "",
        "## Charts",
        "",
        ...report.charts.map(c => `![${c}](${c})`),
        "",
        "## Steady rates tried",
        "",
        `From the lowest rate up, until one fails the rule: ${STEADY_RATE_RULE}. The highest that meets it is the table's "highest steady rate".`,
        "",
        "| build | rate (/s) | presses | REQ | BUSY | ACK | lost | worst press→REQ (ms) | meets the rule |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ...(["superloop", "async"] as const).flatMap(name =>
            report.builds[name].rate.results.map(
                r => `| ${name} | ${r.ratePerSec} | ${r.presses} | ${r.reqs} | ${r.busy} | ${r.acks} | ${r.lost} | ${round(r.worstPressToReqMs, 2)} | ${meetsSteadyRateRule(r) ? "yes" : "no"} |`,
            ),
        ),
        "",
        ...functionTable("superloop", report.builds.superloop),
        ...functionTable("async", report.builds.async),
    ].join("\n")
}

/** The README's comparison: the table and the charts of the latest full run. */
export function renderReadmeSection(report: Report): string {
    return [
        `Latest full run (${report.generatedAt.slice(0, 10)}, ${report.durationSeconds} s; details and per-function tables in [reports/compare.md](reports/compare.md)):`,
        "",
        "| figure | superloop | async |",
        "| --- | ---: | ---: |",
        ...rows(report).map(r => `| ${r.join(" | ")} |`),
        "",
        ...report.charts.map(c => `![${c}](reports/${c})`),
    ].join("\n")
}
