// Property-based fuzzing of the serial input, against the host-side model of the protocol (docs/protocol.md).
import fc from "fast-check"
import { bytes, checksumHex } from "../frames.js"
import type { Device } from "../device.js"
import { MAX_FRAME, MAX_IN_FLIGHT, STORE_BYTES, SpecModel } from "./specModel.js"
import { checkFlood, type ReceivedChunk, timingViolations } from "./floodChecker.js"

/** Generated inputs per build in every test run (`npm test`); `npm run fuzz` runs more. */
export const SERIAL_TEST_RUNS = 2000
export const FLOOD_TEST_RUNS = 20

/** A piece of a fuzzed input. Seqs are relative to the first seq of the run, so a run can be replayed on any device state. */
export type Piece =
    | { kind: "reply"; seqOffset: number; zeros: number; payload: string; lf: string; mutation?: Mutation }
    | { kind: "soup"; text: string }

export type Mutation =
    | { kind: "flip"; at: number; bit: number }
    | { kind: "drop"; at: number }
    | { kind: "double"; at: number }
    | { kind: "insert"; at: number; text: string }
    | { kind: "checksum"; delta: number }

export interface FuzzInput {
    presses: number
    pieces: Piece[]
    /** Where the byte stream is cut into chunks, as fractions of its length. */
    cuts: number[]
    /** Let the requests still in flight time out (slow), instead of answering them. */
    timeOut: boolean
}

// Each `map` has its inverse, so that fast-check can shrink a saved case as well as one it generated.
const charOf = (codes: fc.Arbitrary<number>) => codes.map(c => String.fromCharCode(c), codeOf)
const PRINTABLE = charOf(fc.integer({ min: 0x20, max: 0x7e }))
const PAYLOAD_CHAR = PRINTABLE.filter(c => c !== "$" && c !== "*")
const SOUP_CHAR = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("$", "*", ",", "\r", "\n", "R", "E", "S", "0", "7", "A", "f") },
    { weight: 2, arbitrary: PRINTABLE },
    { weight: 1, arbitrary: charOf(fc.integer({ min: 0, max: 255 })) },
)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(90), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant("drop" as const), at: fc.nat(90) }),
    fc.record({ kind: fc.constant("double" as const), at: fc.nat(90) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(90), text: fc.constantFrom("$", "\r", "\0", "*", "\n", ",") }),
    fc.record({ kind: fc.constant("checksum" as const), delta: fc.integer({ min: 1, max: 255 }) }),
)

const reply: fc.Arbitrary<Piece> = fc.record(
    {
        kind: fc.constant("reply" as const),
        seqOffset: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 255 })),
        zeros: fc.constantFrom(0, 0, 0, 1, 2),
        payload: fc.oneof(
            { weight: 4, arbitrary: fc.string({ unit: PAYLOAD_CHAR, maxLength: 12 }) },
            { weight: 1, arbitrary: fc.string({ unit: PAYLOAD_CHAR, minLength: 60, maxLength: 80 }) },
        ),
        lf: fc.constantFrom("\r\n", "\r\n", "\n"),
        mutation: fc.option(mutation, { nil: undefined, freq: 2 }),
    },
    { requiredKeys: ["kind", "seqOffset", "zeros", "payload", "lf"] },
)

const soup: fc.Arbitrary<Piece> = fc.record({ kind: fc.constant("soup" as const), text: fc.string({ unit: SOUP_CHAR, maxLength: 40 }) })

