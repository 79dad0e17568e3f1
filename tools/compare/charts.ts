// Small, dependency-free SVG charts for the comparison report.

const COLORS: Record<string, string> = { superloop: "#d9480f", async: "#1971c2", empty: "#868e96" }
const FONT = `font-family="system-ui, sans-serif" font-size="12"`

function escape(text: string) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
}

function svg(width: number, height: number, body: string[]) {
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
        `<rect width="${width}" height="${height}" fill="white"/>`,
        ...body,
        "</svg>",
        "",
    ].join("\n")
}

const color = (series: string) => COLORS[series] ?? "#495057"

/** Horizontal bars, one per label, with the value printed at the end. */
export function barChart(title: string, unit: string, bars: { label: string; value: number; series: string }[]) {
    const width = 640
    const rowHeight = 28
    const left = 150
    const height = 50 + bars.length * rowHeight
    const max = Math.max(...bars.map(b => b.value), 1e-9)
    const body = [`<text x="10" y="22" ${FONT} font-weight="bold">${escape(title)}</text>`]
    bars.forEach((bar, i) => {
        const y = 40 + i * rowHeight
        const w = ((width - left - 110) * bar.value) / max
        body.push(
            `<text x="${left - 8}" y="${y + 15}" ${FONT} text-anchor="end">${escape(bar.label)}</text>`,
            `<rect x="${left}" y="${y}" width="${Math.max(w, 1)}" height="20" fill="${color(bar.series)}"/>`,
            `<text x="${left + w + 6}" y="${y + 15}" ${FONT}>${escape(`${formatNumber(bar.value)} ${unit}`)}</text>`,
        )
    })
    return svg(width, height, body)
}

function formatNumber(x: number) {
    return Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(2).replace(/\.?0+$/, "")
}

/** Each series' samples as a strip of dots on one axis, with its median marked. */
export function distributionChart(title: string, unit: string, series: { label: string; series: string; samples: number[] }[]) {
    const width = 640
    const left = 190
    const rowHeight = 36
    const height = 70 + series.length * rowHeight
    const max = Math.max(...series.flatMap(s => s.samples), 1)
    const x = (v: number) => left + ((width - left - 30) * v) / max
    const body = [`<text x="10" y="22" ${FONT} font-weight="bold">${escape(title)}</text>`]
    series.forEach((s, i) => {
        const y = 45 + i * rowHeight
        body.push(`<text x="${left - 8}" y="${y + 14}" ${FONT} text-anchor="end">${escape(s.label)}</text>`)
        s.samples.forEach((v, j) => {
            const jitter = ((j * 7) % 11) - 5
            body.push(`<circle cx="${x(v).toFixed(1)}" cy="${y + 10 + jitter}" r="2.5" fill="${color(s.series)}" fill-opacity="0.45"/>`)
        })
        const sorted = [...s.samples].sort((a, b) => a - b)
        const median = sorted[Math.floor((sorted.length - 1) / 2)]
        body.push(`<line x1="${x(median)}" x2="${x(median)}" y1="${y - 2}" y2="${y + 22}" stroke="black" stroke-width="2"/>`)
    })
    const axisY = height - 20
    body.push(`<line x1="${left}" x2="${width - 30}" y1="${axisY}" y2="${axisY}" stroke="#adb5bd"/>`)
    for (let k = 0; k <= 4; k++) {
        const v = (max * k) / 4
        body.push(`<text x="${x(v)}" y="${axisY + 14}" ${FONT} text-anchor="middle">${formatNumber(v)} ${unit}</text>`)
    }
    return svg(width, height, body)
}

export interface TimelineRow {
    label: string
    series: string
    wakeups: { at: number; instructions: number }[]
    frames: { at: number; what: string }[]
}

/**
 * One row per build: a tick at each host wakeup, tall and coloured when
 * bytecode ran (height grows with the instructions run), short and grey when
 * the VM woke with nothing of the program to run; and the frames it sent.
 */
export function timelineChart(title: string, windowMs: number, events: { at: number; what: string }[], rows: TimelineRow[]) {
    const width = 900
    const left = 150
    const rowHeight = 80
    const height = 80 + rows.length * rowHeight
    const x = (t: number) => left + ((width - left - 20) * t) / windowMs
    const body = [`<text x="10" y="22" ${FONT} font-weight="bold">${escape(title)}</text>`]
    for (const event of events) {
        body.push(
            `<line x1="${x(event.at)}" x2="${x(event.at)}" y1="34" y2="${height - 30}" stroke="#2f9e44" stroke-dasharray="4 3"/>`,
            `<text x="${x(event.at) + 3}" y="44" ${FONT} fill="#2f9e44">${escape(event.what)}</text>`,
        )
    }
    rows.forEach((row, i) => {
        const y = 55 + i * rowHeight
        body.push(`<text x="${left - 8}" y="${y + 20}" ${FONT} text-anchor="end">${escape(row.label)}</text>`)
        const ran = row.wakeups.filter(w => w.instructions > 0)
        body.push(`<text x="${left - 8}" y="${y + 34}" font-family="system-ui, sans-serif" font-size="10" text-anchor="end" fill="#868e96">ran ${ran.length} of ${row.wakeups.length} wakeups</text>`)
        for (const w of row.wakeups) {
            const tick = w.instructions > 0 ? Math.min(26, 6 + 4 * Math.log2(w.instructions)) : 4
            const stroke = w.instructions > 0 ? color(row.series) : "#ced4da"
            body.push(`<line x1="${x(w.at).toFixed(1)}" x2="${x(w.at).toFixed(1)}" y1="${y + 30 - tick}" y2="${y + 30}" stroke="${stroke}" stroke-width="1.5"/>`)
        }
        let lastLabelEnd = -Infinity
        let line = 0
        for (const f of row.frames) {
            const labelX = x(f.at) + 4
            line = labelX < lastLabelEnd ? (line + 1) % 2 : 0
            lastLabelEnd = labelX + 6 * f.what.length
            body.push(
                `<circle cx="${x(f.at).toFixed(1)}" cy="${y + 42}" r="3" fill="black"/>`,
                `<text x="${labelX}" y="${y + 56 + 12 * line}" font-family="system-ui, sans-serif" font-size="10">${escape(f.what)}</text>`,
            )
        }
    })
    const axisY = height - 22
    body.push(`<line x1="${left}" x2="${width - 20}" y1="${axisY}" y2="${axisY}" stroke="#adb5bd"/>`)
    for (let t = 0; t <= windowMs; t += windowMs / 5) {
        body.push(`<text x="${x(t)}" y="${axisY + 14}" ${FONT} text-anchor="middle">${t} ms</text>`)
    }
    return svg(width, height, body)
}
