// The on-chip figures as Markdown (docs/chip.md and the README's headline), a chart, and compare.json's `chip` key.
import { BUILDS, BUILD_NAMES, type BuildName } from "../../../host/index.js"
import { HOLD_MS, PRESS_STAGES, STAGE_TITLES, type RuntimeFlavour } from "../../../sim/index.js"
import { msOfUs, number, percent, withRange } from "../../lib/format.js"
import { axisTicks } from "../../lib/labels.js"
import { sharesTable, topFunctionsTable } from "../../lib/chipProfile.js"
import { svg, textWidth } from "../charts.js"
import type { ChipBuildFigures, ChipFigures, Latencies, LoopSweepPoint, Range, RuntimeFigures } from "./figures.js"
import type { ChipSettings } from "./plan.js"
import { PRESS_SCHEDULE } from "./run.js"

export const SWEEP_CHART_FILE = "chip-loop-sweep.svg"
export const PROFILE_CHART_FILE = "chip-profile.svg"

export const RUNTIME_TITLES: Record<RuntimeFlavour, string> = {
    released: "released runtime (what `devs flash` installs)",
    fixed: "runtime with the timer fix",
}
const RUNTIME_SHORT: Record<RuntimeFlavour, string> = { released: "released runtime", fixed: "runtime with the timer fix" }
const RUNTIME_COLORS: Record<RuntimeFlavour, string> = { released: "#e8590c", fixed: "#5c940d" }

const range = (r: Range, f: (x: number) => string) => ({ min: f(r.min), max: f(r.max) })
const shareWithRange = (value: number, r: Range) => {
    const { min, max } = range(r, percent)
    return withRange(percent(value), min, max)
}
const latencyWithRange = (l: Latencies, key: "median" | "p90" | "p99" | "max") => {
    const { min, max } = range(l.spread[key], msOfUs)
    return withRange(msOfUs(l[key]), min, max)
}

/** How the presses were made, in words. */
export function pressMethod(s: ChipSettings): string {
    const { periodMs, replyMs } = PRESS_SCHEDULE
    return (
        `${number(s.presses, 0)} presses per build, runtime and seed, over ${s.seeds} seed${s.seeds === 1 ? "" : "s"}; each press ` +
        `${periodMs.min}–${periodMs.min + periodMs.spread} ms after the one before (drawn from the seed's generator, so presses meet the button's 9 ms poll and the loop's period at every phase, ` +
        `and never before the press before has its \`REQ\`), the finger down ${HOLD_MS} ms, the peer answering each \`REQ\` ${replyMs.min}–${replyMs.min + replyMs.spread} ms later. ` +
        "A figure is over all seeds' presses; in brackets, its lowest and highest over the seeds when they differ."
    )
}

function buildRows(runtime: RuntimeFigures): [string, ...string[]][] {
    const { builds, floor } = runtime
    const each = (f: (b: ChipBuildFigures) => string) => BUILD_NAMES.map(name => f(builds[name]))
    const own = (value: number, base: number) => `${percent(value)} = ${percent(base)} ${value < base ? "−" : "+"} ${percent(Math.abs(value - base))}`
    return [
        [`CPU busy, idle: the empty program's + the build's own`, ...each(b => `${own(b.idleBusyShare, floor.emptyIdleBusyShare)}${b.spread.idleBusyShare.min === b.spread.idleBusyShare.max ? "" : ` (${percent(b.spread.idleBusyShare.min)}–${percent(b.spread.idleBusyShare.max)})`}`)],
        ["CPU busy, a press every 200 ms answered after 50 ms", ...each(b => shareWithRange(b.loadBusyShare, b.spread.loadBusyShare))],
        [`press→REQ median: the floor program's + the build's own`, ...each(b => `${msOfUs(b.pressToReqUs.median)} = ${msOfUs(floor.pressToReqUs.median)} + ${msOfUs(b.pressToReqUs.median - floor.pressToReqUs.median)}`)],
        ["press→REQ median / p99 / max, with the range over the seeds", ...each(b => ["median", "p99", "max"].map(k => latencyWithRange(b.pressToReqUs, k as "median")).join(" / "))],
        ["press→REQ jitter (standard deviation)", ...each(b => msOfUs(b.pressToReqUs.jitter))],
        ["RES→ACK median / p99 / max", ...each(b => ["median", "p99", "max"].map(k => latencyWithRange(b.resToAckUs, k as "median")).join(" / "))],
        ["presses that got no REQ (slept through)", ...each(b => `${b.lostPresses} of ${b.presses}`)],
        ["timer stalls (lost wake-ups of 1 ms or more): count, longest", ...each(b => `${b.stalls.count}, ${b.stalls.longestMs ? `${number(b.stalls.longestMs)} ms` : "—"}`)],
        ...(builds.superloop.ram
            ? ([
                  ["RAM: static (.data + .bss) / C heap in use", ...each(b => (b.ram ? `${number(b.ram.staticBytes / 1024)} / ${number(b.ram.heapBytes / 1024)} KB` : "—"))],
              ] as [string, ...string[]][])
            : []),
    ]
}

