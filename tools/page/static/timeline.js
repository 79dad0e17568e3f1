// The timeline: one strip per build over the last seconds, one tick per wakeup of its VM, its frames and presses
// as marks, its floods shaded. Drawn on a canvas; what a test needs to check is kept on the canvas element
// (`labelBoxes`, `markBoxes`, `drawnTicks`, `drawnWidth`), since reading a canvas' pixels is slow.
import { isOverflow } from "./monitor.js"
import { stackLabels, windowTicks } from "./labels.js"

const WINDOW_MS = 3000
/** Wakeups arrive in batches every 100 ms: the timeline's right edge stays this far behind, so it has no gap. */
const LAG_MS = 150
const FONT = "system-ui, sans-serif"
const LABEL_FONT = `600 10px ${FONT}`
/** Below this width, each strip's name goes above it instead of beside it. */
const NARROW_PX = 560
const STRIP_GAP = 10
/**
 * A strip, from its top: the sent frames' dots, two lanes of their labels (below the dots, so that no label
 * lies on a dot), the received frames' rings, then the wakeup ticks standing on the bottom edge.
 */
const STRIP = { height: 80, dotY: 8, dotRadius: 4, laneY: [20, 31], ringY: 41, ringRadius: 3.5, tickMaxPx: 30 }
const PLOT_LEFT = 118
const STRIP_BACKGROUND = "#f6f7f9"

/** The timeline's mark of a monitor line: a dot for a frame sent, a ring for one received, a line for a press. */
function markOf(event) {
    if (event.kind === "press") return { at: event.at, kind: "press" }
    if (event.kind !== "frame") return null
    return { at: event.at, kind: event.dir, type: event.type, label: isOverflow(event) ? "OVF" : event.type }
}

export class Timeline {
    constructor(canvas) {
        this.canvas = canvas
        this.strips = []
        this.paused = false
        this.stoppedAt = null
        this.colours = new Map()
    }

    /** Starts again with these builds ({ name, color }) and nothing drawn. */
    reset(builds) {
        this.strips = builds.map(build => ({ name: build.name, colour: build.color, wakeups: [], marks: [], floods: [], rates: null }))
    }

    strip(name) {
        return this.strips.find(s => s.name === name)
    }

    addWakeups(name, list) {
        this.strip(name)?.wakeups.push(...list)
    }

    addMark(name, event) {
        const mark = markOf(event)
        if (mark) this.strip(name)?.marks.push(mark)
    }

    setRates(name, stats) {
        const strip = this.strip(name)
        if (strip) strip.rates = [`ran code ${stats.bytecodeWakeupsPerSec}×/s`, `woke ${stats.wakeupsPerSec}×/s`]
    }

    setFlood(name, flood) {
        const strip = this.strip(name)
        if (!strip) return
        const to = flood.running ? null : flood.endsAt
        const span = strip.floods.find(f => f.from === flood.startedAt)
        if (span) span.to = to
        else strip.floods.push({ from: flood.startedAt, to })
    }

    /** Pause (a person's choice) or stop (the server is gone): either way the picture holds still at `at`. */
    pause(paused, at) {
        this.paused = paused
        this.pausedAt = at - LAG_MS
    }

    stop(at) {
        this.stoppedAt = this.stoppedAt ?? at - LAG_MS
    }

    resume() {
        this.stoppedAt = null
    }

    /** The right edge of the picture: now (a little late), or when it was paused or stopped. */
    rightEdge(now) {
        if (this.paused) return this.pausedAt
        return this.stoppedAt ?? now - LAG_MS
    }

    /** Forgets what scrolled out of sight long ago (not while the picture holds still). */
    prune(now) {
        if (this.paused || this.stoppedAt !== null) return
        const horizon = now - WINDOW_MS - LAG_MS - 2000
        for (const strip of this.strips) {
            while (strip.wakeups.length && strip.wakeups[0][0] < horizon) strip.wakeups.shift()
            while (strip.marks.length && strip.marks[0].at < horizon) strip.marks.shift()
        }
    }

    /** A colour of the style sheet (`--REQ`...), or "" if it has none. */
    css(name) {
        if (!this.colours.has(name)) this.colours.set(name, getComputedStyle(document.documentElement).getPropertyValue(name).trim())
        return this.colours.get(name)
    }

