// npm run compare's overload section: each build under serial floods (rule 10 of docs/protocol.md), on virtual time,
// in the instrumented VM. Every answer is held to the model by the flood checker; the figures are the
// bytes offered and discarded, the peak live heap, answer lags, and press→REQ during the flood.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT, bytes, frame, parseSent, type Device } from "../../host/index.js"
import { checkFlood, type FloodRecord, type FloodVerdict, type ReceivedChunk } from "../../host/checks/index.js"
import { floodRowsTable, type FloodRow, recordReliability } from "./reliability.js"
import { Run, type Instrumentation } from "./vmRun.js"
import { percentile, round } from "./stats.js"

/** 115,200 baud, 8 data bits, no parity, 1 stop bit: 11,520 bytes a second. */
export const LINE_RATE_BYTES_PER_SEC = 11_520
/** Each flood chunk is as large as a Jacdac packet allows. */
export const CHUNK_BYTES = 236
/** A 6-byte frame with a wrong checksum (the body `A` sums to 41): one 13-byte `ERR,CHK` each. */
const BAD_CHECKSUM_FRAME = "$A*00\n"
/** The worst input: every `$` after the first ends a frame, and each asks for a 13-byte `ERR,FMT`. */
const BARE_DOLLAR = "$"
/** A press every this often during a flood; the peer answers each REQ after PEER_REPLY_MS, in a chunk of its own. */
export const PRESS_EVERY_MS = 250
export const PEER_REPLY_MS = 50
/** The heap is sampled (after a full collection) this often. */
export const HEAP_SAMPLE_MS = 100
/** After the flood: every answer (≤ 1000 ms) and every TMO (≤ 1100 ms after its REQ) is due. */
const SETTLE_MS = 1500
/**
 * What a bounded build may hold above its idle heap under any flood: the
 * 512-byte receive store, a frame in progress (82), about two packets of
 * answers waiting for the link (2 × 236), 4 requests in flight and their
 * replies, and the VM's own packet buffers for what is in transit.
 */
export const HEAP_BOUND_OVER_IDLE_BYTES = 4096

export interface FloodSpec {
    /** What is sent, in words. */
    label: string
    pattern: string
    timesLineRate: number
    seconds: number
}

export function floodSpecs(quick: boolean): FloodSpec[] {
    const short = quick ? 2 : 60
    const long = quick ? 2 : 120
    return [
        { label: "bad-checksum frames at line rate", pattern: BAD_CHECKSUM_FRAME, timesLineRate: 1, seconds: short },
        { label: "bare `$` at line rate", pattern: BARE_DOLLAR, timesLineRate: 1, seconds: short },
        { label: "bare `$` at 4× line rate", pattern: BARE_DOLLAR, timesLineRate: 4, seconds: long },
    ]
}

/** The method, in words, for the report and docs/reliability.md. */
export function floodMethod(): string {
    return [
        `each build, fresh, gets ${CHUNK_BYTES}-byte chunks at ${LINE_RATE_BYTES_PER_SEC.toLocaleString("en-US")} bytes/s (115,200 baud, 8N1: "line rate") or 4 times that,`,
        `a press every ${PRESS_EVERY_MS} ms and a peer that answers each \`REQ\` ${PEER_REPLY_MS} ms later in a chunk of its own;`,
        `heap: live bytes after a full collection in the instrumented VM, sampled every ${HEAP_SAMPLE_MS} ms of virtual time, and held to a bound of idle + ${HEAP_BOUND_OVER_IDLE_BYTES.toLocaleString("en-US")} bytes;`,
        "lag: from the arrival of the chunk that completed an answer's cause (for `ERR,OVF`, the last discarded chunk) to the answer reaching the peer;",
        "every answer is held to the model by `host/checks/floodChecker.ts` (\"exact\").",
    ].join(" ")
}

/** Chunks of an endless repetition of `pattern`, one after another. */
function chunkSource(pattern: string) {
    const long = pattern.repeat(Math.ceil(CHUNK_BYTES / pattern.length) + 1)
    let offset = 0
    return () => {
        const start = offset % pattern.length
        offset += CHUNK_BYTES
        return long.slice(start, start + CHUNK_BYTES)
    }
}

const spread = (xs: number[]) => (xs.length ? { p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), max: Math.max(...xs) } : null)

/** A device to flood, whatever runs it: the VM or an emulated Pico. */
export interface FloodSubject {
    device: Device
    /** Calls `listener` with each chunk the device sends over serial (the peer answers its REQs). */
    onSent(listener: (chunk: { at: number; bytes: Uint8Array }) => void): void
    /**
     * The heap's live bytes, measured within `withinMs` (time may pass meanwhile, no further), or
     * undefined when the device offered no moment to measure in that time: the flood then asks again.
     */
    heapSample(withinMs: number): Promise<number | undefined>
}

/** A heap measurement during a flood: ms since the flood began, live bytes. */
export interface HeapSample {
    at: number
    bytes: number
}

/** What a flood did: its input, the device's answers, its heap over time. */
export interface FloodRun extends FloodRecord {
    /** The device's clock when the flood began. */
    since: number
    heapSamples: HeapSample[]
    crashes: string[]
}

