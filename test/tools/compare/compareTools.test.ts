import { describe, expect, test } from "vitest"
import { barChart, distributionChart, timelineChart } from "../../../tools/compare/charts.js"
import { readSection, replaceSection } from "../../../tools/lib/sections.js"
import { backpressureInCodesWords } from "../../../tools/lib/floods.js"
import { codeLines, countDecisionPointsIn } from "../../../tools/compare/sourceSize.js"
import { median, percentile, slope } from "../../../tools/lib/stats.js"

describe("comparison statistics", () => {
    test("percentiles by nearest rank", () => {
        const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
        expect(median(samples)).toBe(50)
        expect(percentile(samples, 0.99)).toBe(99)
        expect(percentile([7], 0.99)).toBe(7)
    })
    test("least-squares slope", () => {
        expect(slope([1, 2, 3, 4], [10, 12, 14, 16])).toBe(2)
        expect(slope([1, 2, 3, 4], [5, 5, 5, 5])).toBe(0)
    })
})

describe("source size", () => {
    test("counts each branch a reader must follow", () => {
        const text = `
            // a comment
            function f(a: number, b?: number) {
                if (a > 0 && b) return a ?? b
                for (const x of [1]) while (x) break
                switch (a) { case 1: return 1; case 2: return 2; default: return a > 1 ? 1 : 0 }
            }`
        // if, &&, ??, for-of, while, 2 cases, ?:
        expect(countDecisionPointsIn(text)).toBe(8)
        expect(codeLines(text)).toBe(5)
    })
})

describe("charts and README section", () => {
    test("charts are SVG documents with their title", () => {
        for (const chart of [
            barChart("Bars", "x", [{ label: "a", value: 2, series: "async" }]),
            distributionChart("Dots", "ms", [{ label: "a", series: "superloop", samples: [1, 2, 3] }]),
            timelineChart("Ticks", 100, [{ at: 10, what: "press" }], [{ label: "a", series: "async", wakeups: [{ at: 5, instructions: 3 }], frames: [] }]),
        ]) {
            expect(chart).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
            expect(chart.trim().endsWith("</svg>")).toBe(true)
        }
    })
    test("a section is replaced between its markers, the rest kept, and a text without them is refused", () => {
        const readme = "intro\n<!-- compare:start -->\nold\n<!-- compare:end -->\nrest <!-- chip:start -->x<!-- chip:end -->"
        const updated = replaceSection(readme, "compare", "new\n", "README.md")
        expect(updated).toBe("intro\n<!-- compare:start -->\nnew\n<!-- compare:end -->\nrest <!-- chip:start -->x<!-- chip:end -->")
        expect(readSection(updated, "compare")).toBe("new")
        expect(replaceSection(updated, "compare", "")).toBe("intro\n<!-- compare:start -->\n<!-- compare:end -->\nrest <!-- chip:start -->x<!-- chip:end -->")
        expect(() => replaceSection("no markers", "compare", "x", "README.md")).toThrow(/^README.md has no <!-- compare:start -->/)
    })
})

describe("the overload report's quotes from src/", () => {
    test("finds a comment above every place it quotes", () => {
        const quotes = Object.values(backpressureInCodesWords()).join("\n")
        expect(quotes).toContain("handleArrivals")
        expect(quotes).not.toMatch(/no comment/)
    })
    test("fails on an anchor that is no longer in the file, naming it", () => {
        const stale = { superloop: [{ file: "src/mainSuperloop.ts", anchor: "function handleReceived(" }] }
        expect(() => backpressureInCodesWords(stale)).toThrow(/src\/mainSuperloop.ts has no line holding `function handleReceived\(`/)
    })
})
