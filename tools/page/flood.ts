// A flood of garbage from a build's peer, at line rate: what it sends, when, and what it counts.
import { bytes } from "../../host/index.js"
import type { NumberLimit } from "./peer.js"

/** One chunk of the flood: 39 six-byte frames, each with a wrong checksum (`A`'s is 41), 234 bytes in all. */
export const FLOOD_CHUNK = "$A*00\n".repeat(39)
/** A chunk every 20 ms: 11,700 bytes a second, about what a 115,200-baud line carries. */
export const FLOOD_EVERY_MS = 20
/** How long a flood may last, here and on the page (which gets it from the server), and what the page proposes. */
export const FLOOD_SECONDS: NumberLimit & { initial: number } = { name: "flood", unit: "s", min: 0.1, max: 30, step: 1, initial: 5 }
/** After a pause of the host, the flood catches up by at most this many chunks at a time. */
const CATCH_UP_CHUNKS = 2

/** What the build answered during a flood, counted from its start. */
export interface FloodAnswers {
    errs: number
    ovfs: number
    discardedBytes: number
}

/** A flood of garbage from the peer, running or the last one: what was sent, and what the build answered. */
export interface FloodStatus extends FloodAnswers {
    running: boolean
    startedAt: number
    endsAt: number
    chunks: number
    bytes: number
}

export function checkFloodSeconds(seconds: number) {
    const { min, max, unit } = FLOOD_SECONDS
    if (!Number.isFinite(seconds) || seconds < min || seconds > max) throw new Error(`a flood lasts from ${min} to ${max} ${unit}, not ${seconds} ${unit}`)
}

export function floodStartNote(seconds: number): string {
    return `flood: ${FLOOD_CHUNK.length} bytes of frames with a wrong checksum ($A*00) every ${FLOOD_EVERY_MS} ms for ${seconds} s, about 115,200 baud`
}

export function floodOverNote(status: FloodStatus): string {
    return `flood over: ${status.bytes.toLocaleString("en-US")} bytes in ${status.chunks} chunks`
}

/**
 * A 234-byte chunk of frames with a wrong checksum every 20 ms for `seconds`.
 * Each frame asks for a 13-byte `ERR,CHK`, more than the link can carry back, so
 * the build must hold input back and, when its store is full, discard and say `ERR,OVF`.
 */
export class Flood {
    readonly startedAt: number
    readonly endsAt: number
    private readonly totalChunks: number
    private chunks = 0
    private running = true
    private timer?: ReturnType<typeof setInterval>
    private baseline: FloodAnswers
    private final?: FloodAnswers

    constructor(
        seconds: number,
        private readonly clock: { readonly now: number },
        private readonly send: (chunk: Uint8Array) => void,
        /** The build's answers so far (the flood counts them from its start). */
        private readonly answers: () => FloodAnswers,
        private readonly onEnd: () => void,
    ) {
        checkFloodSeconds(seconds)
        this.startedAt = clock.now
        this.totalChunks = Math.max(1, Math.round((seconds * 1000) / FLOOD_EVERY_MS))
        this.endsAt = this.startedAt + this.totalChunks * FLOOD_EVERY_MS
        this.baseline = { ...answers() }
    }

    get isRunning(): boolean {
        return this.running
    }

    start() {
        this.timer = setInterval(() => this.sendDue(), FLOOD_EVERY_MS)
        this.sendDue()
    }

    private sendDue() {
        if (!this.running) return
        const due = Math.min(this.totalChunks, Math.floor((this.clock.now - this.startedAt) / FLOOD_EVERY_MS) + 1)
        for (let i = 0; i < CATCH_UP_CHUNKS && this.chunks < due; i++) {
            this.chunks++
            this.send(bytes(FLOOD_CHUNK))
        }
        if (this.chunks >= this.totalChunks) this.stop()
    }

    /** Ends the flood now, if it runs; its counts stay as they are. */
    stop() {
        if (!this.running) return
        clearInterval(this.timer)
        this.final = this.answered()
        this.running = false
        this.onEnd()
    }

    /** The build's counts were cleared: count from zero. */
    rebase() {
        this.baseline = { errs: 0, ovfs: 0, discardedBytes: 0 }
    }

    private answered(): FloodAnswers {
        const now = this.answers()
        return { errs: now.errs - this.baseline.errs, ovfs: now.ovfs - this.baseline.ovfs, discardedBytes: now.discardedBytes - this.baseline.discardedBytes }
    }

    status(): FloodStatus {
        return {
            running: this.running,
            startedAt: this.startedAt,
            endsAt: this.endsAt,
            chunks: this.chunks,
            bytes: this.chunks * FLOOD_CHUNK.length,
            ...(this.final ?? this.answered()),
        }
    }
}
