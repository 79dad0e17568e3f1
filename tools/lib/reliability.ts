// The "Reliability" figures of docs/reliability.md: each command that measures some (npm run fuzz,
// npm run soak, npm run compare) records them in reports/reliability.json and
// rewrites the section between <!-- reliability:start --> and <!-- reliability:end -->
// from everything recorded there. Nothing in that section is typed by hand.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { BUILD_NAMES, ROOT, type BuildName } from "../../host/index.js"
import { RUNTIME_FLAVOURS, type RuntimeFlavour } from "../../sim/index.js"
import { writeSection } from "./sections.js"
import { FLOOD_TEST_RUNS, FLOODS_PER_CASE, SERIAL_INPUTS_PER_CASE, SERIAL_TEST_RUNS, readRegressions } from "../../host/checks/index.js"

export const RELIABILITY_JSON = join(ROOT, "reports", "reliability.json")
const RELIABILITY_DOC = join(ROOT, "docs", "reliability.md")


export interface FuzzFigures {
    command: string
    date: string
    seed: number
    builds: Partial<Record<BuildName, FuzzBuildFigures>>
}

export interface FuzzBuildFigures {
    inputs: number
    /** Generated cases (each a fresh device) the inputs and floods came in; absent in records from before cases. */
    inputCases?: number
    floodCases?: number
    inputSeconds: number
    /** Where the serial property failed (its shrunk input was added to the regressions); absent when all passed. */
    inputFailure?: string
    floods: number
    floodSeconds: number
    floodFailure?: string
    /** Of the floods run, how many made the device discard, and how much. */
    floodsWithDiscards?: number
    overflows?: number
    discardedBytes?: number
    offeredBytes?: number
}

/** `npm run fuzz -- --minutes M`: rounds of clock seeds until the time is up, or until the first failure. */
export interface FuzzCampaignFigures {
    command: string
    date: string
    minutes: number
    seeds: number[]
    builds: Partial<Record<BuildName, { inputCases: number; inputs: number; floodCases: number; floods: number }>>
    /** The first failure, with its build and seed (its shrunk case was added to the regressions); absent when all passed. */
    failure?: string
}

export interface SoakFigures {
    command: string
    date: string
    cycles: number
    /** What the soak test allows: above the idle heap at the end, and change between a quarter of the run and its end. */
    bounds: { aboveIdleBytes: number; growthBytes: number }
    builds: Partial<Record<BuildName, { idleBytes: number; quarterBytes: number; endBytes: number }>>
}

/** One flood's figures for one build (see tools/overload/floods.ts). */
export interface FloodRow {
    build: string
    flood: string
    seconds: number
    offeredBytes: number
    discardedBytes: number
    /** "as the model says", or where the device first strayed. */
    exact: string
    idleHeapBytes: number
    peakHeapBytes: number
    heapBoundBytes: number
    lagMs: { p50: number; p99: number; max: number } | null
    pressToReqMs: { p50: number; max: number } | null
    presses: number
    reqs: number
    busy: number
    acks: number
    tmos: number
    crashes: string[]
}

/** One flood's figures for one build on the emulated Pico (see tools/overload/chipFloods.ts). */
export interface ChipFloodRow extends FloodRow {
    runtime: RuntimeFlavour
    /** Every answer the device sent during the flood, all held to the model by the flood checker. */
    answers: number
    /** Presses the runtime's button server never saw (its main loop did not come round while the pin was down): left out of the model. */
    pressesUnseen: number
    panics: number
    resets: number
    /** Frames the runtime dropped with a full queue (its `… ovf` log lines): input the program never saw, or copies of its own packets. */
    runtimeOverflows: number
    /** The runtime's full collections during the flood: each gives the live bytes the peak is the highest of. */
    collections: number
    /** The most the heap held as a collection began, garbage included (bytes). */
    peakInUseBytes: number
    /** The highest live heap after a collection in each second of the flood (bytes); in reports/chip-floods.json, not in reports/reliability.json. */
    heapPeakBySecond?: number[]
    emulatedSeconds: number
    wallSeconds: number
}