export const fuzzInput: fc.Arbitrary<FuzzInput> = fc.record({
    presses: fc.integer({ min: 0, max: 6 }),
    pieces: fc.array(fc.oneof({ weight: 3, arbitrary: reply }, { weight: 1, arbitrary: soup }), { maxLength: 8 }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
    timeOut: fc.integer({ min: 0, max: 3 }).map(
        n => n === 0,
        timeOut => (timeOut === true ? 0 : timeOut === false ? 1 : fail(`${String(timeOut)} is not a boolean`)),
    ),
})

function codeOf(char: unknown): number {
    if (typeof char !== "string" || char.length !== 1) fail(`${JSON.stringify(char)} is not one character`)
    return char.charCodeAt(0)
}

/** What an unmapper throws when a value is none its arbitrary could give: fast-check then leaves it unshrunk. */
function fail(why: string): never {
    throw new Error(why)
}

function mutate(text: string, m: Mutation): string {
    const at = m.kind === "checksum" ? 0 : m.at % Math.max(1, text.length)
    switch (m.kind) {
        case "flip":
            return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << m.bit)) + text.slice(at + 1)
        case "drop":
            return text.slice(0, at) + text.slice(at + 1)
        case "double":
            return text.slice(0, at) + text[at] + text.slice(at)
        case "insert":
            return text.slice(0, at) + m.text + text.slice(at)
        case "checksum": {
            const star = text.lastIndexOf("*")
            const wrong = ((parseInt(text.slice(star + 1, star + 3), 16) + m.delta) % 256).toString(16).toUpperCase().padStart(2, "0")
            return text.slice(0, star + 1) + wrong + text.slice(star + 3)
        }
    }
}

/**
 * A flood: a pattern of pieces repeated up to `bytes` bytes, cut into chunks of
 * `chunkSize` spread evenly over `spreadMs` (0: all at one instant), with
 * presses before it and during it. Fast enough, it overflows the device's
 * receive store (rule 10 of docs/protocol.md).
 */
export interface FloodInput {
    presses: number
    pattern: Piece[]
    bytes: number
    chunkSize: number
    spreadMs: number
    /** When presses come, in ms from the flood's start. */
    pressesDuring: number[]
}

/** At most this many chunks per flood keeps a run short. */
const MAX_FLOOD_CHUNKS = 100

export const floodInput: fc.Arbitrary<FloodInput> = fc.record({
    presses: fc.integer({ min: 0, max: 4 }),
    pattern: fc.array(fc.oneof({ weight: 3, arbitrary: reply }, { weight: 1, arbitrary: soup }, { weight: 1, arbitrary: fc.constant<Piece>({ kind: "soup", text: "$" }) }), {
        minLength: 1,
        maxLength: 4,
    }),
    bytes: fc.integer({ min: 100, max: 8000 }),
    chunkSize: fc.oneof(fc.constant(236), fc.integer({ min: 1, max: 236 })),
    spreadMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2000 })),
    pressesDuring: fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 6 }).map(
        times => times.sort((a, b) => a - b),
        times => (Array.isArray(times) && times.every((t, i) => i === 0 || times[i - 1] <= t) ? (times as number[]) : fail("not a sorted array")),
    ),
})

/** The flood's chunks, in order: the pattern (seqs relative to `base`) repeated, after a resync. */
export function floodChunks(input: FloodInput, base: number): string[] {
    const pattern = render({ presses: 0, pieces: input.pattern, cuts: [], timeOut: false }, base) || "$"
    const length = Math.min(input.bytes, input.chunkSize * MAX_FLOOD_CHUNKS)
    let stream = RESYNC
    while (stream.length < length) stream += pattern
    const chunks: string[] = []
    for (let at = 0; at < length; at += input.chunkSize) chunks.push(stream.slice(at, Math.min(length, at + input.chunkSize)))
    return chunks
}

/** The bytes of a run, one character per byte, for a device whose next seq is `base`. */
export function render(input: FuzzInput, base: number): string {
    return input.pieces
        .map(piece => {
            if (piece.kind === "soup") return piece.text
            const seq = "0".repeat(piece.zeros) + String((base + piece.seqOffset) % 256)
            const body = `RES,${seq},${piece.payload}`
            const frame = `$${body}*${checksumHex(body)}${piece.lf}`
            return piece.mutation ? mutate(frame, piece.mutation) : frame
        })
        .join("")
}

/** Chunks of at most 236 bytes, cut where `cuts` says. */
export function chunk(stream: string, cuts: number[]): string[] {
    const points = [...new Set(cuts.map(c => Math.floor(c * stream.length)))].filter(p => p > 0 && p < stream.length).sort((a, b) => a - b)
    const pieces: string[] = []
    let from = 0
    for (const point of [...points, stream.length]) {
        for (let start = from; start < point; start += 236) pieces.push(stream.slice(start, Math.min(point, start + 236)))
        from = point
    }
    return pieces
}