/**
 * Floods the device as `spec` says, from now: chunks of the pattern at its rate, a
 * press every PRESS_EVERY_MS, the peer's answer to each REQ after PEER_REPLY_MS, the
 * heap sampled every HEAP_SAMPLE_MS; then SETTLE_MS for the last answers. Stops early
 * when the device crashes.
 */
export async function driveFlood(subject: FloodSubject, spec: FloodSpec): Promise<FloodRun> {
    const { device } = subject
    const since = device.now
    const pressesBefore = device.pressedAt.length
    const chunks: ReceivedChunk[] = []
    const heapSamples: HeapSample[] = []
    const replies: { at: number; text: string }[] = []
    subject.onSent(sent => {
        for (const f of parseSent([sent])) if (f.type === "REQ") replies.push({ at: device.now + PEER_REPLY_MS, text: frame(`RES,${f.fields[1]},ok`) })
    })
    const send = async (text: string) => {
        chunks.push({ at: device.now, bytes: text })
        await device.inject(bytes(text), text.length)
    }

    const nextChunk = chunkSource(spec.pattern)
    const bytesPerSec = LINE_RATE_BYTES_PER_SEC * spec.timesLineRate
    const chunkAt = (k: number) => since + Math.round((k * CHUNK_BYTES * 1000) / bytesPerSec)
    const end = since + spec.seconds * 1000
    let sentChunks = 0
    let nextPress = since + PRESS_EVERY_MS
    let nextSample = since + HEAP_SAMPLE_MS
    let sampleWanted = false
    let crashed = false
    while (!crashed) {
        const flooding = chunkAt(sentChunks) < end
        const due = Math.min(flooding ? chunkAt(sentChunks) : Infinity, nextPress < end ? nextPress : Infinity, nextSample, replies[0]?.at ?? Infinity)
        if (!flooding && due > end + SETTLE_MS) break
        if (sampleWanted) {
            const heapBytes = await subject.heapSample(Math.max(0, due - device.now))
            if (heapBytes !== undefined) {
                heapSamples.push({ at: device.now - since, bytes: heapBytes })
                sampleWanted = false
            }
        }
        if (due > device.now) await device.advance(due - device.now)
        while (replies.length && replies[0].at <= device.now) await send(replies.shift()!.text)
        while (chunkAt(sentChunks) <= device.now && chunkAt(sentChunks) < end) {
            await send(nextChunk())
            sentChunks++
        }
        if (nextPress <= device.now && nextPress < end) {
            await device.press()
            nextPress += PRESS_EVERY_MS
        }
        if (nextSample <= device.now) {
            crashed = device.crashes().length > 0
            sampleWanted = !crashed
            nextSample += HEAP_SAMPLE_MS
        }
    }
    const answers = device.frames.filter(f => f.at >= since && f.type !== "RDY").map(f => ({ at: f.at, body: f.body }))
    return { since, chunks, presses: device.pressedAt.slice(pressesBefore), answers, heapSamples, crashes: device.crashes() }
}

/** The row of figures of one flood, every answer held to the model by the flood checker. */
export function floodRow(build: string, spec: FloodSpec, run: FloodRun, idleHeapBytes: number, heapBoundOverIdle: number): FloodRow {
    const { chunks, presses, answers, crashes } = run
    const count = (p: (body: string) => boolean) => answers.filter(a => p(a.body)).length
    let verdict: FloodVerdict | undefined
    let exact = "as the model says"
    try {
        verdict = checkFlood({ chunks, presses, answers })
    } catch (e) {
        exact = `**not as the model says**: ${(e instanceof Error ? e.message : String(e)).replace(/^the device strayed from the protocol under a flood /, "")}`
    }
    if (crashes.length) exact = "**crashed**"
    const reported = answers.map(a => /^ERR,OVF,(\d+)$/.exec(a.body)).reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0)
    // without a verdict, press→REQ pairs presses with the REQ / ERR,BUSY answers in order
    const pressAnswers = answers.filter(a => a.body.startsWith("REQ,") || a.body === "ERR,BUSY")
    const pressLags = verdict?.pressLagsMs ?? pressAnswers.slice(0, presses.length).map((a, i) => a.at - presses[i])
    const lags = verdict ? spread(verdict.answerLagsMs) : null
    const press = spread(pressLags)
    return {
        build,
        flood: spec.label,
        seconds: spec.seconds,
        offeredBytes: chunks.reduce((sum, c) => sum + c.bytes.length, 0),
        discardedBytes: verdict?.discardedBytes ?? reported,
        exact,
        idleHeapBytes,
        peakHeapBytes: Math.max(idleHeapBytes, ...run.heapSamples.map(s => s.bytes)),
        heapBoundBytes: idleHeapBytes + heapBoundOverIdle,
        lagMs: lags && { p50: round(lags.p50, 1), p99: round(lags.p99, 1), max: round(lags.max, 1) },
        pressToReqMs: press && { p50: round(press.p50, 1), max: round(press.max, 1) },
        presses: presses.length,
        reqs: count(b => b.startsWith("REQ,")),
        busy: count(b => b === "ERR,BUSY"),
        acks: count(b => b.startsWith("ACK,")),
        tmos: count(b => b.startsWith("TMO,")),
        crashes,
    }
}

