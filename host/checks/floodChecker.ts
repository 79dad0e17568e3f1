// Rule 10 of docs/protocol.md as a checker: what the device sent under a flood, held against the model.
//
// The model cannot know which chunks the device discarded, but each `ERR,OVF,<n>`
// says how many bytes. The checker walks the device's answers in order and, for
// each OVF, finds the run of consecutive received chunks it stands for: sizes
// summing to n, placed after the answers to everything received before it and
// before the answers to everything after it. Every other answer must be exactly
// the model's. Presses and timeouts are independent of the serial input's order
// (a press is answered within 100 ms while input may wait up to 1000 ms), so they
// are taken in at the point the device answered them; the model then says whether
// that answer was right.
import { SpecModel } from "./specModel.js"

/** A chunk the device received, one character per byte (latin1), and when. */
export interface ReceivedChunk {
    at: number
    bytes: string
}

/** A frame body the device sent (RDY left out), and when it reached the peer. */
export interface SentAnswer {
    at: number
    body: string
}

export interface FloodRecord {
    /** Every chunk the device received, in order. */
    chunks: ReceivedChunk[]
    /** When each press happened, in order. */
    presses: number[]
    /** Everything the device sent over the same period, in order. */
    answers: SentAnswer[]
}

/** Consecutive chunks the device discarded, reported by one OVF. */
export interface DiscardRun {
    firstChunk: number
    lastChunk: number
    bytes: number
}

export interface FloodVerdict {
    /** The model after everything: in step with the device. */
    model: SpecModel
    runs: DiscardRun[]
    offeredBytes: number
    discardedBytes: number
    /** Answers to serial input (ACK, ERR, OVF): ms from the arrival of the chunk that completed their cause (for OVF: the run's last chunk). */
    answerLagsMs: number[]
    /** Press → its REQ or ERR,BUSY, ms. */
    pressLagsMs: number[]
    /** REQ → its TMO, ms, for requests whose REQ is in the record. */
    timeoutsAfterReqMs: number[]
}

export class FloodMismatch extends Error {}

const OVF = /^ERR,OVF,([1-9]\d*)$/

type Kind = "press" | "timeout" | "input"

function kindOf(body: string): Kind {
    if (body.startsWith("REQ,") || body === "ERR,BUSY") return "press"
    if (body.startsWith("TMO,")) return "timeout"
    return "input"
}

/** Where the walk is: the next chunk to decide on, the next answer to explain, and what it found so far. */
interface Walk {
    chunk: number
    answer: number
    press: number
    model: SpecModel
    /** The previous chunk ended a discarded run: this one was kept, or the OVF would have covered it. */
    mustKeep: boolean
    reqAt: Map<number, number>
    runs: DiscardRun[]
    answerLagsMs: number[]
    pressLagsMs: number[]
    timeoutsAfterReqMs: number[]
}

function copyWalk(w: Walk): Walk {
    return {
        ...w,
        model: w.model.clone(),
        reqAt: new Map(w.reqAt),
        runs: [...w.runs],
        answerLagsMs: [...w.answerLagsMs],
        pressLagsMs: [...w.pressLagsMs],
        timeoutsAfterReqMs: [...w.timeoutsAfterReqMs],
    }
}

class Failure {
    constructor(
        readonly answer: number,
        readonly message: string,
    ) {}
}

function completesNoAnswer(model: SpecModel, bytes: string): boolean {
    const probe = model.clone()
    for (const byte of bytes) if (probe.receiveByte(byte) !== undefined) return false
    return true
}

/** How many alternative readings the search may try before it gives up. */
const MAX_BACKTRACKS = 20_000

/**
 * Checks a flood's record against the model (given in its state at the
 * record's start; not changed). Returns what it found, or throws a
 * FloodMismatch that says where the device first strayed from every reading
 * of rule 10.
 */
