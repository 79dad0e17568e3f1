// The report's charts and the page's timeline lay their labels out so that none
// overlaps another. Boxes here are estimated independently of the charts' own
// estimate: about 0.55 em per character, 1.2 em tall around the baseline.
import { describe, expect, test } from "vitest"
import { distributionChart, timelineChart } from "../../../tools/compare/charts.js"
import { sweepChart } from "../../../tools/compare/chip/report.js"
import { axisTicks, stackLabels, windowTicks } from "../../../tools/lib/labels.js"
import { profileChart } from "../../../tools/compare/profileChart.js"

interface Box {
    text: string
    left: number
    right: number
    top: number
    bottom: number
}

/** Every `<text>` of an SVG document as the box its glyphs take. */
function textBoxes(svg: string): Box[] {
    return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, content]) => {
        const attribute = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(attributes)?.[1]
        const x = Number(attribute("x"))
        const y = Number(attribute("y"))
        const size = Number(attribute("font-size"))
        const text = content.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")
        const width = 0.55 * size * [...text].length
        const anchor = attribute("text-anchor") ?? "start"
        const left = anchor === "middle" ? x - width / 2 : anchor === "end" ? x - width : x
        return { text, left, right: left + width, top: y - 0.9 * size, bottom: y + 0.3 * size }
    })
}

const intersect = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom

function overlapping(boxes: Box[]): string[] {
    const pairs: string[] = []
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => intersect(a, b) && pairs.push(`"${a.text}" and "${b.text}"`)))
    return pairs
}

function svgWidth(svg: string) {
    return Number(/<svg [^>]*width="(\d+)"/.exec(svg)?.[1])
}

/** A multiple of 1, 2, 2.5 or 5 times a power of ten. */
function isRoundStep(step: number) {
    const power = 10 ** Math.floor(Math.log10(step))
    return [1, 2, 2.5, 5, 10].some(f => Math.abs(step / power - f) < 1e-9)
}

function tickValues(svg: string, unit: string): number[] {
    return textBoxes(svg)
        .map(b => new RegExp(`^([\\d.,]+) ${unit}$`).exec(b.text)?.[1])
        .filter((v): v is string => v !== undefined)
        .map(v => Number(v.replace(/,/g, "")))
}

// a burst: presses 4 ms apart, each answered at once, as after someone hammering the button
const burstFrames = Array.from({ length: 24 }, (_, i) => ({ at: 100 + 4 * i, what: i % 3 === 2 ? "ERR,BUSY" : `REQ,${i}` }))
const burstPresses = Array.from({ length: 12 }, (_, i) => ({ at: 98 + 8 * i, what: "press" }))
const wakeups = Array.from({ length: 60 }, (_, i) => ({ at: 10 * i, instructions: i % 3 }))

describe("the report's timeline", () => {
    const chart = timelineChart("When the VM ran during a burst of presses", 600, burstPresses, [
        { label: "superloop", series: "superloop", wakeups, frames: burstFrames },
        { label: "async", series: "async", wakeups, frames: burstFrames.map(f => ({ ...f, at: f.at + 1 })) },
    ])

    test("no two labels overlap, even in a burst; each stays inside the chart", () => {
        const boxes = textBoxes(chart)
        expect(overlapping(boxes)).toEqual([])
        for (const box of boxes) {
            expect(box.left, box.text).toBeGreaterThanOrEqual(0)
            expect(box.right, box.text).toBeLessThanOrEqual(svgWidth(chart))
        }
    })

    test("crowded labels stack in two lanes, then thin out; the first ones are kept", () => {
        const texts = textBoxes(chart).map(b => b.text)
        expect(texts).toContain("REQ,0")
        expect(texts).toContain("REQ,1")
        const shown = texts.filter(t => /^(REQ|ERR)/.test(t)).length
        expect(shown).toBeGreaterThan(2)
        expect(shown).toBeLessThan(2 * burstFrames.length)
        expect(texts.filter(t => t === "press").length).toBeGreaterThanOrEqual(2)
    })

    test("time ticks at round values: 0, 100, ... 600 ms for a 600 ms window", () => {
        expect(tickValues(chart, "ms")).toEqual([0, 100, 200, 300, 400, 500, 600])
    })
})

