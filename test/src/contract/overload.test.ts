// Rule 10 of docs/protocol.md (overload) and the overload sentences of "Timing", on both builds:
// floods of serial input faster than the link can carry their answers.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulate, simulateReady } from "../../support/simulate.js"
import { autoReply, type Simulation } from "../../../sim/index.js"
import { checksumHex, frame, type SentFrame } from "../../../host/index.js"
import { heapLiveBytes, instrumentedModuleOptions } from "../../../sim/instrumentedVm.js"

/** Rule 10: received bytes the device holds before framing them. */
const STORE_BYTES = 512
/** The largest serial chunk (one Jacdac packet's payload). */
const CHUNK_BYTES = 236
/** The flood: 39 six-byte frames with a bad checksum (`A` sums to 41), 234 bytes per chunk. */
const BAD_FRAME = "$A*00\n"
const BAD_CHUNK = BAD_FRAME.repeat(39)
/** Every answer to input goes out within this long after the input arrived. */
const ANSWER_WITHIN_MS = 1000

/** A received chunk: when it reached the device, and where its bytes sit in everything sent. */
interface Chunk {
    at: number
    start: number
    length: number
}

/**
 * A frame in the flood and its answer. `end` is just past its terminating byte
 * (its `\n`, or the `$` that ends it), so a discard before `end` cuts it.
 */
interface Expected {
    start: number
    end: number
    answer: string
}

/** Frames laid end to end, each expected to be answered by `answer(frame)`. */
function stream(frames: string[], answer: (frame: string, index: number) => string) {
    const expected: Expected[] = []
    let offset = 0
    frames.forEach((text, index) => {
        expected.push({ start: offset, end: offset + text.length, answer: answer(text, index) })
        offset += text.length
    })
    return { text: frames.join(""), expected }
}

/** `count` bytes of bare `$`: each is a frame ended (as FMT) by the next `$`. */
function dollars(count: number) {
    const expected = Array.from({ length: count - 1 }, (_, i) => ({ start: i, end: i + 2, answer: "ERR,FMT" }))
    return { text: "$".repeat(count), expected }
}

/**
 * Sends `text` in chunks of `chunkBytes`, one every `periodMs`, calling
 * `everyTick` at each; returns the chunks as the device received them.
 */
async function flood(sim: Simulation, text: string, chunkBytes: number, periodMs: number, everyTick?: (tick: number) => Promise<void>) {
    const chunks: Chunk[] = []
    for (let start = 0, tick = 0; start < text.length; start += chunkBytes, tick++) {
        const length = Math.min(chunkBytes, text.length - start)
        chunks.push({ at: sim.now, start, length })
        await sim.inject(text.slice(start, start + length), chunkBytes)
        await everyTick?.(tick)
        await sim.advance(periodMs)
    }
    return chunks
}

const isOverflow = (f: SentFrame) => f.type === "ERR" && f.fields[1] === "OVF"

/** The answers to serial input, in the order sent (REQ, TMO, BUSY answer presses and timers). */
function inputAnswers(sim: Simulation, since: number) {
    return sim.frames.filter(f => f.at >= since && f.type !== "RDY" && f.type !== "REQ" && f.type !== "TMO" && f.body !== "ERR,BUSY")
}

/**
 * Walks the answers against the input, as rule 10 says they must come: each
 * answered frame in input order; each `ERR,OVF,<n>` where a run of whole
 * chunks, `n` bytes in all, was discarded, the frame it cuts unanswered, and
 * framing resumed outside a frame after it. Returns how far into `expected`
 * the answers reached, each answer's lag behind its input, and the byte counts.
 */