function table(header: string[], rows: string[][]): string[] {
    return [`| ${header.join(" | ")} |`, `| --- |${header.slice(1).map(() => " ---: |").join("")}`, ...rows.map(r => `| ${r.join(" | ")} |`)]
}

/** The floors of one runtime, in words. */
function floorLine(runtime: RuntimeFigures): string {
    const f = runtime.floor
    return (
        `Floors: with no program the runtime alone is busy ${percent(f.runtimeAloneIdleBusyShare)} of idle cycles; the empty program (the builds' three roles, no behaviour) ${percent(f.emptyIdleBusyShare)}; ` +
        `the floor program (the button's handler sends \`REQ\` at once, nothing else) answers a press in ${latencyWithRange(f.pressToReqUs, "median")} (p99 ${latencyWithRange(f.pressToReqUs, "p99")}).`
    )
}

/** docs/chip.md: the figures of each runtime, builds side by side, each as floor + its own cost. */
export function chipTablesSection(figures: ChipFigures, s: ChipSettings, meta: { date: string; command: string; wallSeconds: number }): string {
    const lines = [`Latest run (${meta.date}, \`${meta.command}\`, ${number(meta.wallSeconds, 0)} s of wall time). ${pressMethod(s)}`, ""]
    for (const [flavour, runtime] of Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]) {
        lines.push(`**${RUNTIME_TITLES[flavour]}**`, "", ...table([`on the emulated RP2040 (125 MHz)`, ...BUILD_NAMES], buildRows(runtime)), "", floorLine(runtime), "")
    }
    return lines.join("\n")
}

/** docs/chip.md: the LOOP_MS sweep of each runtime, the event-driven builds as points. */
export function sweepSection(figures: ChipFigures, s: ChipSettings): string {
    const runtimes = Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]
    if (!runtimes.some(([, r]) => r.loopSweep.length)) return "Not measured in the latest run (a quick run has no sweep)."
    const lines = [`![The superloop's LOOP_MS against idle CPU and press→REQ p99, on each runtime; the other builds as points](../reports/${SWEEP_CHART_FILE})`, ""]
    const header = ["superloop `LOOP_MS`", ...runtimes.map(([f]) => `${RUNTIME_SHORT[f]}: idle CPU, press→REQ median / p99, lost`)]
    const loops = [...new Set(runtimes.flatMap(([, r]) => r.loopSweep.map(p => p.loopMs)))].sort((a, b) => a - b)
    const cell = (p: LoopSweepPoint | undefined) =>
        p ? `${percent(p.idleBusyShare)}, ${p.pressToReqUs ? `${msOfUs(p.pressToReqUs.median)} / ${msOfUs(p.pressToReqUs.p99)}` : "no REQ at all"}, ${p.lostPresses} of ${p.presses}` : "—"
    const rows = loops.map(loopMs => [`${loopMs} ms`, ...runtimes.map(([, r]) => cell(r.loopSweep.find(p => p.loopMs === loopMs)))])
    for (const name of BUILD_NAMES.filter(b => b !== "superloop")) {
        rows.push([`${name} (no period)`, ...runtimes.map(([, r]) => { const b = r.builds[name]; return `${percent(b.idleBusyShare)}, ${msOfUs(b.pressToReqUs.median)} / ${msOfUs(b.pressToReqUs.p99)}, ${b.lostPresses} of ${b.presses}` })])
    }
    lines.push(...table(header, rows), "", `Each \`LOOP_MS\` point is one seed of ${s.sweepPresses} presses, but 10 ms, which is the superloop itself, with the figures of its row above (all its seeds); the other builds too are over all their presses.`)
    return lines.join("\n")
}

