// Where each build's cycles go on the emulated Pico: an idle window and a load window, by kind of work (see sim/chip/profileCategories.ts).
import { readFileSync } from "node:fs"
import { CATEGORY_TITLES, ChipProfiler, type ChipProfile, PROFILE_CATEGORIES, type ProfileCategory, type ProfileShares, readElfFunctions, sharesAddingToOne, startChip } from "../../sim/index.js"
import { type BuildName } from "../../host/index.js"
import { busyShareOver } from "./busyShare.js"

export const PROFILE_WINDOW_MS = 2000
export const TOP_FUNCTIONS = 30
const WINDOWS = ["idle", "load"] as const
type WindowName = (typeof WINDOWS)[number]

export interface TopFunction {
    /** The function; "+ helpers" when these are the memset/memcpy/strlen... cycles it called. */
    name: string
    category: ProfileCategory
    /** Its share of the window's busy cycles (0-1). */
    ofBusy: number
    /** The rule that put it in its category. */
    why: string
}

export interface ProfileWindow {
    /** Each kind of work's share of the window's cycles, asleep included; they add up to 1. */
    shares: ProfileShares
    top: TopFunction[]
}

export type BuildProfile = Record<WindowName, ProfileWindow>

/** What a window of `ChipProfiler` keeps for a report: the shares, and the top functions. */
export function profileWindow(profile: ChipProfile, topCount = TOP_FUNCTIONS): ProfileWindow {
    const top = profile.functions.slice(0, topCount).map(f => ({
        name: f.inHelpers ? `${f.name} + helpers` : f.name,
        category: f.category,
        ofBusy: profile.busyCycles > 0 ? f.cycles / profile.busyCycles : 0,
        why: f.why,
    }))
    return { shares: sharesAddingToOne(profile.shares), top }
}


export interface ProfileRun {
    /** The runtime's ELF, for its symbols. */
    elf: string
    /** The runtime and boot ROM to run (else found as `npm run chip` finds them); the runtime must be the ELF's. */
    files?: { runtime?: string; bootrom?: string }
    windowMs?: number
}

/** Profiles one build: `windowMs` idle, then `windowMs` of the comparison's load (a press every 200 ms, answered after 50 ms). */
export async function profileBuild(build: BuildName | { image: string; name: string }, { elf, files, windowMs = PROFILE_WINDOW_MS }: ProfileRun): Promise<BuildProfile> {
    const functions = readElfFunctions(readFileSync(elf))
    const sim = await startChip({ build, files })
    try {
        const profiler = new ChipProfiler(sim.pico, functions)
        const windows = {} as BuildProfile
        for (const name of WINDOWS) {
            profiler.start()
            await busyShareOver(sim, windowMs, name === "load")
            windows[name] = profileWindow(profiler.stop())
        }
        return windows
    } finally {
        sim.stop()
    }
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`

/** A markdown table: one column per labelled window, one row per kind of work. */
export function sharesTable(columns: { label: string; shares: ProfileShares }[]): string {
    const lines = [`| share of cycles | ${columns.map(c => c.label).join(" | ")} |`, `| --- |${columns.map(() => " ---: |").join("")}`]
    for (const category of PROFILE_CATEGORIES) lines.push(`| ${CATEGORY_TITLES[category]} | ${columns.map(c => percent(c.shares[category])).join(" | ")} |`)
    return lines.join("\n")
}

/** A markdown table of a window's busiest functions, with the category each went to and the rule that put it there. */
export function topFunctionsTable(window: ProfileWindow, whyWidth = 70): string {
    const lines = ["| # | function | of busy | category | rule |", "| ---: | --- | ---: | --- | --- |"]
    window.top.forEach((f, i) => {
        const why = f.why.length > whyWidth ? `${f.why.slice(0, whyWidth - 1)}…` : f.why
        lines.push(`| ${i + 1} | ${f.name} | ${percent(f.ofBusy)} | ${CATEGORY_TITLES[f.category]} | ${why} |`)
    })
    return lines.join("\n")
}