export function checkFlood(record: FloodRecord, start: SpecModel = new SpecModel(), reqAt = new Map<number, number>()): FloodVerdict {
    const { chunks, presses, answers } = record
    const describe = (j: number) => (j < answers.length ? `${answers[j].body} (at ${answers[j].at} ms)` : "nothing")

    /** Takes in the presses and timeouts the device answered next; a Failure if the model disagrees. */
    function takeSideAnswers(w: Walk): Failure | undefined {
        for (; w.answer < answers.length; w.answer++) {
            const { body, at } = answers[w.answer]
            const kind = kindOf(body)
            if (kind === "input") return undefined
            if (kind === "press") {
                if (w.press >= presses.length || presses[w.press] > at) return new Failure(w.answer, `the device sent ${describe(w.answer)} with no press waiting for an answer`)
                const expected = w.model.press()[0]
                if (expected !== body) return new Failure(w.answer, `press ${w.press + 1} (at ${presses[w.press]} ms): expected ${expected}, the device sent ${describe(w.answer)}`)
                w.pressLagsMs.push(at - presses[w.press])
                if (body.startsWith("REQ,")) w.reqAt.set(Number(body.slice(4)), at)
                w.press++
            } else {
                const seq = Number(body.slice(4))
                if (w.model.timeOut(seq).length === 0) return new Failure(w.answer, `the device sent ${describe(w.answer)} for a request not in flight`)
                const sentAt = w.reqAt.get(seq)
                if (sentAt !== undefined) w.timeoutsAfterReqMs.push(at - sentAt)
                w.reqAt.delete(seq)
            }
        }
        return undefined
    }

    function keepChunk(w: Walk): Failure | undefined {
        const chunk = chunks[w.chunk]
        for (const byte of chunk.bytes) {
            // presses and timeouts the device answered before this byte's frame come first: input still in the
            // receive store counts as arriving when it is framed (rule 3), so a press may overtake it
            const side = takeSideAnswers(w)
            if (side) return side
            const expected = w.model.receiveByte(byte)
            if (expected === undefined) continue
            if (w.answer >= answers.length || answers[w.answer].body !== expected) {
                return new Failure(w.answer, `expected ${expected} for chunk ${w.chunk + 1} of ${chunks.length} (at ${chunk.at} ms), the device sent ${describe(w.answer)}`)
            }
            if (expected.startsWith("ACK,")) w.reqAt.delete(Number(expected.split(",")[1]))
            w.answerLagsMs.push(answers[w.answer].at - chunk.at)
            w.answer++
        }
        w.chunk++
        w.mustKeep = false
        return undefined
    }

    /** The last chunk of a run from `first` whose sizes sum to `bytes`, or -1. */
    function runEnd(first: number, bytes: number): number {
        let sum = 0
        for (let k = first; k < chunks.length; k++) {
            sum += chunks[k].bytes.length
            if (sum === bytes) return k
            if (sum > bytes) return -1
        }
        return -1
    }

    function discardRun(w: Walk, last: number, bytes: number) {
        w.model.discardChunk()
        w.runs.push({ firstChunk: w.chunk, lastChunk: last, bytes })
        w.answerLagsMs.push(answers[w.answer].at - chunks[last].at)
        w.answer++
        w.chunk = last + 1
        w.mustKeep = true
    }

    /** Walks on from `w` to the end; alternative readings are pushed on `choices`. */
    function walkOn(w: Walk, choices: Walk[], keepFirst: boolean): Failure | undefined {
        let forceKeep = keepFirst
        while (w.chunk < chunks.length) {
            const side = takeSideAnswers(w)
            if (side) return side
            const next = w.answer < answers.length ? OVF.exec(answers[w.answer].body) : null
            const last = !forceKeep && !w.mustKeep && next ? runEnd(w.chunk, Number(next[1])) : -1
            forceKeep = false
            if (last >= 0) {
                // the other reading, this chunk kept, can only hold if the chunk completes no answer (the next one is the OVF)
                if (completesNoAnswer(w.model, chunks[w.chunk].bytes)) choices.push(copyWalk(w))
                discardRun(w, last, Number(next![1]))
                continue
            }
            const failure = keepChunk(w)
            if (failure) return failure
        }
        const side = takeSideAnswers(w)
        if (side) return side
        if (w.answer < answers.length) return new Failure(w.answer, `the device sent ${describe(w.answer)}, which no input explains`)
        if (w.press < presses.length) return new Failure(w.answer, `press ${w.press + 1} (at ${presses[w.press]} ms) got neither REQ nor ERR,BUSY`)
        return undefined
    }

    const first: Walk = {
        chunk: 0,
        answer: 0,
        press: 0,
        model: start.clone(),
        mustKeep: false,
        reqAt: new Map(reqAt),
        runs: [],
        answerLagsMs: [],
        pressLagsMs: [],
        timeoutsAfterReqMs: [],
    }
    const choices: Walk[] = []
    let furthest: Failure | undefined
    let walk = first
    let keepFirst = false
    for (let backtracks = 0; ; backtracks++) {
        const failure = walkOn(walk, choices, keepFirst)
        if (!failure) break
        if (!furthest || failure.answer > furthest.answer) furthest = failure
        const alternative = choices.pop()
        if (!alternative || backtracks >= MAX_BACKTRACKS) {
            const gaveUp = alternative ? ` (gave up after ${MAX_BACKTRACKS} readings)` : ""
            throw new FloodMismatch(`the device strayed from the protocol under a flood at answer ${furthest.answer + 1} of ${answers.length}: ${furthest.message}${gaveUp}`)
        }
        walk = alternative
        keepFirst = true
    }
    const offeredBytes = chunks.reduce((sum, c) => sum + c.bytes.length, 0)
    return {
        model: walk.model,
        runs: walk.runs,
        offeredBytes,
        discardedBytes: walk.runs.reduce((sum, r) => sum + r.bytes, 0),
        answerLagsMs: walk.answerLagsMs,
        pressLagsMs: walk.pressLagsMs,
        timeoutsAfterReqMs: walk.timeoutsAfterReqMs,
    }
}

/** The protocol's timing promises under overload, as limits a verdict is held to. */
export const FLOOD_TIMING = { answerWithinMs: 1000, pressWithinMs: 100, timeoutFromMs: 1000, timeoutToMs: 1100 }

/** Each timing promise the verdict breaks, in words (none: an empty list). */
export function timingViolations(verdict: FloodVerdict, limits = FLOOD_TIMING): string[] {
    const out: string[] = []
    const worst = (xs: number[]) => Math.max(...xs)
    const late = verdict.answerLagsMs.filter(ms => ms > limits.answerWithinMs)
    if (late.length) out.push(`${late.length} answers to input came more than ${limits.answerWithinMs} ms after it arrived (worst ${worst(late)} ms)`)
    const slowPresses = verdict.pressLagsMs.filter(ms => ms > limits.pressWithinMs)
    if (slowPresses.length) out.push(`${slowPresses.length} presses waited more than ${limits.pressWithinMs} ms for REQ or ERR,BUSY (worst ${worst(slowPresses)} ms)`)
    const badTimeouts = verdict.timeoutsAfterReqMs.filter(ms => ms < limits.timeoutFromMs || ms > limits.timeoutToMs)
    if (badTimeouts.length) out.push(`${badTimeouts.length} TMO frames came outside ${limits.timeoutFromMs}–${limits.timeoutToMs} ms after their REQ (${badTimeouts.join(", ")} ms)`)
    return out
}