interface Box {
    x: number
    y: number
    width: number
    height: number
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** Right, left, above or below the point: the first place inside `area` clear of what is `taken`. */
function placeLabel(cx: number, cy: number, width: number, taken: Box[], area: Box): Box {
    const height = 14
    const tries = [
        { x: cx + 8, y: cy - height / 2 },
        { x: cx - 8 - width, y: cy - height / 2 },
        { x: cx - width / 2, y: cy - 8 - height },
        { x: cx - width / 2, y: cy + 8 },
        { x: cx + 8, y: cy - 8 - height },
        { x: cx + 8, y: cy + 6 },
        { x: cx - 8 - width, y: cy - 8 - height },
        { x: cx - 8 - width, y: cy + 6 },
    ].map(t => ({ ...t, width, height }))
    const inside = (box: Box) => box.x >= area.x && box.y >= area.y && box.x + box.width <= area.x + area.width && box.y + box.height <= area.y + area.height
    return tries.find(box => inside(box) && !taken.some(other => overlaps(box, other))) ?? tries.find(inside) ?? tries[0]
}

interface Mark {
    share: number
    p99Us: number
    label: string
    color: string
    /** Hollow: some presses got no REQ. */
    hollow: boolean
    shape: "circle" | "square"
}

/**
 * The superloop's LOOP_MS points on each runtime (one colour per runtime, each point labelled
 * with its LOOP_MS, hollow where presses were lost, and how many), and the other builds as
 * squares in their own colours: idle CPU (x) against press→REQ p99 (y). A point whose presses
 * all went unanswered has no p99: it is named under the chart instead of drawn.
 */
export function sweepChart(figures: ChipFigures): string {
    const width = 720
    const left = 70
    const right = 30
    const top = 40
    const marks: Mark[] = []
    const unplotted: string[] = []
    for (const [flavour, runtime] of Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]) {
        for (const p of runtime.loopSweep) {
            const lost = p.lostPresses ? `, ${p.lostPresses} of ${p.presses} lost` : ""
            if (!p.pressToReqUs) unplotted.push(`${p.loopMs} ms on the ${RUNTIME_SHORT[flavour]}: no REQ at all`)
            else marks.push({ share: p.idleBusyShare, p99Us: p.pressToReqUs.p99, label: `${p.loopMs} ms${lost}`, color: RUNTIME_COLORS[flavour], hollow: p.lostPresses > 0, shape: "circle" })
        }
        for (const build of BUILDS.filter(b => b.name !== "superloop")) {
            const b = runtime.builds[build.name]
            marks.push({ share: b.idleBusyShare, p99Us: b.pressToReqUs.p99, label: `${build.name} (${flavour})`, color: build.color, hollow: b.lostPresses > 0, shape: "square" })
        }
    }
    const bottom = 96 + 18 * unplotted.length
    const height = 344 + bottom
    const xTicks = axisTicks(Math.max(...marks.map(m => m.share * 100)), width - left - right, v => textWidth(`${v}`, 12))
    const yTicks = axisTicks(Math.max(...marks.map(m => m.p99Us / 1000)), height - top - bottom, () => 14)
    const x = (share: number) => left + ((width - left - right) * share * 100) / xTicks.end
    const y = (us: number) => height - bottom - ((height - top - bottom) * us) / 1000 / yTicks.end
    const FONT = `font-family="system-ui, sans-serif" font-size="12"`
    const body = [
        `<text x="10" y="22" ${FONT} font-weight="bold">On an emulated Pico: idle CPU against press→REQ p99 (emulated time)</text>`,
        `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#333"/>`,
        `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#333"/>`,
        `<text x="${(left + width - right) / 2}" y="${height - bottom + 34}" ${FONT} text-anchor="middle">CPU busy while idle (% of cycles)</text>`,
        `<text x="16" y="${(top + height - bottom) / 2}" ${FONT} text-anchor="middle" transform="rotate(-90 16 ${(top + height - bottom) / 2})">press→REQ p99 (ms)</text>`,
    ]
    for (const v of xTicks.values) body.push(`<text x="${x(v / 100)}" y="${height - bottom + 16}" ${FONT} text-anchor="middle">${v}</text>`)
    for (const v of yTicks.values) body.push(`<text x="${left - 6}" y="${y(v * 1000) + 4}" ${FONT} text-anchor="end">${v}</text>`)
    const legend: string[] = []
    let legendX = 10
    const legendY = height - bottom + 56
    for (const [flavour] of Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]) {
        const text = `superloop LOOP_MS, ${RUNTIME_SHORT[flavour]}`
        legend.push(`<circle cx="${legendX + 5}" cy="${legendY - 4}" r="4" fill="${RUNTIME_COLORS[flavour]}"/>`, `<text x="${legendX + 14}" y="${legendY}" ${FONT}>${text}</text>`)
        legendX += 24 + textWidth(text, 12)
    }
    body.push(...legend, `<text x="10" y="${legendY + 20}" ${FONT}>hollow: some presses got no REQ (the number is in the label)</text>`)
    unplotted.forEach((line, i) => body.push(`<text x="10" y="${legendY + 40 + 18 * i}" ${FONT}>not drawn: ${line}</text>`))
    const area = { x: left + 2, y: top - 16, width: width - left - 4, height: height - bottom - top + 14 }
    const taken: Box[] = marks.map(m => ({ x: x(m.share) - 5, y: y(m.p99Us) - 5, width: 10, height: 10 }))
    for (const m of marks) {
        const cx = x(m.share)
        const cy = y(m.p99Us)
        const fill = m.hollow ? "white" : m.color
        body.push(m.shape === "circle" ? `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${fill}" stroke="${m.color}"/>` : `<rect x="${(cx - 4).toFixed(1)}" y="${(cy - 4).toFixed(1)}" width="8" height="8" fill="${fill}" stroke="${m.color}"/>`)
        const box = placeLabel(cx, cy, textWidth(m.label, 12), taken, area)
        taken.push(box)
        body.push(`<text x="${box.x.toFixed(1)}" y="${(box.y + 11).toFixed(1)}" ${FONT} fill="${m.color}">${m.label}</text>`)
    }
    return svg(width, height, body)
}

