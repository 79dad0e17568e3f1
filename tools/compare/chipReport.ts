// The on-chip comparison as a chart (the LOOP_MS design curve) and as README sections.
import { axisTicks } from "../lib/labels.js"
import { svg, textWidth } from "./charts.js"
import type { ChipBuildFigures, ChipOutcome, ChipReport } from "./chip.js"

const COLORS = { superloop: "#d9480f", async: "#1971c2" }
const FONT = `font-family="system-ui, sans-serif" font-size="12"`
export const CHART_FILE = "chip-loop-sweep.svg"

const percent = (share: number) => `${(share * 100).toFixed(1)} %`
const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`

interface Box {
    x: number
    y: number
    width: number
    height: number
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/**
 * Places a label next to its point: right, left, above or below, whichever first keeps it inside `area` and
 * clear of the labels and points placed before. Returns the text's box (x, y of its top-left corner).
 */
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
    ]
    const inside = (box: Box) => box.x >= area.x && box.y >= area.y && box.x + box.width <= area.x + area.width && box.y + box.height <= area.y + area.height
    const boxes = tries.map(t => ({ ...t, width, height }))
    return boxes.find(box => inside(box) && !taken.some(other => overlaps(box, other))) ?? boxes.find(inside) ?? boxes[0]
}

/** Idle CPU share (x) against worst press→REQ (y): the superloop's LOOP_MS curve, and async as one point. */
export function loopSweepChart(report: ChipReport): string {
    const width = 680
    const height = 400
    const left = 70
    const right = 40
    const top = 40
    const bottom = 70
    const async = { idleBusyShare: report.async.idleBusyShare, worstPressToReqUs: report.async.pressToReqUs.max }
    const points = [...report.loopSweep, async]
    const tickLabel = (v: number) => `${v}`
    const xTicks = axisTicks(Math.max(...points.map(p => p.idleBusyShare * 100)), width - left - right, v => textWidth(tickLabel(v), 12))
    const yTicks = axisTicks(Math.max(...points.map(p => (p.worstPressToReqUs ?? 0) / 1000)), height - top - bottom, () => 14)
    const x = (share: number) => left + ((width - left - right) * share * 100) / xTicks.end
    const y = (us: number) => height - bottom - ((height - top - bottom) * us) / 1000 / yTicks.end
    const body = [
        `<text x="10" y="22" ${FONT} font-weight="bold">On an emulated Pico: idle CPU busy share vs worst press→REQ (emulated time)</text>`,
        `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#333"/>`,
        `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#333"/>`,
        `<text x="${(left + width - right) / 2}" y="${height - bottom + 36}" ${FONT} text-anchor="middle">CPU busy while idle (% of cycles)</text>`,
        `<text x="16" y="${(top + height - bottom) / 2}" ${FONT} text-anchor="middle" transform="rotate(-90 16 ${(top + height - bottom) / 2})">worst press→REQ (ms)</text>`,
        `<text x="10" y="${height - 12}" ${FONT}>superloop: LOOP_MS (n lost: presses of ${report.settings.sweepPresses} with no REQ); hollow: all lost</text>`,
    ]
    for (const v of xTicks.values) body.push(`<text x="${x(v / 100)}" y="${height - bottom + 16}" ${FONT} text-anchor="middle">${tickLabel(v)}</text>`)
    for (const v of yTicks.values) body.push(`<text x="${left - 6}" y="${y(v * 1000) + 4}" ${FONT} text-anchor="end">${tickLabel(v)}</text>`)
    // points where every press was lost have no worst press→REQ: drawn hollow, at the top
    const sweep = [...report.loopSweep].sort((a, b) => a.loopMs - b.loopMs)
    const plotted = sweep.filter(p => p.worstPressToReqUs !== null)
    if (plotted.length > 1) {
        const path = plotted.map(p => `${x(p.idleBusyShare).toFixed(1)},${y(p.worstPressToReqUs!).toFixed(1)}`).join(" ")
        body.push(`<polyline points="${path}" fill="none" stroke="${COLORS.superloop}" stroke-width="1.5"/>`)
    }
    const marks = [
        ...sweep.map(p => ({
            cx: x(p.idleBusyShare),
            cy: p.worstPressToReqUs === null ? top : y(p.worstPressToReqUs),
            fill: p.worstPressToReqUs === null ? "white" : COLORS.superloop,
            color: COLORS.superloop,
            text: `${p.loopMs} ms${p.lostPresses ? ` (${p.lostPresses} lost)` : ""}`,
        })),
        { cx: x(async.idleBusyShare), cy: y(async.worstPressToReqUs), fill: COLORS.async, color: COLORS.async, text: "async" },
    ]
    const area = { x: left + 2, y: top - 16, width: width - left - right + right - 4, height: height - bottom - top + 14 }
    const taken: Box[] = marks.map(m => ({ x: m.cx - 5, y: m.cy - 5, width: 10, height: 10 }))
    for (const m of marks) {
        body.push(`<circle cx="${m.cx}" cy="${m.cy}" r="4" fill="${m.fill}" stroke="${m.color}"/>`)
        const box = placeLabel(m.cx, m.cy, textWidth(m.text, 12), taken, area)
        taken.push(box)
        body.push(`<text x="${box.x.toFixed(1)}" y="${(box.y + 11).toFixed(1)}" ${FONT} fill="${m.color}">${m.text}</text>`)
    }
    return svg(width, height, body)
}

