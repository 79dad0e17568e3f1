// One run on the emulated Pico: a program booted on a runtime, measured idle, under load and over
// presses at seeded times. Everything is emulated time, so the same job gives the same figures.
import { readFileSync } from "node:fs"
import { frame, pressAndAwaitAnswer, seededRandom } from "../../../host/index.js"
import {
    ChipProfiler,
    type ChipSimulation,
    pressBreakdown,
    type PressBreakdown,
    pressStamps,
    ramUse,
    type RamUse,
    readElfFunctions,
    readElfSymbols,
    type RuntimeFlavour,
    startChip,
    TimerStalls,
    tracePresses,
} from "../../../sim/index.js"
import { type BuildProfile, profileWindow } from "../../lib/chipProfile.js"
import { type XipFigures, xipMark, xipSetupAtBoot, xipWindow } from "../chipXip.js"
import { imageOf, programName, type ChipProgram } from "./programs.js"
import { busyShareOver } from "../../lib/busyShare.js"

/** A press with no REQ this long after it was slept through (a lost wake-up of the released runtime). */
export const LOST_PRESS_MS = 1000

/** How the presses of a run are spaced: drawn from a seeded generator, so that presses meet the button's 9 ms poll and the loop's period at every phase. */
export const PRESS_SCHEDULE = {
    /**
     * From one press to the next: `min`, plus up to `spread` more, and never before the press before has
     * its REQ. Each press costs the runtime four packets (REQ, LED on, ACK, LED off) and it sends at most
     * one per 20 ms once its burst of 5 is spent: 80 ms apart, presses never wait for the throttle, so
     * press→REQ is the press's own. A spread of twice the button's poll and of the loop's period meets
     * both at every phase; 200 presses are about 18 s of emulated time.
     */
    periodMs: { min: 80, spread: 20 },
    /** The peer answers each REQ after this long. */
    replyMs: { min: 20, spread: 40 },
}

/** What to run and measure: plain data, so a worker process can take it. */
export interface ChipJob {
    runtime: { flavour: RuntimeFlavour; path: string; elf?: string }
    bootrom: string
    program: ChipProgram
    /** Seeds the presses' times; 0 for a run with no presses. */
    seed: number
    presses: number
    /** Whether the peer answers the presses' REQs (the floor program has no replies to take). */
    replies: boolean
    /** Measure the idle and the loaded busy share first. */
    windowsMs: number
    xip: boolean
    /** Count every instruction's cycles by function during the windows (needs the ELF). */
    profile: boolean
    /** Stamp each press's way through the runtime (needs the ELF). */
    trace: boolean
}

export interface StallFigures {
    /** Alarms the runtime set for a time already past. */
    lostAlarms: number
    /** Sleeps of 1 ms or more that followed one. */
    count: number
    longestMs: number
    totalMs: number
}

export interface ChipRun {
    program: string
    runtime: RuntimeFlavour
    seed: number
    xip: boolean
    imageSha256: string
    idleBusyShare?: number
    loadBusyShare?: number
    /** Emulated µs from each answered press to its REQ, and from each reply to its ACK. */
    pressToReqUs: number[]
    resToAckUs: number[]
    presses: number
    lostPresses: number
    stalls: StallFigures
    ram?: RamUse
    xipFigures?: XipFigures
    profile?: BuildProfile
    trace?: PressBreakdown[]
    emulatedMs: number
    wallSeconds: number
}

function boot(job: ChipJob, image: string): Promise<ChipSimulation> {
    const files = { runtime: job.runtime.path, bootrom: job.bootrom }
    const name = programName(job.program)
    const untilReady = job.program.kind !== "entry" || job.program.sendsReady
    // the image holds the runtime already: the path given is only checked, whichever runtime it is
    return startChip({ build: { image, name }, files, xip: job.xip, untilReady })
}


/**
 * The presses of a run: after each seeded pause a press, and the wait for its REQ (so that each REQ is
 * known to be its press's, even when a press is lost); the peer's reply goes out a seeded delay after the
 * REQ while the next pause already runs. RES→ACK is read afterwards from the ACKs, by seq.
 */