/** docs/chip.md: where the cycles go, per build (runtime with the timer fix). */
export function profileSection(figures: ChipFigures): string {
    if (!figures.profile) return "Not measured in the latest run (a quick run, or no ELF beside the runtime with the timer fix)."
    const columns = BUILD_NAMES.flatMap(b => (["idle", "load"] as const).map(w => ({ label: `${b}, ${w}`, shares: figures.profile![b][w].shares })))
    return [
        "Runtime with the timer fix, the first seed's idle and load windows:",
        "",
        sharesTable(columns),
        "",
        `![Busy cycles by kind of work, per build, idle and under load](../reports/${PROFILE_CHART_FILE})`,
    ].join("\n")
}

/** reports/chip-profile.md: each window's busiest functions, with the rule that placed each. */
export function profileDetails(figures: ChipFigures): string {
    if (!figures.profile) return "# Where the cycles go\n\nNot measured in the latest run.\n"
    const lines = ["# Where the cycles go: each build's busiest functions (runtime with the timer fix)", "", "Written by `npm run compare`; see docs/chip.md for how the cycles are counted and folded.", ""]
    for (const b of BUILD_NAMES) {
        for (const w of ["idle", "load"] as const) lines.push(`## ${b}, ${w}`, "", topFunctionsTable(figures.profile[b][w]), "")
    }
    return lines.join("\n")
}

