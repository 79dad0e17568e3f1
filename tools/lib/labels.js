// Where to put labels so that none overlaps another: round ticks for an axis, and
// lanes for labels along a time line. Plain JavaScript, so that the page loads it
// as it is; the report's SVG charts (tools/compare/charts.ts) use it too.

/** The steps an axis may use, per power of ten: 1, 2, 2.5 and 5 give round values. */
const ROUND_STEPS = [1, 2, 2.5, 5]

/**
 * The round steps (1, 2, 2.5 or 5 times a power of ten) from the smallest that
 * cuts `span` into at most `maxIntervals` parts, upwards.
 * @param {number} span
 * @param {number} maxIntervals
 * @returns {Generator<number>}
 */
export function* roundSteps(span, maxIntervals = 10) {
    if (!(span > 0)) {
        yield 1
        return
    }
    const least = span / maxIntervals
    for (let power = Math.floor(Math.log10(least)); ; power++) {
        for (const factor of ROUND_STEPS) {
            const step = factor * 10 ** power
            if (step >= least * (1 - 1e-9)) yield Number(step.toPrecision(12))
        }
    }
}

/**
 * Ticks for an axis from 0 to at least `max`, at the smallest round step whose
 * labels (each `widthOf(value)` wide, centred on its tick) keep `gap` apart
 * when the axis is `lengthPx` long. The axis ends at the last tick.
 * @param {number} max
 * @param {number} lengthPx
 * @param {(value: number) => number} widthOf
 * @param {number} gap
 * @returns {{ step: number, end: number, values: number[] }}
 */
export function axisTicks(max, lengthPx, widthOf, gap = 8) {
    const top = max > 0 ? max : 1
    for (const step of roundSteps(top, 10)) {
        const end = Math.ceil(top / step - 1e-9) * step
        const values = []
        for (let i = 0; i * step <= end + 1e-9; i++) values.push(Number((i * step).toPrecision(12)))
        const pxPerUnit = lengthPx / end
        const fits = values.every((v, i) => i === 0 || (v - values[i - 1]) * pxPerUnit >= (widthOf(v) + widthOf(values[i - 1])) / 2 + gap)
        if (fits || values.length <= 2) return { step, end, values }
    }
    throw new Error("unreachable")
}

/**
 * Ticks inside a window of time ending now: `-windowMs` to 0, at the smallest of
 * `steps` whose labels keep `gap` apart. Labels are centred, except that the first
 * starts at its tick and the last ends at it (so that none sticks out of the axis).
 * @param {number} windowMs
 * @param {number} lengthPx
 * @param {(value: number) => number} widthOf
 * @param {number[]} steps
 * @param {number} gap
 * @returns {number[]} the ticks' values, from -windowMs to 0
 */
export function windowTicks(windowMs, lengthPx, widthOf, steps, gap = 8) {
    const pxPerMs = lengthPx / windowMs
    for (const step of steps) {
        const values = []
        for (let v = -windowMs; v <= 1e-9; v += step) values.push(Math.round(v))
        const extent = (v, i) => {
            const x = (v + windowMs) * pxPerMs
            const w = widthOf(v)
            const left = i === 0 ? x : i === values.length - 1 ? x - w : x - w / 2
            return [left, left + w]
        }
        const boxes = values.map(extent)
        if (boxes.every((b, i) => i === 0 || b[0] >= boxes[i - 1][1] + gap)) return values
    }
    return [-windowMs, 0]
}

/**
 * Puts labels that run left to right into lanes (rows): each label goes into the
 * first lane where it starts at least `gap` after that lane's last label ends.
 * A label that fits in no lane is left out (`null`): crowded labels thin out
 * rather than overlap. Labels must be given in order of `x`.
 * @param {{ x: number, width: number }[]} labels
 * @param {number} lanes
 * @param {number} gap
 * @returns {(number | null)[]} each label's lane, or null
 */
export function stackLabels(labels, lanes, gap = 4) {
    const laneEnds = Array.from({ length: lanes }, () => -Infinity)
    return labels.map(({ x, width }) => {
        const lane = laneEnds.findIndex(end => x >= end + gap)
        if (lane < 0) return null
        laneEnds[lane] = x + width
        return lane
    })
}