/** The contract's response time: by then the device has framed and answered what came before. */
const RESPONSE_MS = 100

/**
 * Sends chunks at one instant as long as they add up to STORE_BYTES at most,
 * and each further group after RESPONSE_MS: a longer burst may overflow the
 * receive store, which rule 10 allows and the flood fuzzer checks.
 */
async function injectWithinStore(sim: Device, chunks: string[]) {
    let burst = 0
    for (const piece of chunks) {
        if (burst + piece.length > STORE_BYTES) {
            await sim.advance(RESPONSE_MS)
            burst = 0
        }
        burst += piece.length
        await sim.inject(bytes(piece))
    }
}

/** Frames that resynchronise any receiver to "outside a frame", whatever state it is in. */
const RESYNC = "$\n"

/**
 * What RESYNC gets, as the model says, from a receiver in each state it may be
 * in: outside a frame (an empty frame, ERR,FMT), 1 to 81 bytes into one (the
 * `$` ends it, then the empty frame: ERR,FMT twice), or 82 bytes into one (the
 * `$` is its 83rd byte: ERR,LEN, and the `\n` is dropped with it, rule 5).
 */
export const RESYNC_ANSWERS: string[] = (() => {
    const outside = new SpecModel()
    const inFrame = Array.from({ length: MAX_FRAME }, (_, n) => {
        const model = new SpecModel()
        model.receive("$" + "x".repeat(n))
        return model
    })
    return [...new Set([outside, ...inFrame].map(model => model.receive(RESYNC).join()))]
})()
/** Output must be complete well before the first request could time out. */
const QUIET_WITHIN_MS = 800

async function untilQuiet(sim: Device, expectedCount: number, since: number, extraMs = 60) {
    const started = sim.now
    while (sim.now - started < QUIET_WITHIN_MS) {
        await sim.advance(20)
        if (sim.bodies(since).length >= expectedCount) break
    }
    await sim.advance(extraMs) // anything extra would show up now
}

/** A valid reply to each request the model has in flight, in one string. */
function repliesToAll(model: SpecModel): string {
    return model.requestsInFlight.map(seq => `$RES,${seq},end*${checksumHex(`RES,${seq},end`)}\r\n`).join("")
}

/** What the floods run in this process led to: how many made the device discard, and how much. */
export const floodStats = { floods: 0, withDiscards: 0, overflows: 0, offeredBytes: 0, discardedBytes: 0 }

/** After a flood's last chunk or press: every answer (≤ 1000 ms) and every TMO (≤ 1100 ms after its REQ) is due. */
const FLOOD_SETTLE_MS = 1300

/**
 * A device and its model, kept in step through the inputs of a case: each
 * input starts from no request in flight and the receiver outside a frame.
 */
export class FuzzedDevice {
    model: SpecModel

    constructor(readonly sim: Device) {
        this.model = new SpecModel()
    }

    /** Brings a fresh device's next seq to `seq` with presses whose requests are answered at once, checked like any input. */
    async bringSeqTo(seq: number): Promise<void> {
        const { sim, model } = this
        const since = sim.now
        const expected: string[] = []
        while (model.seq < seq) {
            for (let i = Math.min(MAX_IN_FLIGHT, seq - model.seq); i > 0; i--) {
                expected.push(...model.press())
                await sim.press()
            }
            await untilQuiet(sim, expected.length, since, 0)
            const answers = repliesToAll(model)
            expected.push(...model.receive(answers))
            await sim.inject(answers)
            await untilQuiet(sim, expected.length, since, 0)
        }
        await sim.advance(60)
        this.check(expected, since, `while bringing the seq to ${seq}`)
    }

