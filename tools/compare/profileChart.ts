// The cycle profile as a chart: one bar per build and window, its busy share split by kind of work.
import { CATEGORY_TITLES, type ProfileCategory, type ProfileShares } from "../../sim/index.js"
import { axisTicks } from "../lib/labels.js"
import { svg, textWidth } from "./charts.js"

export const PROFILE_CHART_FILE = "chip-profile.svg"

const WORK: Exclude<ProfileCategory, "asleep">[] = ["interpreter", "gc", "jacdac", "usb", "rest"]
const COLORS: Record<Exclude<ProfileCategory, "asleep">, string> = {
    interpreter: "#1971c2",
    gc: "#d9480f",
    jacdac: "#2f9e44",
    usb: "#7048e8",
    rest: "#868e96",
}
const FONT = `font-family="system-ui, sans-serif" font-size="12"`

function escape(text: string) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`

/**
 * Stacked bars of the cycles the core was busy (the rest of each window it slept
 * in `wfe`, printed at the bar's end), on an axis of round percentages; a legend
 * of the kinds of work below.
 */
export function profileChart(title: string, rows: { label: string; shares: ProfileShares }[]): string {
    const width = 680
    const left = 130
    const labelRoom = 150
    const right = width - labelRoom
    const rowHeight = 30
    const top = 44
    const axisY = top + rows.length * rowHeight + 4
    const height = axisY + 64
    const busy = (s: ProfileShares) => WORK.reduce((sum, c) => sum + s[c], 0)
    const tickLabel = (v: number) => `${v} %`
    const ticks = axisTicks(Math.max(...rows.map(r => busy(r.shares) * 100)), right - left, v => textWidth(tickLabel(v), 12))
    const x = (share: number) => left + ((right - left) * share * 100) / ticks.end
    const body = [`<text x="10" y="22" ${FONT} font-weight="bold">${escape(title)}</text>`]
    rows.forEach((row, i) => {
        const y = top + i * rowHeight
        body.push(`<text x="${left - 8}" y="${y + 15}" ${FONT} text-anchor="end">${escape(row.label)}</text>`)
        let at = 0
        for (const c of WORK) {
            const w = x(at + row.shares[c]) - x(at)
            if (w > 0) body.push(`<rect x="${x(at).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="20" fill="${COLORS[c]}"/>`)
            at += row.shares[c]
        }
        body.push(`<text x="${(x(at) + 6).toFixed(1)}" y="${y + 15}" ${FONT}>${percent(at)} busy, ${percent(row.shares.asleep)} asleep</text>`)
    })
    body.push(`<line x1="${left}" x2="${right}" y1="${axisY}" y2="${axisY}" stroke="#adb5bd"/>`)
    for (const v of ticks.values) {
        body.push(`<line x1="${x(v / 100).toFixed(1)}" x2="${x(v / 100).toFixed(1)}" y1="${axisY}" y2="${axisY + 4}" stroke="#adb5bd"/>`)
        body.push(`<text x="${x(v / 100).toFixed(1)}" y="${axisY + 16}" ${FONT} text-anchor="middle">${tickLabel(v)}</text>`)
    }
    let legendX = 10
    for (const c of WORK) {
        const label = CATEGORY_TITLES[c]
        body.push(`<rect x="${legendX.toFixed(1)}" y="${axisY + 32}" width="12" height="12" fill="${COLORS[c]}"/>`)
        body.push(`<text x="${(legendX + 16).toFixed(1)}" y="${axisY + 42}" ${FONT}>${escape(label)}</text>`)
        legendX += 16 + textWidth(label, 12) + 14
    }
    return svg(width, height, body)
}
