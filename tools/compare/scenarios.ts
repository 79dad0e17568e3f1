// The scenarios every build runs, on virtual time: exact and repeatable figures.
import { autoReply, Simulation } from "../../sim/index.js"
import { type Instrumentation, Run } from "../lib/vmRun.js"
import { requestCycle, type LatencySample } from "./latency.js"
import { mean, slope } from "../lib/stats.js"

/** A steady load: a press every 250 ms, each answered by the peer 50 ms after its REQ. */
export const LOAD = { pressEveryMs: 250, replyDelayMs: 50 }

/** VM work per second over `seconds` idle, then (unless `withLoad` is false) over `seconds` of LOAD. */
export async function idleAndLoadRates(build: string, instrumentation: Instrumentation, seconds: number, withLoad = true) {
    const run = await Run.start(build, instrumentation)
    if (withLoad) await run.sim.untilReady()
    await run.sim.advance(2000)
    const idle = await run.rates(() => run.sim.advance(seconds * 1000))
    if (!withLoad) {
        run.stop()
        return { idle, load: undefined }
    }
    autoReply(run.sim, { replyDelayMs: LOAD.replyDelayMs })
    const load = await run.rates(async () => {
        for (let t = 0; t < seconds * 1000; t += LOAD.pressEveryMs) {
            await run.sim.press()
            await run.sim.advance(LOAD.pressEveryMs)
        }
    })
    run.stop()
    return { idle, load }
}

/**
 * Isolated request cycles on virtual time, the presses spread over every
 * phase of a 10 ms loop, so the worst case and the mean are both exact.
 */
export async function virtualLatencies(build: string, instrumentation: Instrumentation, cycles: number) {
    const run = await Run.start(build, instrumentation)
    await run.sim.untilReady()
    const samples: LatencySample[] = []
    for (let i = 0; i < cycles; i++) {
        await run.sim.advance(200 + (i % 10) + (i % 7) / 7)
        samples.push(await requestCycle(run.sim, 0.25))
    }
    run.stop()
    const worst = (key: keyof LatencySample) => Math.max(...samples.map(s => s[key]))
    const average = (key: keyof LatencySample) => mean(samples.map(s => s[key]))
    return {
        pressToReq: { worst: worst("pressToReqMs"), mean: average("pressToReqMs") },
        resToAck: { worst: worst("resToAckMs"), mean: average("resToAckMs") },
    }
}

/** Live heap when idle, and its growth per request in flight (least-squares slope over 1 to 4 in flight). */
export async function heapFigures(build: string, instrumentation: Instrumentation) {
    const run = await Run.start(build, instrumentation)
    await run.sim.untilReady()
    await run.sim.advance(500)
    const idle = await instrumentation.heapLiveBytes(run.sim)
    const inFlight: number[] = []
    for (let n = 1; n <= 4; n++) {
        await run.sim.press()
        await run.sim.advance(50)
        inFlight.push(await instrumentation.heapLiveBytes(run.sim))
    }
    run.stop()
    return { idleBytes: idle, perInFlightBytes: slope([1, 2, 3, 4], inFlight), inFlightBytes: inFlight }
}

export interface RateResult {
    ratePerSec: number
    presses: number
    reqs: number
    busy: number
    acks: number
    /** Presses that got no answer at all, and REQs that got no ACK though the peer answered them. */
    lost: number
    /** The longest press→REQ delay seen: a growing backlog shows here. */
    worstPressToReqMs: number
}