    /** Runs one input; throws with the expected and actual frames if the device strays from the model. */
    async run(input: FuzzInput): Promise<void> {
        const { sim, model } = this
        const since = sim.now
        const expected: string[] = []
        const base = model.seq
        for (let i = 0; i < input.presses; i++) {
            expected.push(...model.press())
            await sim.press()
        }
        await sim.advance(30)
        const stream = RESYNC + render(input, base)
        expected.push(...model.receive(stream))
        await injectWithinStore(sim, chunk(stream, input.cuts))
        await untilQuiet(sim, expected.length, since)
        this.check(expected, since, "after the input")

        if (input.timeOut) {
            expected.push(...model.timeOutAll())
            await sim.advance(1150)
        } else {
            const answers = repliesToAll(model)
            expected.push(...model.receive(answers))
            await sim.inject(answers)
            await untilQuiet(sim, expected.length, since)
        }
        this.check(expected, since, "after the requests ended")
    }

    /**
     * Runs one flood; throws if what the device sent fits no reading of rule 10
     * against the model, or breaks a timing promise, or the LED disagrees.
     */
    async runFlood(input: FloodInput): Promise<void> {
        const { sim } = this
        const since = sim.now
        const chunks: ReceivedChunk[] = []
        const presses: number[] = []
        const press = async () => {
            presses.push(sim.now)
            await sim.press()
        }
        for (let i = 0; i < input.presses; i++) await press()
        await sim.advance(30)
        const texts = floodChunks(input, this.model.seq)
        const start = sim.now
        const events = [
            ...texts.map((text, i) => ({ at: start + Math.floor((i * input.spreadMs) / texts.length), chunk: text })),
            ...input.pressesDuring.map(ms => ({ at: start + ms, chunk: undefined })),
        ].sort((a, b) => a.at - b.at)
        for (const event of events) {
            if (event.at > sim.now) await sim.advance(event.at - sim.now)
            if (event.chunk === undefined) {
                await press()
            } else {
                chunks.push({ at: sim.now, bytes: event.chunk })
                await sim.inject(bytes(event.chunk), event.chunk.length)
            }
        }
        await sim.advance(FLOOD_SETTLE_MS)
        const answers = sim.frames.filter(f => f.at >= since && f.type !== "RDY").map(f => ({ at: f.at, body: f.body }))
        const verdict = checkFlood({ chunks, presses, answers }, this.model)
        const lateRequests = verdict.model.requestsInFlight.length
        const problems = [
            ...timingViolations(verdict),
            ...(lateRequests ? [`${lateRequests} requests neither ACKed nor timed out ${FLOOD_SETTLE_MS} ms after the flood`] : []),
            ...sim.crashes().map(c => `crash: ${c}`),
            ...(sim.ledIsOn ? ["the LED is on with nothing in flight"] : []),
        ]
        if (problems.length) throw new Error(`the device strayed from the protocol under a flood: ${problems.join("; ")}`)
        this.model = verdict.model
        floodStats.floods++
        floodStats.withDiscards += verdict.runs.length > 0 ? 1 : 0
        floodStats.overflows += verdict.runs.length
        floodStats.offeredBytes += verdict.offeredBytes
        floodStats.discardedBytes += verdict.discardedBytes
        await this.resyncAfterFlood()
    }

    /**
     * Chunks that completed no answer at the end of a flood may have been kept
     * or discarded: the answers cannot tell, so neither can the model whether a
     * frame is in progress. `$\n` leaves any receiver outside a frame, with
     * one of RESYNC_ANSWERS, so device and model are in step again.
     */
    private async resyncAfterFlood() {
        const since = this.sim.now
        await this.sim.inject(RESYNC)
        await this.sim.advance(100)
        const answers = this.sim.bodies(since)
        if (!RESYNC_ANSWERS.includes(answers.join())) {
            throw new Error(`after a flood, ${JSON.stringify(RESYNC)} got ${JSON.stringify(answers)}, not one of ${RESYNC_ANSWERS.map(a => `[${a}]`).join(", ")}`)
        }
        this.model.discardChunk()
    }

    private check(expected: string[], since: number, when: string) {
        const { sim, model } = this
        const actual = sim.bodies(since)
        const crashes = sim.crashes()
        const ledOn = sim.ledIsOn
        const ledExpected = model.requestsInFlight.length > 0
        if (crashes.length || ledOn !== ledExpected || JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new Error(
                [
                    `the device strayed from the protocol ${when}`,
                    crashes.length ? `crashes: ${crashes.join("; ")}` : "",
                    `LED ${ledOn ? "on" : "off"}, expected ${ledExpected ? "on" : "off"}`,
                    `expected: ${JSON.stringify(expected)}`,
                    `actual:   ${JSON.stringify(actual)}`,
                ]
                    .filter(Boolean)
                    .join("\n"),
            )
        }
    }
}