/** One build on one runtime, over all its floods: the figures `chipFlood.<runtime>.<build>` holds. */
export interface ChipFloodBuild {
    idleHeapBytes: number
    peakHeapBytes: number
    heapBoundBytes: number
    answersChecked: number
    /** "as the model says" when every flood's answers were. */
    exact: string
    offeredBytes: number
    discardedBytes: number
    resets: number
    panics: number
    runtimeOverflows: number
    floods: ChipFloodRow[]
}

/** `npm run overload -- --chip`: per runtime and build. */
export type ChipFloodFigures = {
    command: string
    date: string
    method: string
    /** Wall time of the whole run (the floods ran in parallel workers). */
    wallSeconds: number
} & Partial<Record<RuntimeFlavour, Partial<Record<BuildName, ChipFloodBuild>>>>

export interface FloodFigures {
    command: string
    date: string
    /** How the floods were sent and sampled, in words. */
    method: string
    rows: FloodRow[]
}

export interface ReliabilityFigures {
    fuzz?: FuzzFigures
    fuzzCampaign?: FuzzCampaignFigures
    soak?: SoakFigures
    floods?: FloodFigures
    chipFlood?: ChipFloodFigures
}

export function readReliability(): ReliabilityFigures {
    return existsSync(RELIABILITY_JSON) ? (JSON.parse(readFileSync(RELIABILITY_JSON, "utf8")) as ReliabilityFigures) : {}
}

/** Records one command's figures (keeping the others') and rewrites the section of docs/reliability.md from all of them. */
export function recordReliability<K extends keyof ReliabilityFigures>(key: K, figures: NonNullable<ReliabilityFigures[K]>): void {
    const all = { ...readReliability(), [key]: figures }
    mkdirSync(dirname(RELIABILITY_JSON), { recursive: true })
    writeFileSync(RELIABILITY_JSON, JSON.stringify(all, null, 2) + "\n")
    rewriteReadme(all)
}

/** Rewrites the section of docs/reliability.md from the recorded figures (all of reports/reliability.json by default). */
export function rewriteReadme(all: ReliabilityFigures = readReliability()): void {
    writeSection(RELIABILITY_DOC, "reliability", renderReliability(all))
}

const n = (x: number) => x.toLocaleString("en-US")

function fuzzRows(fuzz: FuzzFigures | undefined): string[] {
    if (!fuzz) return ["| fuzzed serial input and floods | `npm run fuzz` | — | not run yet |"]
    const ran = BUILD_NAMES.filter(b => fuzz.builds[b])
    const per = (f: (x: FuzzBuildFigures) => string) => ran.map(b => `${b} ${f(fuzz.builds[b]!)}`).join("; ")
    const first = fuzz.builds[ran[0]]!
    const inputs = per(b => (b.inputFailure ? `**failed**: ${b.inputFailure}` : `passed in ${n(b.inputSeconds)} s`))
    const floods = per(b =>
        b.floodFailure
            ? `**failed**: ${b.floodFailure}`
            : `passed in ${n(b.floodSeconds)} s, ${n(b.floodsWithDiscards ?? 0)} of the floods with discards (${n(b.overflows ?? 0)} \`ERR,OVF\` for ${n(b.discardedBytes ?? 0)} of ${n(b.offeredBytes ?? 0)} bytes)`,
    )
    const cases = (count: number | undefined) => (count === undefined ? "" : ` in ${n(count)} cases`)
    return [
        `| fuzzed serial input | \`${fuzz.command}\` (${fuzz.date}) | ${n(first.inputs)} per build${cases(first.inputCases)}, 1 seed | every answer and the LED exactly as the model of the protocol (docs/protocol.md) says, no panic: ${inputs} |`,
        `| fuzzed floods (rule 10) | the same run | ${n(first.floods)} per build${cases(first.floodCases)}, 1 seed | every answer exactly as the model says, each \`ERR,OVF,<n>\` matched to the run of chunks it stands for; answers within 1000 ms, \`REQ\` or \`ERR,BUSY\` within 100 ms, \`TMO\` 1000–1100 ms after its \`REQ\`: ${floods} |`,
    ]
}