async function pressRun(sim: ChipSimulation, job: ChipJob, run: ChipRun, trace: ReturnType<typeof tracePresses> | undefined) {
    const next = seededRandom(job.seed)
    const replies: { seq: string; at: number }[] = []
    const breakdowns: PressBreakdown[] = []
    let lastPressAt = sim.now
    for (let i = 0; i < job.presses; i++) {
        const pressAt = lastPressAt + PRESS_SCHEDULE.periodMs.min + next() * PRESS_SCHEDULE.periodMs.spread
        await sim.advance(Math.max(0, pressAt - sim.now))
        const replyAfterMs = PRESS_SCHEDULE.replyMs.min + next() * PRESS_SCHEDULE.replyMs.spread
        const { pressedAt, answer } = await pressAndAwaitAnswer(sim, LOST_PRESS_MS)
        lastPressAt = pressedAt
        if (answer?.type !== "REQ") {
            run.lostPresses++
            continue
        }
        const pressToReqUs = (answer.at - pressedAt) * 1000
        run.pressToReqUs.push(pressToReqUs)
        if (trace) breakdowns.push(pressBreakdown(pressStamps(trace.entries, pressedAt * 1000, pressedAt * 1000 + pressToReqUs)))
        if (!job.replies) continue
        const seq = answer.fields[1]
        sim.clock.setTimeout(() => {
            replies.push({ seq, at: sim.now })
            void sim.inject(frame(`RES,${seq},p${i}`))
        }, replyAfterMs)
    }
    await sim.advance(PRESS_SCHEDULE.replyMs.min + PRESS_SCHEDULE.replyMs.spread + 200) // the last replies and their ACKs
    for (const reply of replies) {
        const ack = sim.frames.find(f => f.type === "ACK" && f.fields[1] === reply.seq && f.at >= reply.at)
        if (!ack) throw new Error(`no ACK for the reply to REQ,${reply.seq} sent at ${reply.at.toFixed(1)} ms`)
        run.resToAckUs.push((ack.at - reply.at) * 1000)
    }
    if (trace) run.trace = breakdowns
}

/** Runs one job: boots the program, then its windows and its presses. */
export async function runChipJob(job: ChipJob): Promise<ChipRun> {
    const started = performance.now()
    const image = await imageOf(job.program, job.runtime.path)
    const sim = await boot(job, image)
    if (job.program.kind === "entry" && !job.program.sendsReady) await sim.advance(1500)
    const stalls = new TimerStalls(sim.pico.rp2040, sim.pico.time)
    const startMs = sim.now
    const functions = job.profile || job.trace ? readElfFunctions(readFileSync(needElf(job))) : []
    try {
        const run: ChipRun = {
            program: programName(job.program),
            runtime: job.runtime.flavour,
            seed: job.seed,
            xip: job.xip,
            imageSha256: sim.imageSha256,
            pressToReqUs: [],
            resToAckUs: [],
            presses: job.presses,
            lostPresses: 0,
            stalls: { lostAlarms: 0, count: 0, longestMs: 0, totalMs: 0 },
            emulatedMs: 0,
            wallSeconds: 0,
        }
        if (job.windowsMs > 0) {
            await measureWindows(sim, job, run, functions)
            await sim.advance(1200) // the load's requests end
        }
        const trace = job.trace ? tracePresses(sim.pico, functions) : undefined
        await pressRun(sim, job, run, trace)
        trace?.stop()
        const lengths = stalls.stalls.map(s => s.ms)
        run.stalls = { lostAlarms: stalls.lostAlarms, count: lengths.length, longestMs: Math.max(0, ...lengths), totalMs: lengths.reduce((a, b) => a + b, 0) }
        if (job.runtime.elf) run.ram = ramUse(readElfSymbols(readFileSync(job.runtime.elf)), address => sim.pico.readWord(address))
        run.emulatedMs = sim.now - startMs
        run.wallSeconds = (performance.now() - started) / 1000
        return run
    } finally {
        sim.stop()
    }
}

async function measureWindows(sim: ChipSimulation, job: ChipJob, run: ChipRun, functions: ReturnType<typeof readElfFunctions>) {
    const profiler = job.profile ? new ChipProfiler(sim.pico, functions) : undefined
    const atStart = xipMark(sim)
    profiler?.start()
    run.idleBusyShare = await busyShareOver(sim, job.windowsMs, false)
    const idleProfile = profiler?.stop()
    const afterIdle = xipMark(sim)
    if (job.program.kind === "entry" && !job.program.sendsReady) return // nothing to press: the floors of idle CPU
    profiler?.start()
    run.loadBusyShare = await busyShareOver(sim, job.windowsMs, true)
    const loadProfile = profiler?.stop()
    const afterLoad = xipMark(sim)
    if (idleProfile && loadProfile) run.profile = { idle: profileWindow(idleProfile), load: profileWindow(loadProfile) }
    const xip = sim.pico.xip
    if (xip) run.xipFigures = { ...xipSetupAtBoot(xip), idle: xipWindow(atStart!, afterIdle!), load: xipWindow(afterIdle!, afterLoad!) }
}

function needElf(job: ChipJob): string {
    if (!job.runtime.elf) throw new Error(`the ${job.runtime.flavour} runtime has no ELF beside it: a profile and a trace need its symbols`)
    return job.runtime.elf
}