/**
 * A generated case: a fresh device, its next seq brought to `seqFrom`, then
 * `inputs` in order. All the device went through is in the case, so a case
 * that failed once fails again on its own, and shrinking keeps it so.
 */
export interface FuzzCase<Input> {
    seqFrom: number
    inputs: Input[]
}

/** At most this many inputs per case: enough for state to carry over from one to the next, few enough to shrink quickly. */
export const SERIAL_INPUTS_PER_CASE = 40
export const FLOODS_PER_CASE = 8

/** Mostly from 0; otherwise any seq, so that three-digit seqs and the wrap after 255 come without hundreds of inputs first. */
const seqFrom = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) })

export function fuzzCases<Input>(input: fc.Arbitrary<Input>, maxInputs: number): fc.Arbitrary<FuzzCase<Input>> {
    return fc.record({ seqFrom, inputs: fc.array(input, { minLength: 1, maxLength: maxInputs, size: "max" }) })
}

/** What a fuzzing property has run so far, before its first failure (shrinking not counted). */
export interface FuzzCounts {
    /** Saved regressions replayed, and generated cases run. */
    regressions: number
    cases: number
    /** Inputs of the generated cases. */
    inputs: number
    /** Cases run while shrinking a failure. */
    shrinkCases: number
}

export interface FuzzOptions<Input> {
    /** A fresh device, ready (RDY sent); the property stops it after its case. */
    start: () => Promise<Device>
    /** Saved cases (regressionsOf), replayed first. */
    regressions?: FuzzCase<Input>[]
    /** Generated cases run until this many of their inputs have run (default: none). */
    inputs?: number
    /** Called after each input of a generated case, while no case has failed yet. */
    afterEachInput?: () => void
    /** Called once, when the first case fails and shrinking begins. */
    onFailure?: () => void
    /** Shrinking stops after this long (the smallest failing case by then is the counterexample, and fails on its own all the same). */
    shrinkMs?: number
}

const SHRINK_MS = 120_000

/**
 * A fast-check property over one build whose values are cases (FuzzCase),
 * each on a fresh device, so a failing case, shrunk or not, replays on its
 * own. Check it with the parameters it comes with (and a seed):
 * `fc.check(property, { ...parameters, seed })`.
 */
export function serialProperty(options: FuzzOptions<FuzzInput>) {
    return caseProperty(fuzzCases(fuzzInput, SERIAL_INPUTS_PER_CASE), (device, input) => device.run(input), options)
}

/** The same for floods (rule 10 of docs/protocol.md): every answer checked exactly, the discarded chunks found from the OVF counts. */
export function floodProperty(options: FuzzOptions<FloodInput>) {
    return caseProperty(fuzzCases(floodInput, FLOODS_PER_CASE), (device, input) => device.runFlood(input), options)
}

/** How a case failed: the device's error, at which input (-1: while the seq was brought up) and from which seq. */
export class CaseFailure extends Error {
    constructor(
        readonly error: unknown,
        readonly inputIndex: number,
        readonly seqBefore: number,
    ) {
        super(error instanceof Error ? error.message : String(error))
    }
}

type RunOne<Input> = (device: FuzzedDevice, input: Input) => Promise<void>

/** Runs one case on a fresh device; throws a CaseFailure where the device strayed from the model. */
export async function runCase<Input>(start: () => Promise<Device>, fuzzCase: FuzzCase<Input>, runOne: RunOne<Input>, afterEachInput = () => {}) {
    const device = new FuzzedDevice(await start())
    let inputIndex = -1
    let seqBefore = 0
    try {
        await device.bringSeqTo(fuzzCase.seqFrom)
        for (const input of fuzzCase.inputs) {
            inputIndex++
            seqBefore = device.model.seq
            await runOne(device, input)
            afterEachInput()
        }
    } catch (error) {
        throw new CaseFailure(error, inputIndex, seqBefore)
    } finally {
        device.sim.stop()
    }
}