function walk(answers: SentFrame[], chunks: Chunk[], expected: Expected[]) {
    const chunkAt = (offset: number) => chunks.find(c => offset >= c.start && offset < c.start + c.length)!
    const lags: number[] = []
    let next = 0
    let discardedBytes = 0
    let answeredBytes = 0
    let runs = 0
    for (const [i, answer] of answers.entries()) {
        const where = `answer ${i} (${answer.body} at ${answer.at} ms), next expected frame ${next}`
        if (isOverflow(answer)) {
            const bytes = Number(answer.fields[2])
            expect(answer.fields[2], where).toBe(String(bytes))
            // the run begins at the first chunk boundary at or after the next unanswered frame's start
            const from = next < expected.length ? expected[next].start : Infinity
            const first = chunks.findIndex(c => c.start >= from)
            expect(first, `${where}: no chunk left to discard`).toBeGreaterThanOrEqual(0)
            if (chunks[first].start > from) expect(chunks[first].start, `${where}: an OVF after a whole frame that was not answered`).toBeLessThan(expected[next].end)
            let last = first
            let sum = chunks[first].length
            while (sum < bytes && last + 1 < chunks.length) sum += chunks[++last].length
            expect(sum, `${where}: OVF bytes are not a run of whole chunks`).toBe(bytes)
            lags.push(answer.at - chunks[first].at)
            discardedBytes += bytes
            runs++
            const runEnd = chunks[last].start + chunks[last].length
            while (next < expected.length && expected[next].start < runEnd) next++
        } else {
            expect(next, `${where}: an answer too many`).toBeLessThan(expected.length)
            expect(answer.body, where).toBe(expected[next].answer)
            lags.push(answer.at - chunkAt(expected[next].end - 1).at)
            answeredBytes += expected[next].end - expected[next].start
            next++
        }
    }
    const found = { reached: next, lags, discardedBytes, answeredBytes, runs, maxLag: Math.max(0, ...lags) }
    return found
}

const seqFrame = (seq: number, payload: string) => frame(`RES,${seq},${payload}`)