/** Presses at a steady rate for `seconds`, the peer answering every REQ after `replyDelayMs`. */
export async function steadyRate(
    build: string,
    instrumentation: Instrumentation,
    ratePerSec: number,
    seconds: number,
    replyDelayMs = 20,
): Promise<RateResult> {
    const run = await Run.start(build, instrumentation)
    const { sim } = run
    await sim.untilReady()
    autoReply(sim, { replyDelayMs })
    const start = sim.now
    const pressTimes: number[] = []
    // press i at i / rate seconds, counted in whole presses: exactly rate × seconds of them
    for (let i = 0; i < Math.round(ratePerSec * seconds); i++) {
        await sim.advance(start + (i * 1000) / ratePerSec - sim.now)
        pressTimes.push(sim.now)
        await sim.press()
    }
    await sim.advance(2000)
    run.stop()
    const sent = sim.frames.filter(f => f.at >= start)
    const count = (predicate: (body: string) => boolean) => sent.filter(f => predicate(f.body)).length
    const reqs = sent.filter(f => f.type === "REQ")
    const answers = sent.filter(f => f.type === "REQ" || f.body === "ERR,BUSY")
    const worstPressToReqMs = Math.max(0, ...answers.map((f, i) => f.at - (pressTimes[i] ?? f.at)))
    const acks = count(b => b.startsWith("ACK"))
    return {
        ratePerSec,
        presses: pressTimes.length,
        reqs: reqs.length,
        busy: count(b => b === "ERR,BUSY"),
        acks,
        lost: pressTimes.length - answers.length + (reqs.length - acks),
        worstPressToReqMs,
    }
}

/** The rule a steady rate must meet to count, in words: the report's label and table use it. */
export const STEADY_RATE_RULE = "every press got its REQ within 100 ms (no ERR,BUSY) and every REQ its ACK"

/** Whether a steady rate meets STEADY_RATE_RULE. */
export function meetsSteadyRateRule(result: RateResult): boolean {
    return result.lost === 0 && result.busy === 0 && result.worstPressToReqMs <= 100
}

/** The highest rate of the ladder (tried from the lowest, stopping at the first that fails) that meets STEADY_RATE_RULE. */
export async function maxSteadyRate(
    build: string,
    instrumentation: Instrumentation,
    ladder: number[],
    seconds: number,
    onStep: (result: RateResult) => void,
) {
    let best = 0
    const results: RateResult[] = []
    for (const rate of ladder) {
        const result = await steadyRate(build, instrumentation, rate, seconds)
        results.push(result)
        onStep(result)
        if (!meetsSteadyRateRule(result)) break
        best = rate
    }
    return { maxRatePerSec: best, results }
}

/** `count` presses at one instant, the peer answering after 20 ms. */
export async function burst(build: string, instrumentation: Instrumentation, count: number) {
    const run = await Run.start(build, instrumentation)
    const { sim } = run
    await sim.untilReady()
    autoReply(sim, { replyDelayMs: 20 })
    const start = sim.now
    for (let i = 0; i < count; i++) await sim.press()
    await sim.advance(2000)
    run.stop()
    const sent = sim.frames.filter(f => f.at >= start)
    const reqs = sent.filter(f => f.type === "REQ").length
    const busy = sent.filter(f => f.body === "ERR,BUSY").length
    const acks = sent.filter(f => f.type === "ACK").length
    const lastAnswer = sent.filter(f => f.type === "REQ" || f.body === "ERR,BUSY").at(-1)
    return { presses: count, reqs, busy, acks, lost: count - reqs - busy + (reqs - acks), answeredWithinMs: (lastAnswer?.at ?? start) - start }
}

/** When the VM ran, during a short scenario: each host wakeup's time. */
export async function timeline(build: string, instrumentation: Instrumentation, windowMs: number) {
    const run = await Run.start(build, instrumentation, true)
    const { sim } = run
    await sim.untilReady()
    await sim.advance(1000)
    autoReply(sim, { replyDelayMs: 120 })
    const start = sim.now
    const first = run.traced
    const events: { at: number; what: string }[] = []
    for (const at of [100, 250]) {
        await sim.advance(start + at - sim.now)
        events.push({ at, what: "press" })
        await sim.press()
    }
    await sim.advance(start + windowMs - sim.now)
    const wakeups = run.wakeupsSince(first).map(w => ({ at: w.at - start, instructions: w.instructions }))
    run.stop()
    const frames = sim.frames.filter(f => f.at >= start).map(f => ({ at: f.at - start, what: f.body }))
    return { wakeups, frames, events }
}