/** The input a case failed at, alone, from the seq it started at: often failing just the same, and far quicker to shrink. */
export function failingInputAlone<Input>(fuzzCase: FuzzCase<Input>, failure: CaseFailure): FuzzCase<Input> {
    if (failure.inputIndex < 0) return { seqFrom: fuzzCase.seqFrom, inputs: fuzzCase.inputs.slice(0, 1) }
    return { seqFrom: failure.seqBefore, inputs: [fuzzCase.inputs[failure.inputIndex]] }
}

function caseProperty<Input>(cases: fc.Arbitrary<FuzzCase<Input>>, runOne: RunOne<Input>, options: FuzzOptions<Input>) {
    const { start, regressions = [], inputs = 0, afterEachInput = () => {}, onFailure = () => {}, shrinkMs = SHRINK_MS } = options
    const counts: FuzzCounts = { regressions: 0, cases: 0, inputs: 0, shrinkCases: 0 }
    /** When the first case failed: every case after it is a candidate of the shrinking. */
    let failedAt: number | undefined
    const property = fc.asyncProperty(cases, async fuzzCase => {
        if (failedAt !== undefined) {
            if (Date.now() - failedAt > shrinkMs) return
            counts.shrinkCases++
            await runCase(start, fuzzCase, runOne)
            return
        }
        // fast-check runs the examples (the regressions) first; each generated case has at least one input,
        // so numRuns below reaches the input budget, and the cases after it pass without running
        const regression = counts.regressions < regressions.length
        if (!regression && counts.inputs >= inputs) return
        try {
            if (regression) {
                counts.regressions++
                await runCase(start, fuzzCase, runOne)
            } else {
                counts.cases++
                await runCase(start, fuzzCase, runOne, () => {
                    counts.inputs++
                    afterEachInput()
                })
            }
        } catch (error) {
            failedAt = Date.now()
            onFailure()
            throw error
        }
    })
    const parameters = { examples: regressions.map(fuzzCase => [fuzzCase] as [FuzzCase<Input>]), numRuns: regressions.length + inputs }
    return { property, parameters, counts }
}

export type CaseProperty<Input> = ReturnType<typeof caseProperty<Input>>

/** A failure found, and what to save of it. */
export interface FoundFailure<Input> {
    /** The first failure, as the generated case met it. */
    error: unknown
    found: FuzzCase<Input>
    /** The smallest failing case shrinking reached: it failed on a fresh device, as every case runs. */
    shrunk: FuzzCase<Input>
    shrinkCases: number
    /** False when neither the failing input alone nor the whole case failed again: the failure did not replay. */
    replayed: boolean
}

/**
 * Runs a property (serialProperty or floodProperty) to its first failure, then
 * shrinks, starting from the failing input alone on a device brought to the
 * seq it started at when that fails too, else from the whole case: shrinking
 * a long case replays it whole for each candidate.
 */
export async function fuzzToFailure<Input>(
    makeProperty: (options: FuzzOptions<Input>) => CaseProperty<Input>,
    options: FuzzOptions<Input>,
    seed: number,
): Promise<{ counts: FuzzCounts; failure?: FoundFailure<Input> }> {
    const fuzzing = makeProperty(options)
    const found = await fc.check(fuzzing.property, { ...fuzzing.parameters, seed, endOnFailure: true })
    const { counts } = fuzzing
    if (!found.failed) return { counts }
    const failing = found.counterexample![0]
    const error = found.errorInstance
    const starts = error instanceof CaseFailure ? [failingInputAlone(failing, error), failing] : [failing]
    for (const start of starts) {
        const shrinking = makeProperty({ start: options.start, regressions: [start], shrinkMs: options.shrinkMs })
        const shrunk = await fc.check(shrinking.property, { ...shrinking.parameters, seed })
        if (shrunk.failed) return { counts, failure: { error, found: failing, shrunk: shrunk.counterexample![0], shrinkCases: shrinking.counts.shrinkCases, replayed: true } }
    }
    return { counts, failure: { error, found: failing, shrunk: failing, shrinkCases: 0, replayed: false } }
}