function figureRows(superloop: ChipBuildFigures, async: ChipBuildFigures): string[][] {
    const both = (f: (b: ChipBuildFigures) => string) => [f(superloop), f(async)]
    const rows: [string, ...string[]][] = [
        ["CPU busy, idle", ...both(b => percent(b.idleBusyShare))],
        ["CPU busy, a press every 200 ms answered after 50 ms", ...both(b => percent(b.loadBusyShare))],
        ["press→REQ median / p90 / p99 / max", ...both(b => `${ms(b.pressToReqUs.median)} / ${ms(b.pressToReqUs.p90)} / ${ms(b.pressToReqUs.p99)} / ${ms(b.pressToReqUs.max)}`)],
        ["press→REQ jitter (std. dev.)", ...both(b => ms(b.pressToReqUs.jitter))],
        ["RES→ACK median / p90 / p99 / max", ...both(b => `${ms(b.resToAckUs.median)} / ${ms(b.resToAckUs.p90)} / ${ms(b.resToAckUs.p99)} / ${ms(b.resToAckUs.max)}`)],
        ["RES→ACK jitter (std. dev.)", ...both(b => ms(b.resToAckUs.jitter))],
        ["timer stalls (lost wake-ups ≥ 1 ms): count, longest", ...both(b => `${b.stalls.count} in ${(b.stalls.emulatedMs / 1000).toFixed(1)} s, ${b.stalls.longestMs.toFixed(1)} ms`)],
        ["presses that got no REQ (slept through)", ...both(b => `${b.lostPresses} of ${b.presses}`)],
    ]
    if (superloop.ram && async.ram) {
        rows.push(["RAM: static (.data + .bss)", ...both(b => `${(b.ram!.staticBytes / 1024).toFixed(1)} KB`)])
        rows.push(["RAM: C heap in use (the DeviceScript heap is one fixed block in it)", ...both(b => `${(b.ram!.heapBytes / 1024).toFixed(1)} KB`)])
    }
    return rows
}

/** The figures of the "On an emulated Pico" section, between its markers. */
export function chipReadmeSection(outcome: ChipOutcome, generatedAt: string): string {
    if ("skipped" in outcome) return `Not measured in the latest run: ${outcome.skipped}`
    const { superloop, async, loopSweep, settings } = outcome.report
    const lines = [
        `Latest run (${generatedAt.slice(0, 10)}, \`npm run compare\`; ${settings.presses} presses per build, emulated time; ` +
            `${superloop.wallSeconds + async.wallSeconds} s of wall time for ${((superloop.emulatedMs + async.emulatedMs) / 1000).toFixed(1)} s emulated):`,
        "",
        "| on the emulated RP2040 (125 MHz) | superloop | async |",
        "| --- | ---: | ---: |",
        ...figureRows(superloop, async).map(r => `| ${r.join(" | ")} |`),
        "",
    ]
    if (loopSweep.length) {
        lines.push("| superloop `LOOP_MS` | CPU busy, idle | worst press→REQ | presses with no REQ |", "| ---: | ---: | ---: | ---: |")
        for (const p of loopSweep) {
            const worst = p.worstPressToReqUs === null ? "no REQ at all" : ms(p.worstPressToReqUs)
            lines.push(`| ${p.loopMs} | ${percent(p.idleBusyShare)} | ${worst} | ${p.lostPresses} of ${settings.sweepPresses} |`)
        }
        lines.push(`| async (one point) | ${percent(async.idleBusyShare)} | ${ms(async.pressToReqUs.max)} | ${async.lostPresses} of ${async.presses} |`, "")
    }
    return lines.join("\n")
}

/** The chart at the top of the README's comparison. */
export function chipChartSection(outcome: ChipOutcome): string {
    if ("skipped" in outcome || !outcome.report.loopSweep.length) return ""
    return [
        `![What each style costs on an emulated Pico: the superloop's LOOP_MS against idle CPU share and worst press→REQ, async as one point](reports/${CHART_FILE})`,
    ].join("\n")
}
