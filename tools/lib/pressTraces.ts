// Presses traced through the runtime on the emulated Pico, stage by stage (sim/chip/pressTrace.ts): runs and their tables.
import { readFileSync } from "node:fs"
import { basename } from "node:path"
import { bundleEntryVariant, findRuntimeElf, readElfFunctions, readElfSymbols, rearmTickBeforeSleep, startChip, superloopVariantImage, TimerStalls, PRESS_STAGES, pressBreakdown, pressStamps, type PressBreakdown, STAGE_TITLES, summarizeBreakdowns, tracePresses } from "../../sim/index.js"
import { type BuildName, requestCycle } from "../../host/index.js"
import { busyShareOver } from "./busyShare.js"

const IDLE_MS = 1000

export interface TraceConfig {
    build: BuildName
    runtime: string
    loopMs?: number
    /** A variant entry file. */
    entry?: string
    /** What if the runtime re-armed its tick with the final max sleep before waiting (sim/chip/tickRearm.ts). */
    rearmTick?: boolean
}

export interface TraceResult {
    label: string
    idleBusyShare: number
    presses: number
    lostPresses: number
    /** Alarms the runtime set for a time already past, during the run. */
    lostAlarms: number
    summary: ReturnType<typeof summarizeBreakdowns>
    breakdowns: PressBreakdown[]
}

function label(c: TraceConfig): string {
    const what = c.entry ? basename(c.entry, ".ts") : c.build
    return `${what}${c.loopMs !== undefined ? ` LOOP_MS ${c.loopMs}` : ""} on ${basename(c.runtime, ".uf2")}${c.rearmTick ? " + tick re-armed before wfe" : ""}`
}

async function image(c: TraceConfig): Promise<BuildName | { image: string; name: string }> {
    if (c.entry) {
        let source = readFileSync(c.entry, "utf8")
        if (c.loopMs !== undefined) source = source.replace(/^const LOOP_MS = \d+$/m, `const LOOP_MS = ${c.loopMs}`)
        const name = `${basename(c.entry, ".ts")}-loop${c.loopMs ?? "x"}`
        return { image: await bundleEntryVariant(name, source, c.runtime), name }
    }
    if (c.loopMs !== undefined) return { image: await superloopVariantImage(c.loopMs, { runtime: c.runtime }), name: `superloop-loop${c.loopMs}ms` }
    return c.build
}

/** Boots the build, measures its idle busy share, then traces `presses` presses (each answered, at varied phases). */
export async function traceRun(c: TraceConfig, presses: number, progress: (m: string) => void = () => {}): Promise<TraceResult> {
    const elf = findRuntimeElf(c.runtime, {})
    if (!elf) throw new Error(`no ELF beside ${c.runtime}: the trace needs the runtime's symbols`)
    const functions = readElfFunctions(readFileSync(elf))
    const sim = await startChip({ build: await image(c), files: { runtime: c.runtime } })
    try {
        if (c.rearmTick) rearmTickBeforeSleep(sim.pico, functions, readElfSymbols(readFileSync(elf)))
        const stalls = new TimerStalls(sim.pico.rp2040, sim.pico.time)
        const idleBusyShare = await busyShareOver(sim, IDLE_MS, false)
        const trace = tracePresses(sim.pico, functions)
        const breakdowns: PressBreakdown[] = []
        for (let i = 0; i < presses; i++) {
            await sim.advance(120 + ((i * 37) % 97))
            const cycle = await requestCycle(sim, { withinMs: 1000, replyAfterMs: 20 + ((i * 13) % 41), payload: `p${i}` })
            if (cycle.pressToReqMs === undefined) continue
            const pressUs = cycle.pressedAt * 1000
            breakdowns.push(pressBreakdown(pressStamps(trace.entries, pressUs, pressUs + cycle.pressToReqMs * 1000)))
            if ((i + 1) % 25 === 0) progress(`  ${label(c)}: ${i + 1} presses`)
        }
        trace.stop()
        return { label: label(c), idleBusyShare, presses, lostPresses: presses - breakdowns.length, lostAlarms: stalls.lostAlarms, summary: summarizeBreakdowns(breakdowns), breakdowns }
    } finally {
        sim.stop()
    }
}

const ms = (us: number) => (us / 1000).toFixed(2)

/** The stages of one run as a markdown table: median, p99 and mean of each, in ms. */
export function stagesTable(r: TraceResult): string {
    const lines = [`| ${r.label} | median | p99 | mean |`, "| --- | ---: | ---: | ---: |"]
    for (const stage of PRESS_STAGES) {
        const s = r.summary.stages[stage]
        lines.push(`| ${stage}: ${STAGE_TITLES[stage]} | ${ms(s.median)} | ${ms(s.p99)} | ${ms(s.mean)} |`)
    }
    const t = r.summary.total
    lines.push(`| press→REQ (max ${ms(t.max)}) | ${ms(t.median)} | ${ms(t.p99)} | ${ms(t.mean)} |`)
    return lines.join("\n")
}

/** One row per run: press→REQ median / p99 / max, idle busy share, presses lost. */
export function runsTable(results: TraceResult[]): string {
    const lines = ["| run | press→REQ median | p99 | max | idle busy | presses with no REQ |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for (const r of results) {
        const t = r.summary.total
        lines.push(`| ${r.label} | ${ms(t.median)} ms | ${ms(t.p99)} ms | ${ms(t.max)} ms | ${(r.idleBusyShare * 100).toFixed(1)} % | ${r.lostPresses} of ${r.presses} |`)
    }
    return lines.join("\n")
}

