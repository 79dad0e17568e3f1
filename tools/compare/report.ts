// The comparison report: compare.json's shape, the Markdown page and the terminal table.
import type { BytecodeFigures } from "./bytecode.js"
import type { RateResult, Rates } from "./scenarios.js"
import type { SourceSize } from "./sourceSize.js"
import { round } from "./stats.js"

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

type Row = [string, string, string]

function rows(report: Report): Row[] {
    const { superloop: s, async: a, empty } = report.builds
    const n = (x: number, digits = 1) => round(x, digits).toLocaleString("en-US")
    const both = (f: (b: BuildReport) => string): [string, string] => [f(s), f(a)]
    return [
        ["bytecode (.devs bytes)", ...both(b => n(b.bytecode.bytecodeBytes, 0))],
        ["  of which own functions", ...both(b => n(b.bytecode.ownCodeBytes, 0))],
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
        ["highest steady rate, nothing lost (req/s)", ...both(b => n(b.rate.maxRatePerSec, 0))],
        ["burst: REQ / BUSY / lost", ...both(b => `${b.burst.reqs} / ${b.burst.busy} / ${b.burst.lost} of ${b.burst.presses}`)],
    ]
}

export function renderTerminalTable(report: Report): string {
    const table = rows(report)
    const widths = [0, 1, 2].map(i => Math.max(...table.map(r => r[i].length), ["figure", "superloop", "async"][i].length))
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ")
    return [line(["figure", "superloop", "async"]), line(widths.map(w => "-".repeat(w))), ...table.map(line)].join("\n")
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
    const table = rows(report)
    return [
        "# Superloop vs async: the comparison",
        "",
        `Generated by \`npm run compare${report.quick ? " -- --quick" : ""}\` on ${report.generatedAt} in ${report.durationSeconds} s.`,
        "Virtual-time figures are exact and repeatable; real-time figures come from this machine.",
        "",
        "| figure | superloop | async |",
        "| --- | ---: | ---: |",
        ...table.map(r => `| ${r.join(" | ")} |`),
        "",
        "## Targets",
        "",
        ...targets(report),
        "",
        "## Charts",
        "",
        ...report.charts.map(c => `![${c}](${c})`),
        "",
        "## Steady rates tried",
        "",
        "| build | rate (/s) | presses | REQ | BUSY | ACK | lost | worst press→REQ (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...(["superloop", "async"] as const).flatMap(name =>
            report.builds[name].rate.results.map(r => `| ${name} | ${r.ratePerSec} | ${r.presses} | ${r.reqs} | ${r.busy} | ${r.acks} | ${r.lost} | ${round(r.worstPressToReqMs, 2)} |`),
        ),
        "",
        ...functionTable("superloop", report.builds.superloop),
        ...functionTable("async", report.builds.async),
    ].join("\n")
}