describe("the latency charts", () => {
    const samples = [0.4, 1.1, 2.2, 3.3, 3.4, 3.5, 16.52]
    const chart = distributionChart("Press→REQ (ms)", "ms", [
        { label: "superloop press→REQ", series: "superloop", samples },
        { label: "superloop RES→ACK", series: "superloop", samples: samples.map(v => v / 2) },
        { label: "async press→REQ", series: "async", samples: [0.02, 0.03, 0.05] },
        { label: "async RES→ACK", series: "async", samples: [16.4, 16.5] },
    ])

    test("ticks at round values from 0 past the largest sample, evenly spaced", () => {
        const ticks = tickValues(chart, "ms")
        expect(ticks[0]).toBe(0)
        expect(ticks.at(-1)).toBeGreaterThanOrEqual(16.52)
        const step = ticks[1] - ticks[0]
        expect(isRoundStep(step)).toBe(true)
        ticks.forEach((t, i) => expect(t).toBeCloseTo(i * step, 9))
        expect(ticks.length).toBeGreaterThanOrEqual(3)
    })

    test("each median is labelled with its value", () => {
        const texts = textBoxes(chart).map(b => b.text)
        expect(texts).toEqual(expect.arrayContaining(["median 3.3 ms", "median 1.7 ms", "median 0.03 ms", "median 16.4 ms"]))
    })

    test("no two labels overlap (medians near 0 and near the end included); each stays inside the chart", () => {
        const boxes = textBoxes(chart)
        expect(overlapping(boxes)).toEqual([])
        for (const box of boxes) {
            expect(box.left, box.text).toBeGreaterThanOrEqual(0)
            expect(box.right, box.text).toBeLessThanOrEqual(svgWidth(chart))
        }
    })
})

describe("label layout", () => {
    const widthOf = (v: number) => 0.6 * 12 * `${v} ms`.length

    test.each([0.7, 4.13, 16.52, 123, 600, 3000, 98_765])("axis ticks up to %s: round, covering it, labels apart", max => {
        const { step, end, values } = axisTicks(max, 420, widthOf)
        expect(isRoundStep(step)).toBe(true)
        expect(end).toBeGreaterThanOrEqual(max)
        expect(end - step).toBeLessThan(max)
        expect(values[0]).toBe(0)
        expect(values.at(-1)).toBeCloseTo(end, 9)
        const pxPerUnit = 420 / end
        values.slice(1).forEach((v, i) => {
            const gapPx = (v - values[i]) * pxPerUnit - (widthOf(v) + widthOf(values[i])) / 2
            expect(gapPx).toBeGreaterThanOrEqual(8)
        })
    })

    test("the page's time axis: the smallest step whose labels keep apart", () => {
        const label = () => 40
        expect(windowTicks(3000, 900, label, [250, 500, 1000])).toEqual([-3000, -2750, -2500, -2250, -2000, -1750, -1500, -1250, -1000, -750, -500, -250, 0])
        expect(windowTicks(3000, 250, label, [250, 500, 1000])).toEqual([-3000, -2000, -1000, 0])
        expect(windowTicks(3000, 60, label, [250, 500, 1000])).toEqual([-3000, 0])
    })

    test("labels stack into lanes; one with room in no lane is left out", () => {
        const at = (x: number) => ({ x, width: 30 })
        expect(stackLabels([at(0), at(10), at(20), at(40), at(80)], 2, 4)).toEqual([0, 1, null, 0, 0])
        expect(stackLabels([at(0), at(34), at(68)], 1, 4)).toEqual([0, 0, 0])
        expect(stackLabels([at(0), at(33)], 1, 4)).toEqual([0, null])
    })
})