/** docs/chip.md: each press's way through the runtime, stage by stage (runtime with the timer fix). */
export function traceSection(figures: ChipFigures): string {
    if (!figures.trace) return "Not measured in the latest run (a quick run, or no ELF beside the runtime with the timer fix)."
    const header = ["stage (median / p99, ms)", ...BUILD_NAMES]
    const rows = [...PRESS_STAGES, "total" as const].map(stage => [
        stage === "total" ? "**press→REQ**" : STAGE_TITLES[stage],
        ...BUILD_NAMES.map(b => `${number(figures.trace![b][stage].median / 1000, 2)} / ${number(figures.trace![b][stage].p99 / 1000, 2)}`),
    ])
    return ["Runtime with the timer fix, the first seed's presses:", "", ...table(header, rows)].join("\n")
}

/** docs/chip.md: the figures with the XIP cache model against those without, the first seed. */
export function xipSection(figures: ChipFigures): string {
    const runtimes = (Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]).filter(([, r]) => r.xip)
    if (!runtimes.length) return "Not measured in the latest run (a quick run has no XIP runs)."
    const lines: string[] = []
    const fill = runtimes[0][1].xip![BUILD_NAMES[0]].xip?.lineFill
    if (fill) lines.push(`A cache miss costs ${fill.cycles} cycles here: ${fill.serialClocks} flash clocks at a divider of ${fill.clockDivider}, as the SSI registers set at boot say.`, "")
    const header = ["first seed, without → with the XIP model", ...BUILD_NAMES]
    for (const [flavour, runtime] of runtimes) {
        const row = (label: string, f: (b: ChipBuildFigures) => string) => [label, ...BUILD_NAMES.map(b => `${f(runtime.builds[b])} → ${f(runtime.xip![b])}`)]
        lines.push(`**${RUNTIME_TITLES[flavour]}**`, "", ...table(header, [row("CPU busy, idle", b => percent(b.spread.idleBusyShare.min)), row("press→REQ median", b => msOfUs(b.pressToReqUs.spread.median.min)), row("press→REQ p99", b => msOfUs(b.pressToReqUs.spread.p99.min))]), "")
    }
    lines.push("Both sides are the builds' first seed (the same presses at the same times): the figures without the model are that seed's, not the all-seed figures above.")
    return lines.join("\n")
}

/** compare.json's `chip` key. */
export function chipJson(figures: ChipFigures, s: ChipSettings) {
    const runtimes = Object.fromEntries(
        (Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]).map(([f, r]) => [f, { ...r.builds, floor: r.floor, loopSweep: r.loopSweep }]),
    )
    const preferred = figures.runtimes.fixed ?? figures.runtimes.released
    return {
        settings: { quick: s.quick, presses: s.presses, seeds: s.seeds, seedList: Array.from({ length: s.seeds }, (_, i) => i + 1), schedule: PRESS_SCHEDULE, windowMs: s.windowMs, loopSweepMs: s.loopSweepMs, sweepPresses: s.sweepPresses },
        runtimes,
        floor: preferred && { emptyIdleBusyShare: preferred.floor.emptyIdleBusyShare, runtimeAloneIdleBusyShare: preferred.floor.runtimeAloneIdleBusyShare, pressToReqUs: preferred.floor.pressToReqUs },
        imageSha256: Object.fromEntries(BUILD_NAMES.map(b => [b, Object.fromEntries((Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]).map(([f, r]) => [f, r.builds[b].imageSha256]))])) as Record<BuildName, Partial<Record<RuntimeFlavour, string>>>,
        xip: Object.fromEntries((Object.entries(figures.runtimes) as [RuntimeFlavour, RuntimeFigures][]).filter(([, r]) => r.xip).map(([f, r]) => [f, r.xip])),
        profile: figures.profile && Object.fromEntries(BUILD_NAMES.map(b => [b, { idle: figures.profile![b].idle.shares, load: figures.profile![b].load.shares }])),
        trace: figures.trace,
    }
}
