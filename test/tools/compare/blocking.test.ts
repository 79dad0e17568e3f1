// The blocking comparison (tools/compare/blocking/): every variant builds and keeps the protocol's answers, the job
// blocks each build where it runs in one go and not where it is sliced, and the figures mean what they say. In the
// VM only, on virtual time: deterministic, whatever else the machine does.
import { beforeAll, describe, expect, test } from "vitest"
import { BUILDS, BUILD_NAMES, frame, type BuildName } from "../../../host/index.js"
import { Simulation } from "../../../sim/index.js"
import { cpuTimeOptions } from "../../../sim/instrumentedVm.js"
import { longestSilence, scenarioFigures, type ScenarioFigures } from "../../../tools/compare/blocking/figures.js"
import { VM_US_PER_INSTRUCTION } from "../../../tools/compare/blocking/measure.js"
import { brokenRules } from "../../../tools/compare/blocking/report.js"
import { playBlockingScenario } from "../../../tools/compare/blocking/scenario.js"
import { applyEdits, buildVariant, VARIANTS, type VariantKind } from "../../../tools/compare/blocking/variants.js"
import { firmwareFiles } from "../../../tools/lib/firmwareSources.js"
import { program } from "../../support/simulate.js"

const BUILD_VARIANTS_MS = 300_000
const programs = new Map<string, Uint8Array>()
const programOf = (build: BuildName, kind: VariantKind | "baseline") => (kind === "baseline" ? program(build) : programs.get(`${build} ${kind}`)!)

beforeAll(() => {
    for (const { build, kind } of VARIANTS) programs.set(`${build} ${kind}`, buildVariant(build, kind))
}, BUILD_VARIANTS_MS)

async function start(build: BuildName, kind: VariantKind | "baseline", usPerInstruction = 0): Promise<Simulation> {
    const sim = await Simulation.start({ build: `${build} ${kind}`, program: programOf(build, kind), ...cpuTimeOptions(usPerInstruction) })
    await sim.untilReady()
    return sim
}

describe("the job stays out of the builds", () => {
    test("no build compiles it: the size figures and the mutants, which follow the entry points' imports, do not see it", () => {
        for (const { entry } of BUILDS) expect(firmwareFiles(entry)).not.toContain("src/blocking/replyLog.ts")
    })

    test("a variant is made by edits whose anchors must each be in the entry point exactly once", () => {
        const edit = { anchor: "ack()\n", becomes: "ack()\nlog()\n" }
        expect(applyEdits("a()\nack()\n", [edit], "main.ts")).toBe("a()\nack()\nlog()\n")
        expect(() => applyEdits("a()\n", [edit], "main.ts")).toThrow(/main.ts has no "ack\(\)\\n"/)
        expect(() => applyEdits("ack()\nack()\n", [edit], "main.ts")).toThrow(/more than one/)
    })
})

describe("every variant, in the VM", () => {
    test.each(VARIANTS.map(v => [v.build, v.kind] as const))("%s, %s: sends RDY, and answers each press with its REQ and each reply with its ACK, the fifth (the one that seals) too", async (build, kind) => {
        const sim = await start(build, kind)
        expect(sim.frames.filter(f => f.type === "RDY").map(f => f.body)).toEqual([`RDY,${build}`])
        // five replies: the fifth seals the log
        for (let seq = 0; seq < 5; seq++) {
            await sim.press()
            await sim.advance(100)
            await sim.inject(frame(`RES,${seq},log${seq}`))
            await sim.advance(1000)
        }
        expect(sim.bodies()).toEqual([0, 1, 2, 3, 4].flatMap(seq => [`REQ,${seq}`, `ACK,${seq},log${seq}`]))
        expect(sim.crashes()).toEqual([])
        sim.stop()
    })
})

describe("in the VM, each instruction taking its time on an RP2040", () => {
    const figures = new Map<string, ScenarioFigures>()
    const figuresOf = async (build: BuildName, kind: VariantKind | "baseline") => {
        const key = `${build} ${kind}`
        if (!figures.has(key)) {
            const sim = await start(build, kind, VM_US_PER_INSTRUCTION)
            figures.set(key, scenarioFigures(await playBlockingScenario(sim, 2)))
            sim.stop()
        }
        return figures.get(key)!
    }

    test.each(BUILD_NAMES)("%s: the job in one go holds up a press made while it runs, and the device falls silent", async build => {
        const [baseline, blocked] = [await figuresOf(build, "baseline"), await figuresOf(build, "blocked")]
        expect(baseline.pressToReqMs.max).toBeLessThan(40)
        expect(blocked.pressToReqMs.max).toBeGreaterThan(baseline.pressToReqMs.max + 100)
        expect(blocked.longestSilenceMs).toBeGreaterThan(140)
        expect(blocked.rules.pressAnsweredWithin100Ms.held).toBe(false)
        expect(blocked.rules.replyAckedWithin100Ms.held).toBe(false)
        expect(blocked.tmoLateMs.max).toBeGreaterThan(100)
    })

    test.each(BUILD_NAMES)("%s: the job in slices keeps every press and reply answered within 100 ms", async build => {
        const sliced = await figuresOf(build, "sliced")
        expect(sliced.rules.pressAnsweredWithin100Ms).toEqual({ held: true, worstMs: sliced.pressToReqMs.max })
        expect(sliced.rules.replyAckedWithin100Ms.held).toBe(true)
        expect(sliced.longestSilenceMs).toBeLessThan(50)
        expect(sliced.counts).toMatchObject({ presses: 14, reqs: 14, acks: 10, tmos: 4, unansweredPresses: 0, restarts: 0, crashes: 0 })
    })
})

describe("the figures", () => {
    test("the longest silence: within what was due, the longest stretch with nothing sent", () => {
        expect(longestSilence([{ from: 0, to: 50 }], [10, 30])).toBe(20)
        // overlapping dues are one: nothing was sent from 0 to 80
        expect(longestSilence([{ from: 0, to: 50 }, { from: 40, to: 80 }], [80])).toBe(80)
        // between dues nothing was owed
        expect(longestSilence([{ from: 0, to: 10 }, { from: 100, to: 130 }], [10, 130])).toBe(30)
        expect(longestSilence([], [5])).toBe(0)
    })

    test("a row that keeps the rules says so; one that breaks them names each with its figure", () => {
        const kept: ScenarioFigures = {
            pressToReqMs: { p50: 3, p99: 5, max: 5 },
            resToAckMs: { p50: 7, p99: 8, max: 8 },
            tmoLateMs: { min: 1, max: 5 },
            longestSilenceMs: 8,
            rules: {
                pressAnsweredWithin100Ms: { held: true, worstMs: 5 },
                tmoWithin1000To1100Ms: { held: true, worstMs: 1005 },
                replyAckedWithin100Ms: { held: true, worstMs: 8 },
            },
            counts: { presses: 7, reqs: 7, busy: 0, acks: 5, tmos: 2, unansweredPresses: 0, missingAcks: 0, missingTmos: 0, restarts: 0, crashes: 0 },
        }
        expect(brokenRules(kept)).toBe("none")
        const broken: ScenarioFigures = {
            ...kept,
            rules: {
                pressAnsweredWithin100Ms: { held: false, worstMs: 151 },
                tmoWithin1000To1100Ms: { held: false, worstMs: 996 },
                replyAckedWithin100Ms: { held: false, worstMs: 163 },
            },
            counts: { ...kept.counts, unansweredPresses: 1 },
        }
        expect(brokenRules(broken)).toBe("1 of 7 presses never answered; a press answered after 151 ms; a TMO 996 ms after its REQ; an ACK 163 ms after its RES")
    })
})