describe.each(BUILD_NAMES)("%s build", build => {
    test("the issue's flood (234-byte chunks of bad frames every 20 ms for 4 s): exact accounting, OVF in order, every answer within 1000 ms", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        const { text, expected } = stream(Array(39 * 200).fill(BAD_FRAME), () => "ERR,CHK")
        const chunks = await flood(sim, text, 234, 20)
        await sim.advance(2000)
        const answers = inputAnswers(sim, since)
        const checks = answers.filter(f => f.body === "ERR,CHK").length
        const discarded = answers.filter(isOverflow).reduce((sum, f) => sum + Number(f.fields[2]), 0)
        // every byte sent is either in an answered frame or counted by an OVF
        expect(checks * BAD_FRAME.length + discarded).toBe(text.length)
        expect(discarded).toBeGreaterThan(0)
        const found = walk(answers, chunks, expected)
        expect(found.reached).toBe(expected.length)
        expect(found.maxLag).toBeLessThanOrEqual(ANSWER_WITHIN_MS)
        // the link carries about a packet per 20 ms: at twice that rate, about half the input is discarded
        expect(found.runs).toBeGreaterThan(50)
    })

    test("OVF in order: replies each answered with their own seq, discarded runs in their place", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        // 16 to 18 bytes each, answered by 18 to 20: input a little faster than its answers
        const frames = Array.from({ length: 1500 }, (_, i) => seqFrame(100 + (i % 150), "x"))
        const { text, expected } = stream(frames, f => `ERR,SEQ,${f.split(",")[1]}`)
        const chunks = await flood(sim, text, 234, 20)
        await sim.advance(2000)
        const found = walk(inputAnswers(sim, since), chunks, expected)
        expect(found.reached).toBe(expected.length)
        expect(found.runs).toBeGreaterThan(10)
        expect(found.maxLag).toBeLessThanOrEqual(ANSWER_WITHIN_MS)
    })

    test("a frame cut by a discard gets no answer of its own, and framing resumes at the next $", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        // 200-byte chunks across 17- and 18-byte frames: most discards cut a frame at each end
        const frames = Array.from({ length: 1200 }, (_, i) => seqFrame(100 + (i % 150), i % 2 ? "y" : "zz"))
        const { text, expected } = stream(frames, f => `ERR,SEQ,${f.split(",")[1]}`)
        const chunks = await flood(sim, text, 200, 15)
        await sim.advance(2000)
        const found = walk(inputAnswers(sim, since), chunks, expected)
        expect(found.reached).toBe(expected.length)
        expect(found.runs).toBeGreaterThan(10)
        // frames cut by discards are in neither count
        expect(found.answeredBytes + found.discardedBytes).toBeLessThan(text.length)
    })

    test("a run of discarded chunks is one OVF, counting all their bytes", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        // 10 chunks at once: the device answers what it can send at once and holds 512 bytes; the rest is one run
        await sim.inject(BAD_CHUNK.repeat(10), 234)
        await sim.advance(2000)
        const answers = inputAnswers(sim, since).map(f => f.body)
        const checks = answers.filter(body => body === "ERR,CHK").length
        expect(checks % 39).toBe(0)
        expect(answers).toEqual([...Array(checks).fill("ERR,CHK"), `ERR,OVF,${10 * 234 - checks * 6}`])
        expect(checks).toBeGreaterThanOrEqual(78)
    })

    test("a chunk that fits exactly (512 bytes held) is kept", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        const reply = seqFrame(7, "x")
        const noise = (n: number) => "~".repeat(n)
        // bytes outside a frame are discarded silently (rule 4): only the reply at the very end is answered
        await sim.inject(noise(236) + noise(236) + noise(STORE_BYTES - 472 - reply.length) + reply, [236, 236, 40])
        await sim.advance(200)
        expect(inputAnswers(sim, since).map(f => f.body)).toEqual(["ERR,SEQ,7"])
    })

    test("no discard at one 236-byte chunk per 40 ms whose answers are no longer than itself", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        // each frame exactly as long as its answer: `$RES,<seq>,pad*HH\r\n` and `$ERR,SEQ,<seq>*HH\r\n`
        const frames = Array.from({ length: 1100 }, (_, i) => seqFrame(100 + (i % 150), "pad"))
        const { text, expected } = stream(frames, f => `ERR,SEQ,${f.split(",")[1]}`)
        const chunks = await flood(sim, text, CHUNK_BYTES, 40)
        await sim.advance(1000)
        const found = walk(inputAnswers(sim, since), chunks, expected)
        expect(found.runs).toBe(0)
        expect(found.reached).toBe(expected.length)
        expect(found.maxLag).toBeLessThanOrEqual(ANSWER_WITHIN_MS)
    })

    test("a flood of bare $ (one 13-byte ERR,FMT per byte): answers in order, each within 1000 ms", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        const { text, expected } = dollars(CHUNK_BYTES * 100)
        const chunks = await flood(sim, text, CHUNK_BYTES, 20)
        await sim.advance(2000)
        const found = walk(inputAnswers(sim, since), chunks, expected)
        // the last $ still waits for its end
        expect(found.reached).toBe(expected.length)
        expect(found.runs).toBeGreaterThanOrEqual(5)
        expect(found.maxLag).toBeLessThanOrEqual(ANSWER_WITHIN_MS)
        // the store of 512 `$` was answered at the link's pace, not sooner
        expect(found.maxLag).toBeGreaterThan(400)
    })

    test("a burst of answers (one chunk of $ runs, each closed by a RES of its own seq) goes out once each, in order", async () => {
        const sim = await simulateReady(build)
        await sim.advance(30)
        const since = sim.now
        // 10 bare `$` (ERR,FMT each) then `$RES,<seq>,x*HH\n` (ERR,SEQ,<seq>): about six packets of answers at once, each packet told apart by its seqs
        const frames = Array.from({ length: 9 }, (_, unit) => [...Array<string>(10).fill("$"), seqFrame(100 + unit, "x")]).flat()
        const { text, expected } = stream(frames, f => (f === "$" ? "ERR,FMT" : `ERR,SEQ,${f.split(",")[1]}`))
        expect(text.length).toBeLessThanOrEqual(CHUNK_BYTES)
        await sim.inject(text, CHUNK_BYTES)
        await sim.advance(1000)
        // a packet sent twice shows as a repeated run of seqs
        expect(inputAnswers(sim, since).map(f => f.body)).toEqual(expected.map(e => e.answer))
    })

    test("presses during a flood: REQ or ERR,BUSY within 100 ms, each REQ ends in one ACK or TMO, TMO 1000-1100 ms after its REQ", async () => {
        const sim = await simulateReady(build)
        const since = sim.now
        // the peer answers every third REQ (its reply goes into the flood, so it may be discarded)
        autoReply(sim, { replyDelayMs: 30, drops: seq => seq % 3 !== 0 })
        const presses: number[] = []
        const { text } = dollars(CHUNK_BYTES * 200)
        await flood(sim, text, CHUNK_BYTES, 20, async tick => {
            if (tick % 7 !== 3) return
            presses.push(sim.now)
            await sim.press()
        })
        await sim.advance(2000)
        const pressAnswers = sim.frames.filter(f => f.at >= since && (f.type === "REQ" || f.body === "ERR,BUSY"))
        expect(pressAnswers).toHaveLength(presses.length)
        pressAnswers.forEach((answer, i) => expect(answer.at - presses[i], `press ${i}: ${answer.body}`).toBeLessThanOrEqual(100))
        const reqs = pressAnswers.filter(f => f.type === "REQ")
        expect(reqs.length).toBeGreaterThan(presses.length / 2)
        const endings = sim.frames.filter(f => f.type === "ACK" || f.type === "TMO")
        expect(endings.map(f => Number(f.fields[1])).sort((a, b) => a - b)).toEqual(reqs.map(f => Number(f.fields[1])))
        for (const req of reqs) {
            const ending = endings.find(f => f.fields[1] === req.fields[1])!
            if (ending.type === "TMO") {
                expect(ending.at - req.at, req.body).toBeGreaterThanOrEqual(1000)
                expect(ending.at - req.at, req.body).toBeLessThanOrEqual(1100)
            }
        }
        expect(endings.filter(f => f.type === "TMO").length).toBeGreaterThan(0)
        expect(endings.filter(f => f.type === "ACK").length).toBeGreaterThan(0)
    })

    test("after a flood, normal service", async () => {
        const sim = await simulateReady(build)
        await flood(sim, BAD_CHUNK.repeat(100), 234, 20)
        await sim.advance(1500)
        const after = sim.now
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,0,back") + frame("RES,1,x", checksumHex("RES,1,x") === "00" ? "01" : "00") + "$\n")
        await sim.advance(100)
        expect(sim.bodies(after)).toEqual(["REQ,0", "ACK,0,back", "ERR,CHK", "ERR,FMT"])
        expect(sim.frames.filter(f => f.at >= after).every(f => f.at - after <= 200)).toBe(true)
        expect(sim.led.isOn).toBe(false)
    })

    test("memory stays bounded: the heap during 5 s of the worst flood stays near its idle size", async () => {
        const sim = await simulate(build, { moduleOptions: instrumentedModuleOptions() })
        await sim.untilReady()
        await sim.advance(500)
        const idleBytes = heapLiveBytes(sim.module)
        let peakBytes = idleBytes
        const { text } = dollars(CHUNK_BYTES * 250)
        await flood(sim, text, CHUNK_BYTES, 20, async tick => {
            if (tick % 25 === 24) peakBytes = Math.max(peakBytes, heapLiveBytes(sim.module))
        })
        await sim.advance(2000)
        console.log(`${build}: heap ${idleBytes} bytes idle, at most ${peakBytes} during a flood of bare $`)
        // the store (512 bytes), the outbox (about two packets), their chunk objects and frames
        expect(peakBytes - idleBytes).toBeLessThanOrEqual(HEAP_GROWTH_BOUND_BYTES)
        expect(sim.bodies().filter(b => b.startsWith("ERR,OVF")).length).toBeGreaterThan(0)
    })
})

/** How far the heap may grow above idle under any flood (measured peaks are in the test's log line). */
const HEAP_GROWTH_BOUND_BYTES = 3072