/** One flood on a fresh build in the instrumented VM: its row of figures. */
export async function flood(build: string, instrumentation: Instrumentation, spec: FloodSpec): Promise<FloodRow> {
    const run = await Run.start(build, instrumentation)
    const { sim } = run
    await sim.untilReady()
    await sim.advance(500)
    const idleHeapBytes = await instrumentation.heapLiveBytes(sim)
    const record = await driveFlood({ device: sim, onSent: listener => sim.serial.onSend(listener), heapSample: () => instrumentation.heapLiveBytes(sim) }, spec)
    sim.stop()
    return floodRow(build, spec, record, idleHeapBytes, HEAP_BOUND_OVER_IDLE_BYTES)
}

/** Every flood on every build. */
export async function overloadFigures(builds: readonly string[], instrumentation: Instrumentation, quick: boolean, progress: (message: string) => void): Promise<FloodRow[]> {
    const rows: FloodRow[] = []
    for (const build of builds) {
        for (const spec of floodSpecs(quick)) {
            progress(`${build}: overload, ${spec.label} for ${spec.seconds} s`)
            const row = await flood(build, instrumentation, spec)
            progress(`  offered ${row.offeredBytes}, discarded ${row.discardedBytes} bytes; peak heap ${row.peakHeapBytes} (idle ${row.idleHeapBytes}); lag max ${row.lagMs?.max ?? "—"} ms; ${row.exact}`)
            rows.push(row)
        }
    }
    return rows
}

/**
 * How each build implements backpressure, in the words of its code: the
 * comments right above these places in src/, read when the report is written,
 * so the report says what the code says.
 */
const BACKPRESSURE_PLACES: Record<string, { file: string; anchor: string }[]> = {
    superloop: [
        { file: "src/mainSuperloop.ts", anchor: "function handleArrivals(" },
        { file: "src/mainSuperloop.ts", anchor: "if (framesToSend) {" },
    ],
    async: [
        { file: "src/mainAsync.ts", anchor: "function frameReceived(" },
        { file: "src/mainAsync.ts", anchor: "sender.onRoom(frameReceived)" },
    ],
    eventloop: [
        { file: "src/mainEventLoop.ts", anchor: "const reader: Selector" },
        { file: "src/mainEventLoop.ts", anchor: "const writer: Selector" },
    ],
    "every build (shared)": [
        { file: "src/shared/outbox.ts", anchor: "export class Outbox" },
        { file: "src/shared/receiveBuffer.ts", anchor: "export class ReceiveBuffer" },
    ],
}

/** The comment lines right above the first line holding `anchor`, as one paragraph. */
export function commentAbove(source: string, anchor: string): string | undefined {
    const lines = source.split("\n")
    const at = lines.findIndex(line => line.includes(anchor))
    if (at < 0) return undefined
    const comment: string[] = []
    for (let i = at - 1; i >= 0; i--) {
        const line = lines[i].trim()
        if (!/^(\/\/|\/\*\*|\*)/.test(line)) break
        comment.unshift(line.replace(/^(\/\/+|\/\*\*|\*\/|\*)\s?/, "").replace(/\*\/$/, "").trim())
    }
    const text = comment.filter(Boolean).join(" ").replace(/\s+/g, " ").trim()
    return text || undefined
}

export function backpressureInCodesWords(placesByBuild = BACKPRESSURE_PLACES): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [build, places] of Object.entries(placesByBuild)) {
        out[build] = places
            .map(({ file, anchor }) => {
                const source = readFileSync(join(ROOT, file), "utf8")
                const said = commentAbove(source, anchor)
                if (!said) {
                    const what = source.includes(anchor) ? "no comment right above the line holding" : "no line holding"
                    throw new Error(`${file} has ${what} \`${anchor}\`, which the overload report quotes (tools/overload/floods.ts)`)
                }
                return `\`${anchor.replace(/\($/, "")}\` (${file}): “${said}”`
            })
            .join(" ")
    }
    return out
}

/** The report's overload section (Markdown). */
export function renderOverloadMarkdown(rows: FloodRow[], quick: boolean): string {
    return [
        "## Overload (rule 10 of docs/protocol.md)",
        "",
        `${quick ? "A short version (`--quick`): " : ""}${floodMethod()}`,
        "",
        ...floodRowsTable(rows),
        "",
        "### How each build holds back",
        "",
        "The comments above the places that do it, quoted from `src/` when this report was written:",
        "",
        ...Object.entries(backpressureInCodesWords()).map(([build, text]) => `- **${build}**: ${text}`),
        "",
    ].join("\n")
}

/** Puts a full run's flood figures into reports/reliability.json and docs/reliability.md. */
export function recordOverload(rows: FloodRow[], command: string) {
    recordReliability("floods", { command, date: new Date().toISOString().slice(0, 10), method: floodMethod(), rows })
}
