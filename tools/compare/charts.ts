// Small, dependency-free SVG charts for the comparison report. Every label is
// placed so that none overlaps another: axes tick at round values, and labels
// along a time line go into lanes (or thin out) instead of running together.
import { BUILDS } from "../../host/index.js"
import { figure } from "../lib/format.js"
import { axisTicks, stackLabels } from "../lib/labels.js"
import { median } from "../lib/stats.js"

/** Each build in its own colour (the page uses the same); anything else, such as a floor, in grey. */
const COLORS: Record<string, string> = Object.fromEntries(BUILDS.map(b => [b.name, b.color]))
const FAMILY = `font-family="system-ui, sans-serif"`

function escape(text: string) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}

/**
 * A generous estimate of how wide `text` is at `size` px in a sans-serif font
 * (a chart is drawn without a browser to measure it): wide letters count more.
 */
export function textWidth(text: string, size: number): number {
    let ems = 0
    for (const c of text) {
        if (/[il.,:;'|! ]/.test(c)) ems += 0.36
        else if (/[0-9]/.test(c)) ems += 0.64
        else if (/[MWmw@%]/.test(c)) ems += 0.95
        else if (/[A-Z→]/.test(c)) ems += 0.72
        else ems += 0.6
    }
    return ems * size
}

interface TextOptions {
    size?: number
    anchor?: "start" | "middle" | "end"
    fill?: string
    bold?: boolean
}

function text(x: number, y: number, content: string, { size = 12, anchor = "start", fill, bold }: TextOptions = {}) {
    const attributes = [`x="${round(x)}"`, `y="${round(y)}"`, FAMILY, `font-size="${size}"`]
    if (anchor !== "start") attributes.push(`text-anchor="${anchor}"`)
    if (fill) attributes.push(`fill="${fill}"`)
    if (bold) attributes.push(`font-weight="bold"`)
    return `<text ${attributes.join(" ")}>${escape(content)}</text>`
}

const round = (x: number) => Math.round(x * 10) / 10

/** An SVG document of the given size on white, around `body`. */
export function svg(width: number, height: number, body: string[]) {
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
        `<rect width="${width}" height="${height}" fill="white"/>`,
        ...body,
        "</svg>",
        "",
    ].join("\n")
}

const color = (series: string) => COLORS[series] ?? "#868e96"

/** Horizontal bars, one per label, with the value printed at the end. */
export function barChart(title: string, unit: string, bars: { label: string; value: number; series: string }[]) {
    const width = 640
    const rowHeight = 28
    const left = 150
    const height = 50 + bars.length * rowHeight
    const max = Math.max(...bars.map(b => b.value), 1e-9)
    const body = [text(10, 22, title, { bold: true })]
    bars.forEach((bar, i) => {
        const y = 40 + i * rowHeight
        const w = ((width - left - 110) * bar.value) / max
        body.push(
            text(left - 8, y + 15, bar.label, { anchor: "end" }),
            `<rect x="${left}" y="${y}" width="${round(Math.max(w, 1))}" height="20" fill="${color(bar.series)}"/>`,
            text(left + w + 6, y + 15, `${figure(bar.value)} ${unit}`),
        )
    })
    return svg(width, height, body)
}

/** Each series' samples as a strip of dots on one axis, its median marked and labelled; ticks at round values. */
export function distributionChart(title: string, unit: string, series: { label: string; series: string; samples: number[] }[]) {
    const width = 640
    const left = 190
    const right = width - 30
    const rowHeight = 44
    const top = 52
    const height = top + series.length * rowHeight + 20
    const tickLabel = (v: number) => `${figure(v)} ${unit}`
    const ticks = axisTicks(Math.max(...series.flatMap(s => s.samples), 0), right - left, v => textWidth(tickLabel(v), 12))
    const x = (v: number) => left + ((right - left) * v) / ticks.end
    const body = [text(10, 22, title, { bold: true })]
    series.forEach((s, i) => {
        const y = top + i * rowHeight
        body.push(text(left - 8, y + 14, s.label, { anchor: "end" }))
        s.samples.forEach((v, j) => {
            const jitter = ((j * 7) % 11) - 5
            body.push(`<circle cx="${round(x(v))}" cy="${y + 10 + jitter}" r="2.5" fill="${color(s.series)}" fill-opacity="0.45"/>`)
        })
        if (!s.samples.length) return
        const middle = median(s.samples)
        const label = `median ${tickLabel(middle)}`
        const half = textWidth(label, 11) / 2
        // above the strip, centred on the median's mark, but never outside the plot
        const labelX = Math.min(Math.max(x(middle), left + half), width - 4 - half)
        body.push(
            `<line x1="${round(x(middle))}" x2="${round(x(middle))}" y1="${y - 2}" y2="${y + 22}" stroke="black" stroke-width="2"/>`,
            text(labelX, y - 5, label, { size: 11, anchor: "middle" }),
        )
    })
    const axisY = height - 24
    body.push(`<line x1="${left}" x2="${right}" y1="${axisY}" y2="${axisY}" stroke="#adb5bd"/>`)
    for (const v of ticks.values) {
        body.push(`<line x1="${round(x(v))}" x2="${round(x(v))}" y1="${axisY}" y2="${axisY + 4}" stroke="#adb5bd"/>`)
        body.push(text(x(v), axisY + 16, tickLabel(v), { anchor: "middle" }))
    }
    return svg(width, height, body)
}

export interface TimelineRow {
    label: string
    series: string
    wakeups: { at: number; instructions: number }[]
    frames: { at: number; what: string }[]
}

/** Lanes for labels that follow their marks along a time line; what fits in none is left out. */
function laneLabels(marks: { at: number; what: string }[], x: (t: number) => number, size: number, lanes: number) {
    const placed = marks.map(m => ({ mark: m, x: x(m.at) + 4, width: textWidth(m.what, size) }))
    const lane = stackLabels(placed, lanes, 4)
    return placed.flatMap((p, i) => (lane[i] === null ? [] : [{ ...p, lane: lane[i] as number }]))
}

/**
 * One row per build: a tick at each host wakeup, tall and coloured when
 * bytecode ran (height grows with the instructions run), short and grey when
 * the VM woke with nothing of the program to run; and the frames it sent, their
 * labels in two lanes (a label with room in neither is left out).
 */
export function timelineChart(title: string, windowMs: number, events: { at: number; what: string }[], rows: TimelineRow[]) {
    const width = 900
    const left = 150
    const right = width - 30
    const lanes = 2
    // a lane is a little taller than its font, so that lines of labels never touch
    const eventLane = 15
    const frameLane = 13
    const eventsTop = 44
    const rowsTop = eventsTop + lanes * eventLane - 7
    const rowHeight = 46 + lanes * frameLane + 6
    const height = rowsTop + rows.length * rowHeight + 40
    const axisY = height - 26
    const tickLabel = (t: number) => `${figure(t)} ms`
    const ticks = axisTicks(windowMs, right - left, t => textWidth(tickLabel(t), 12))
    const x = (t: number) => left + ((right - left) * t) / ticks.end
    const body = [text(10, 22, title, { bold: true })]
    for (const event of events) {
        body.push(`<line x1="${round(x(event.at))}" x2="${round(x(event.at))}" y1="34" y2="${axisY}" stroke="#2f9e44" stroke-dasharray="4 3"/>`)
    }
    for (const label of laneLabels(events, x, 12, lanes)) {
        body.push(text(label.x, eventsTop + label.lane * eventLane, label.mark.what, { fill: "#2f9e44" }))
    }
    rows.forEach((row, i) => {
        const y = rowsTop + i * rowHeight
        body.push(text(left - 8, y + 20, row.label, { anchor: "end" }))
        const ran = row.wakeups.filter(w => w.instructions > 0)
        body.push(text(left - 8, y + 34, `ran ${ran.length} of ${row.wakeups.length} wakeups`, { size: 10, anchor: "end", fill: "#868e96" }))
        for (const w of row.wakeups) {
            const tick = w.instructions > 0 ? Math.min(26, 6 + 4 * Math.log2(w.instructions)) : 4
            const stroke = w.instructions > 0 ? color(row.series) : "#ced4da"
            body.push(`<line x1="${round(x(w.at))}" x2="${round(x(w.at))}" y1="${round(y + 30 - tick)}" y2="${y + 30}" stroke="${stroke}" stroke-width="1.5"/>`)
        }
        for (const f of row.frames) body.push(`<circle cx="${round(x(f.at))}" cy="${y + 40}" r="3" fill="black"/>`)
        for (const label of laneLabels(row.frames, x, 10, lanes)) {
            body.push(text(label.x, y + 56 + label.lane * frameLane, label.mark.what, { size: 10 }))
        }
    })
    body.push(`<line x1="${left}" x2="${right}" y1="${axisY}" y2="${axisY}" stroke="#adb5bd"/>`)
    for (const t of ticks.values) {
        body.push(`<line x1="${round(x(t))}" x2="${round(x(t))}" y1="${axisY}" y2="${axisY + 4}" stroke="#adb5bd"/>`)
        body.push(text(x(t), axisY + 16, tickLabel(t), { anchor: "middle" }))
    }
    return svg(width, height, body)
}