function campaignRow(campaign: FuzzCampaignFigures | undefined): string {
    if (!campaign) return "| fuzzing with clock seeds | `npm run fuzz -- --minutes 30` | — | not run yet |"
    const ran = BUILD_NAMES.filter(b => campaign.builds[b])
        .map(b => {
            const c = campaign.builds[b]!
            return `${b} ${n(c.inputs)} inputs in ${n(c.inputCases)} cases, ${n(c.floods)} floods in ${n(c.floodCases)} cases`
        })
        .join("; ")
    const seeds = `${n(campaign.seeds.length)} seeds in ${n(campaign.minutes)} min (${campaign.seeds.join(", ")})`
    const result = campaign.failure ? `**failed**: ${campaign.failure}` : "all passed"
    return `| fuzzing with clock seeds | \`${campaign.command}\` (${campaign.date}) | ${seeds}: ${ran} | the same checks: ${result} |`
}

function soakRow(soak: SoakFigures | undefined): string {
    if (!soak) return "| soak | `npm run soak` | — | not run yet |"
    const heaps = BUILD_NAMES.filter(b => soak.builds[b])
        .map(b => {
            const h = soak.builds[b]!
            return `${b} ${n(h.idleBytes)} → ${n(h.quarterBytes)} → ${n(h.endBytes)}`
        })
        .join("; ")
    const quarter = n(soak.cycles / 4)
    return `| soak | \`${soak.command}\` (${soak.date}) | ${n(soak.cycles)} request cycles per build | live heap after a full collection, idle → after ${quarter} cycles → after ${n(soak.cycles)} (bytes): ${heaps}; the test allows at most ${n(soak.bounds.aboveIdleBytes)} above idle at the end and a change of at most ${n(soak.bounds.growthBytes)} between ${quarter} and ${n(soak.cycles)} cycles |`
}

/** The flood rows as a Markdown table (docs/reliability.md's and the comparison report's). */
export function floodRowsTable(rows: FloodRow[]): string[] {
    const ms = (x: number) => n(Math.round(x))
    return [
        "| build | flood | offered / discarded (bytes) | answers | peak heap (idle; bound) | answer lag p50 / p99 / max (ms) | press→REQ p50 / max (ms) | presses | REQ / ACK / TMO / BUSY | panics |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ...rows.map(r =>
            [
                "",
                r.build,
                `${r.flood}, ${n(r.seconds)} s`,
                `${n(r.offeredBytes)} / ${n(r.discardedBytes)}`,
                r.exact,
                `${n(r.peakHeapBytes)} (${n(r.idleHeapBytes)}; ≤ ${n(r.heapBoundBytes)} ${r.peakHeapBytes <= r.heapBoundBytes ? "held" : "**broken**"})`,
                r.lagMs ? `${ms(r.lagMs.p50)} / ${ms(r.lagMs.p99)} / ${ms(r.lagMs.max)}` : "—",
                r.pressToReqMs ? `${ms(r.pressToReqMs.p50)} / ${ms(r.pressToReqMs.max)}` : "—",
                n(r.presses),
                `${n(r.reqs)} / ${n(r.acks)} / ${n(r.tmos)} / ${n(r.busy)}`,
                r.crashes.length ? `**${r.crashes.join("; ")}**` : "none",
                "",
            ]
                .join(" | ")
                .trim(),
        ),
    ]
}

function floodTable(floods: FloodFigures | undefined): string[] {
    if (!floods) return ["Floods: not measured yet (`npm run compare`)."]
    return [
        `**Floods** (\`${floods.command}\`, ${floods.date}): ${floods.method}`,
        "",
        ...floodRowsTable(floods.rows),
    ]
}