    draw(now) {
        const { canvas } = this
        const width = canvas.clientWidth
        const narrow = width < NARROW_PX
        const nameHeight = narrow ? 18 : 0
        const axisHeight = 18
        const rowHeight = nameHeight + STRIP.height + STRIP_GAP
        const neededHeight = 4 + this.strips.length * rowHeight + axisHeight
        if (this.strips.length && canvas.clientHeight !== neededHeight) canvas.style.height = `${neededHeight}px`
        const height = canvas.clientHeight
        const dpr = window.devicePixelRatio || 1
        if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
            canvas.width = Math.round(width * dpr)
            canvas.height = Math.round(height * dpr)
        }
        const g = canvas.getContext("2d")
        g.setTransform(dpr, 0, 0, dpr, 0, 0)
        g.clearRect(0, 0, width, height)
        const labels = []
        const marks = []
        const label = labeller(g, labels)
        const drawn = {}

        const right = this.rightEdge(now)
        const left = right - WINDOW_MS
        const plotLeft = narrow ? 0 : PLOT_LEFT
        const plotWidth = width - plotLeft - (narrow ? 0 : 8)
        const view = { left, right, x: at => plotLeft + ((at - left) / WINDOW_MS) * plotWidth }
        const top = 4

        this.strips.forEach((strip, i) => {
            const nameY = top + i * rowHeight
            const y = nameY + nameHeight
            const area = { left: plotLeft, right: plotLeft + plotWidth, top: y, bottom: y + STRIP.height }
            g.fillStyle = STRIP_BACKGROUND
            g.fillRect(plotLeft, y, plotWidth, STRIP.height)
            g.strokeStyle = "#e3e6eb"
            g.strokeRect(plotLeft + 0.5, y + 0.5, plotWidth - 1, STRIP.height - 1)
            drawName(g, label, strip, narrow, nameY, y)

            g.save()
            g.beginPath()
            g.rect(area.left, area.top, plotWidth, STRIP.height)
            g.clip()
            drawFloods(g, strip, view, area)
            drawn[strip.name] = drawWakeups(g, strip, view, area)
            this.drawMarks(g, strip, view, area, marks, (text, lx, ly) => label(text, lx, ly, LABEL_FONT, "left", area, STRIP_BACKGROUND))
            g.restore()
        })

        const rightLabel = this.paused ? "paused" : this.stoppedAt !== null ? "stopped" : "now"
        drawAxis(g, label, rightLabel, plotLeft, plotWidth, top + this.strips.length * rowHeight + 2)
        canvas.labelBoxes = labels
        canvas.markBoxes = marks
        canvas.drawnWidth = width
        canvas.drawnTicks = drawn
        this.prune(now)
    }

    /**
     * Presses as dashed lines; frames sent as dots, their types in two lanes
     * below them that thin out when crowded (a burst, a flood); frames received
     * as rings. Each dot's and ring's box goes into `boxes`.
     */
    drawMarks(g, strip, { left, right, x }, area, boxes, label) {
        const isVisible = m => m.at >= left - 50 && m.at <= right + 50
        const y = area.top
        // lanes over every mark kept, not only the visible ones, so that a label keeps its lane as it scrolls
        const sent = strip.marks.filter(m => m.kind === "out")
        const labelX = m => x(m.at) - STRIP.dotRadius
        const lanes = stackLabels(
            sent.map(m => ({ x: labelX(m), width: textWidth(g, m.label, LABEL_FONT) })),
            STRIP.laneY.length,
            4,
        )
        for (const mark of strip.marks) {
            if (!isVisible(mark)) continue
            const px = Math.round(x(mark.at)) + 0.5
            if (mark.kind === "press") {
                drawPress(g, px, area)
                continue
            }
            const colour = this.css(`--${mark.type}`) || this.css("--RDY")
            g.fillStyle = colour
            g.strokeStyle = colour
            g.beginPath()
            const sentMark = mark.kind === "out"
            const cy = y + (sentMark ? STRIP.dotY : STRIP.ringY)
            const r = sentMark ? STRIP.dotRadius : STRIP.ringRadius + 0.75
            if (sentMark) {
                g.arc(px, cy, STRIP.dotRadius, 0, Math.PI * 2)
                g.fill()
            } else {
                g.lineWidth = 1.5
                g.arc(px, cy, STRIP.ringRadius, 0, Math.PI * 2)
                g.stroke()
                g.lineWidth = 1
            }
            if (px + r > area.left && px - r < area.right) boxes.push({ text: mark.label, left: px - r, right: px + r, top: cy - r, bottom: cy + r })
        }
        sent.forEach((mark, i) => {
            if (lanes[i] === null || !isVisible(mark)) return
            g.fillStyle = this.css(`--${mark.type}`) || this.css("--RDY")
            label(mark.label, labelX(mark), y + STRIP.laneY[lanes[i]])
        })
    }
}

