// What a recording of the blocking scenario shows: latencies, timeout lateness, silences, and the timing rules.
import type { SentFrame } from "../../../host/index.js"
import { percentile, round } from "../../lib/stats.js"
import type { Recording } from "./scenario.js"

/** docs/protocol.md, "Timing guarantees". */
export const ANSWER_WITHIN_MS = 100
export const REPLY_TIMEOUT_MS = 1000
export const TMO_WITHIN_MS = 1100

export interface Spread {
    p50: number
    p99: number
    max: number
}

export interface RuleCheck {
    held: boolean
    /** The worst figure the rule is about (ms), so a broken rule says by how much. */
    worstMs: number
}

export interface ScenarioFigures {
    /** From each press to its answer (REQ, or ERR,BUSY). */
    pressToReqMs: Spread
    /** From each reply to its ACK. */
    resToAckMs: Spread
    /** How late each TMO came after 1000 ms from its REQ (negative: early). */
    tmoLateMs: { min: number; max: number }
    /** The longest time something was due (a press's answer, a reply's ACK, a timeout's TMO) and nothing at all was sent. */
    longestSilenceMs: number
    rules: {
        /** Each press answered within 100 ms. */
        pressAnsweredWithin100Ms: RuleCheck
        /** Each TMO 1000 to 1100 ms after its REQ; `worstMs` is the one furthest outside (or nearest the edge). */
        tmoWithin1000To1100Ms: RuleCheck
        /** Each reply ACKed within 100 ms. */
        replyAckedWithin100Ms: RuleCheck
    }
    counts: {
        presses: number
        reqs: number
        busy: number
        acks: number
        tmos: number
        /** Presses the device never answered (on the Pico: never saw, the button being up again before the VM let the runtime poll it). */
        unansweredPresses: number
        /** ACKs and TMOs that never came. */
        missingAcks: number
        missingTmos: number
        restarts: number
        crashes: number
    }
}

function spread(samples: number[]): Spread {
    if (samples.length === 0) return { p50: NaN, p99: NaN, max: NaN }
    return { p50: round(percentile(samples, 0.5), 1), p99: round(percentile(samples, 0.99), 1), max: round(Math.max(...samples), 1) }
}

const firstAfter = (frames: SentFrame[], at: number, body: string) => frames.find(f => f.at >= at && f.body.startsWith(body))

/** A span of time during which an answer was due: from its cause until it was sent (or the end of the run). */
interface Due {
    from: number
    to: number
}

/** The longest stretch inside the union of `due` with no frame sent in it. */
export function longestSilence(due: Due[], sentAt: number[]): number {
    const spans = [...due].sort((a, b) => a.from - b.from)
    const sends = [...sentAt].sort((a, b) => a - b)
    let longest = 0
    let i = 0
    while (i < spans.length) {
        // merge overlapping spans: something was due all along
        let { from, to } = spans[i++]
        while (i < spans.length && spans[i].from <= to) to = Math.max(to, spans[i++].to)
        let quietSince = from
        for (const at of sends) {
            if (at <= from || at > to) continue
            longest = Math.max(longest, at - quietSince)
            quietSince = at
        }
        longest = Math.max(longest, to - quietSince)
    }
    return round(longest, 1)
}

export function scenarioFigures(r: Recording): ScenarioFigures {
    const due: Due[] = []
    const missing = { answers: 0, tmos: 0, acks: 0 }
    // an answer that never came is due only until the device next sends anything: then it was no longer silent
    const dueUntil = (from: number, answer: SentFrame | undefined, kind: keyof typeof missing) => {
        due.push({ from, to: answer?.at ?? r.frames.find(f => f.at > from)?.at ?? r.end })
        if (!answer) missing[kind]++
    }

    const pressToReq: number[] = []
    const tmoLate: number[] = []
    for (const press of r.presses) {
        const { answer } = press
        const pressedAt = press.pressedAt ?? press.at
        dueUntil(pressedAt, answer, "answers")
        if (!answer) continue
        pressToReq.push(answer.at - pressedAt)
        if (answer.type !== "REQ" || (press.role !== "timesOut" && press.role !== "probe")) continue
        const dueAt = answer.at + REPLY_TIMEOUT_MS
        const tmo = firstAfter(r.frames, answer.at, `TMO,${answer.fields[1]}`)
        dueUntil(dueAt, tmo, "tmos")
        if (tmo) tmoLate.push(tmo.at - dueAt)
    }
    const resToAck: number[] = []
    for (const reply of r.replies) {
        const ack = firstAfter(r.frames, reply.at, `ACK,${reply.seq},`)
        dueUntil(reply.at, ack, "acks")
        if (ack) resToAck.push(ack.at - reply.at)
    }

    const worstPress = Math.max(0, ...pressToReq)
    const worstAck = Math.max(0, ...resToAck)
    const tmoLateMs = { min: round(Math.min(...tmoLate), 1), max: round(Math.max(...tmoLate), 1) }
    const tmoEarliest = REPLY_TIMEOUT_MS + tmoLateMs.min
    const tmoLatest = REPLY_TIMEOUT_MS + tmoLateMs.max
    const count = (test: (f: SentFrame) => boolean) => r.frames.filter(test).length
    return {
        pressToReqMs: spread(pressToReq),
        resToAckMs: spread(resToAck),
        tmoLateMs,
        longestSilenceMs: longestSilence(due, r.frames.map(f => f.at)),
        rules: {
            pressAnsweredWithin100Ms: { held: worstPress <= ANSWER_WITHIN_MS && missing.answers === 0, worstMs: round(worstPress, 1) },
            tmoWithin1000To1100Ms: {
                held: tmoEarliest >= REPLY_TIMEOUT_MS && tmoLatest <= TMO_WITHIN_MS && missing.tmos === 0,
                worstMs: round(tmoEarliest < REPLY_TIMEOUT_MS ? tmoEarliest : tmoLatest, 1),
            },
            replyAckedWithin100Ms: { held: worstAck <= ANSWER_WITHIN_MS && missing.acks === 0, worstMs: round(worstAck, 1) },
        },
        counts: {
            presses: r.presses.length,
            reqs: count(f => f.type === "REQ"),
            busy: count(f => f.body === "ERR,BUSY"),
            acks: count(f => f.type === "ACK"),
            tmos: count(f => f.type === "TMO"),
            unansweredPresses: missing.answers,
            missingAcks: missing.acks,
            missingTmos: missing.tmos,
            restarts: r.restarts,
            crashes: r.crashes.length,
        },
    }
}