/** The chip's flood rows as a Markdown table (docs/reliability.md's and `npm run overload -- --chip`'s). */
export function chipFloodRowsTable(rows: ChipFloodRow[]): string[] {
    const ms = (x: number) => n(Math.round(x))
    return [
        "| runtime | build | flood | offered / discarded (bytes) | answers | frames the runtime dropped | peak heap (idle; bound) | answer lag p50 / p99 / max (ms) | press→REQ p50 / max (ms) | presses | REQ / ACK / TMO / BUSY | resets | panics |",
        "| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...rows.map(r =>
            [
                "",
                r.runtime,
                r.build,
                `${r.flood}, ${n(r.seconds)} s`,
                `${n(r.offeredBytes)} / ${n(r.discardedBytes)}`,
                `${n(r.answers)}, ${r.exact}`,
                n(r.runtimeOverflows),
                `${n(r.peakHeapBytes)} (${n(r.idleHeapBytes)}; ≤ ${n(r.heapBoundBytes)} ${r.peakHeapBytes <= r.heapBoundBytes ? "held" : "**broken**"})`,
                r.lagMs ? `${ms(r.lagMs.p50)} / ${ms(r.lagMs.p99)} / ${ms(r.lagMs.max)}` : "—",
                r.pressToReqMs ? `${ms(r.pressToReqMs.p50)} / ${ms(r.pressToReqMs.max)}` : "—",
                r.pressesUnseen ? `${n(r.presses)} (${n(r.pressesUnseen)} unseen)` : n(r.presses),
                `${n(r.reqs)} / ${n(r.acks)} / ${n(r.tmos)} / ${n(r.busy)}`,
                r.resets ? `**${n(r.resets)}**` : "0",
                r.panics ? `**${n(r.panics)}**` : "0",
                "",
            ]
                .join(" | ")
                .trim(),
        ),
    ]
}

/** Every row of a chip flood run, runtime by runtime and build by build. */
export function chipFloodRows(figures: ChipFloodFigures): ChipFloodRow[] {
    return RUNTIME_FLAVOURS.flatMap(runtime => BUILD_NAMES.flatMap(build => figures[runtime]?.[build]?.floods ?? []))
}

function chipFloodTable(figures: ChipFloodFigures | undefined): string[] {
    if (!figures) return ["Floods on the emulated Pico: not measured yet (`npm run overload -- --chip`)."]
    const wall = `${n(Math.round(figures.wallSeconds / 60))} min of wall time`
    return [`**Floods on the emulated Pico** (\`${figures.command}\`, ${figures.date}, ${wall}): ${figures.method}`, "", ...chipFloodRowsTable(chipFloodRows(figures))]
}

/** The section, from the recorded figures. */
export function renderReliability(figures: ReliabilityFigures): string {
    const regressions = readRegressions().length
    return [
        "<!-- written by npm run fuzz, npm run soak, npm run compare and npm run overload -- --chip (tools/lib/reliability.ts); edits here are overwritten -->",
        "| what | command | inputs | result |",
        "| --- | --- | ---: | --- |",
        ...fuzzRows(figures.fuzz),
        campaignRow(figures.fuzzCampaign),
        `| the same, in every test run | \`test/fuzz/serial.test.ts\`, \`test/fuzz/flood.test.ts\` (\`npm test\`) | ${n(SERIAL_TEST_RUNS)} inputs and ${n(FLOOD_TEST_RUNS)} floods per build, in cases of 1–${SERIAL_INPUTS_PER_CASE} inputs and 1–${FLOODS_PER_CASE} floods, fixed seeds, plus the ${regressions} saved regressions | the same checks |`,
        soakRow(figures.soak),
        "",
        ...floodTable(figures.floods),
        "",
        ...chipFloodTable(figures.chipFlood),
    ].join("\n")
}