/**
 * Draws text on the timeline and keeps its box in `boxes` (CSS pixels from the
 * canvas' corner), so that a test can check that no two labels overlap.
 */
function labeller(g, boxes) {
    /** `clip`: the part of the canvas drawn on now; what falls outside is not seen. `halo`: a rim of that colour. */
    return (text, x, y, font, align = "left", clip = null, halo = null) => {
        g.font = font
        g.textAlign = align
        g.textBaseline = "middle"
        if (halo) {
            // keeps a label legible over the press lines and floods behind it
            g.save()
            g.strokeStyle = halo
            g.lineWidth = 3
            g.lineJoin = "round"
            g.strokeText(text, x, y)
            g.restore()
        }
        g.fillText(text, x, y)
        const m = g.measureText(text)
        const box = { text, left: x - m.actualBoundingBoxLeft, right: x + m.actualBoundingBoxRight, top: y - m.actualBoundingBoxAscent, bottom: y + m.actualBoundingBoxDescent }
        if (clip) {
            box.left = Math.max(box.left, clip.left)
            box.right = Math.min(box.right, clip.right)
            if (box.left >= box.right) return
        }
        boxes.push(box)
    }
}

function textWidth(g, text, font) {
    g.font = font
    return g.measureText(text).width
}

/** The build's name and its wakeup rates: beside the strip, or above it on a narrow screen. */
function drawName(g, label, strip, narrow, nameY, y) {
    g.fillStyle = strip.colour
    if (narrow) {
        const nameFont = `600 13px ${FONT}`
        label(strip.name, 2, nameY + 8, nameFont)
        g.fillStyle = "#667085"
        if (strip.rates) label(strip.rates.join(" · "), 2 + textWidth(g, strip.name, nameFont) + 10, nameY + 8, `11px ${FONT}`)
    } else {
        label(strip.name, 4, y + 18, `600 14px ${FONT}`)
        g.fillStyle = "#667085"
        if (strip.rates) strip.rates.forEach((text, line) => label(text, 4, y + 38 + 14 * line, `11px ${FONT}`))
    }
}

function drawFloods(g, strip, { left, right, x }, area) {
    g.fillStyle = "rgb(224 49 49 / 10%)"
    for (const flood of strip.floods) {
        const to = flood.to ?? right
        if (to < left || flood.from > right) continue
        g.fillRect(x(flood.from), area.top, x(to) - x(flood.from), area.bottom - area.top)
    }
}

/** One tick per wakeup: tall and in the build's colour when bytecode ran. Returns how many of each it drew. */
function drawWakeups(g, strip, { left, right, x }, area) {
    const ticks = { ran: 0, idle: 0 }
    for (const [at, instructions] of strip.wakeups) {
        if (at < left - 5 || at > right + 5) continue
        const px = Math.round(x(at)) + 0.5
        ticks[instructions > 0 ? "ran" : "idle"]++
        if (instructions > 0) {
            const h = 10 + (STRIP.tickMaxPx - 10) * Math.min(1, Math.log10(1 + instructions) / 3.5)
            g.fillStyle = strip.colour
            g.fillRect(px - 1, area.bottom - 3 - h, 2, h)
        } else {
            g.fillStyle = "#adb5bd"
            g.fillRect(px - 0.5, area.bottom - 9, 1, 6)
        }
    }
    return ticks
}

function drawPress(g, px, area) {
    g.strokeStyle = "#343a40"
    g.setLineDash([4, 3])
    g.beginPath()
    g.moveTo(px, area.top)
    g.lineTo(px, area.bottom)
    g.stroke()
    g.setLineDash([])
}

/** The time axis: round steps, as many as fit without their labels touching. */
function drawAxis(g, label, rightLabel, plotLeft, plotWidth, axisY) {
    const axisFont = `11px ${FONT}`
    const tickLabel = v => (v === 0 ? rightLabel : `−${-v / 1000} s`)
    const ticks = windowTicks(WINDOW_MS, plotWidth, v => textWidth(g, tickLabel(v), axisFont), [250, 500, 1000, 1500, 3000], 60)
    g.fillStyle = "#667085"
    ticks.forEach((v, i) => {
        const px = plotLeft + ((v + WINDOW_MS) / WINDOW_MS) * plotWidth
        g.fillRect(Math.round(px), axisY - 4, 1, 4)
        label(tickLabel(v), px, axisY + 7, axisFont, i === 0 ? "left" : i === ticks.length - 1 ? "right" : "center")
    })
    g.textAlign = "left"
}