describe("the LOOP_MS chart of the emulated Pico", () => {
    const build = (idleBusyShare: number, p99Us: number, lostPresses = 0) => ({ idleBusyShare, pressToReqUs: { median: p99Us * 0.7, p99: p99Us }, lostPresses, presses: 600 })
    const point = (loopMs: number, idleBusyShare: number, p99Us: number | null, lostPresses = 0) => ({
        loopMs,
        idleBusyShare,
        pressToReqUs: p99Us === null ? null : { median: p99Us * 0.7, p99: p99Us, max: p99Us },
        presses: 100,
        lostPresses,
    })
    // points as close as a real sweep puts them (5 and 10 ms nearly on top of each other), on two runtimes
    const runtime = (lost: number) => ({
        builds: { superloop: build(0.055, 23_750), async: build(0.048, 14_300), eventloop: build(0.043, 19_900) },
        loopSweep: [point(1, 0.103, lost ? null : 23_190, lost ? 100 : 0), point(2, 0.076, 23_350, lost), point(5, 0.06, 24_000), point(10, 0.055, 23_750, lost), point(20, 0.05, 31_000), point(50, 0.046, 62_000)],
    })
    const figures = { runtimes: { released: runtime(3), fixed: runtime(0) } } as unknown as Parameters<typeof sweepChart>[0]

    test("no two labels overlap, and each stays inside the chart", () => {
        const svg = sweepChart(figures)
        const boxes = textBoxes(svg).filter(box => !box.text.startsWith("press→REQ p99")) // the rotated axis title
        expect(overlapping(boxes)).toEqual([])
        for (const box of boxes) expect(box.right, box.text).toBeLessThanOrEqual(svgWidth(svg))
    })

    test("a point with no REQ at all is named under the chart, not drawn at the top; lost presses are counted in the label", () => {
        const texts = textBoxes(sweepChart(figures)).map(b => b.text)
        expect(texts.some(t => t.includes("1 ms on the released runtime: no REQ at all"))).toBe(true)
        expect(texts).toContain("2 ms, 3 of 100 lost")
        expect(texts.filter(t => t === "1 ms")).toHaveLength(1)
    })

    test("axis ticks sit at round values", () => {
        const ticks = textBoxes(sweepChart(figures))
            .map(box => box.text)
            .filter(text => /^\d+$/.test(text))
            .map(Number)
        expect(ticks.length).toBeGreaterThan(4)
        for (const tick of ticks) expect([1, 2, 5].some(unit => tick % unit === 0 && Number.isInteger(tick))).toBe(true)
    })
})

describe("the cycle profile chart", () => {
    const shares = (busy: number) => ({ interpreter: busy * 0.55, gc: busy * 0.4, jacdac: busy * 0.02, usb: busy * 0.01, rest: busy * 0.02, asleep: 1 - busy })
    const rows = [
        { label: "superloop, idle", shares: shares(0.155) },
        { label: "superloop, load", shares: shares(0.185) },
        { label: "async, idle", shares: shares(0.048) },
        { label: "async, load", shares: shares(0.157) },
    ]

    test("no two labels overlap, and each stays inside the chart", () => {
        const svg = profileChart("Where the cycles go", rows)
        const boxes = textBoxes(svg)
        expect(overlapping(boxes)).toEqual([])
        for (const box of boxes) expect(box.right, box.text).toBeLessThanOrEqual(svgWidth(svg))
        expect(boxes.map(b => b.text)).toContain("18.5 % busy, 81.5 % asleep")
    })

    test("each bar's segments add up to its busy share on the axis", () => {
        const svg = profileChart("Where the cycles go", rows)
        const tickX = (percent: number) => Number(new RegExp(`<text x="([\\d.]+)"[^>]*>${percent} %</text>`).exec(svg)![1])
        const secondBar = [...svg.matchAll(/<rect x="([\d.]+)" y="74" width="([\d.]+)"/g)].map(m => ({ x: Number(m[1]), width: Number(m[2]) }))
        const end = secondBar.at(-1)!.x + secondBar.at(-1)!.width
        expect(secondBar).toHaveLength(5)
        expect(((end - tickX(0)) / (tickX(10) - tickX(0))) * 10).toBeCloseTo(18.5, 1)
    })
})
