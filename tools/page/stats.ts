// A build's figures: what it was asked and what it sent, counted, with its press→REQ latencies.
import { median } from "../lib/stats.js"
import { discardedBytes } from "./lines.js"
import type { WakeupRates } from "./wakeups.js"

export interface Counts {
    presses: number
    reqs: number
    acks: number
    tmos: number
    /** Every ERR frame, OVF included. */
    errs: number
    /** `ERR,OVF,<n>` frames, and the bytes they say were discarded. */
    ovfs: number
    discardedBytes: number
}

export interface Stats extends Counts, WakeupRates {
    inFlight: number
    lastPressToReqMs: number | null
    medianPressToReqMs: number | null
}

const LATENCIES_KEEP = 1000
/** A press whose answer has not come this long after it is taken as unanswered (pressed before RDY, say). */
const PRESS_ANSWER_WITHIN_MS = 1000
const NO_COUNTS: Counts = { presses: 0, reqs: 0, acks: 0, tmos: 0, errs: 0, ovfs: 0, discardedBytes: 0 }

export class Tally {
    counts: Counts = { ...NO_COUNTS }
    private readonly unansweredPresses: number[] = []
    private readonly inFlight = new Set<string>()
    private readonly latencies: number[] = []

    pressed(at: number) {
        this.unansweredPresses.push(at)
        this.counts.presses++
    }

    /**
     * Counts a frame the build sent (`text` printable, of `type`, split into its `fields`);
     * returns what the monitor notes beside it: the latency from the press it
     * answers, or the bytes an `ERR,OVF` says were discarded.
     */
    sent(at: number, text: string, type: string, fields: string[]): string | undefined {
        let note: string | undefined
        if (type === "REQ" || text.startsWith("$ERR,BUSY*")) note = this.answered(at, type === "REQ")
        if (type === "REQ") {
            this.counts.reqs++
            this.inFlight.add(fields[1])
        } else if (type === "ACK" || type === "TMO") {
            this.counts[type === "ACK" ? "acks" : "tmos"]++
            this.inFlight.delete(fields[1])
        } else if (type === "ERR") {
            this.counts.errs++
        }
        const discarded = discardedBytes(text)
        if (discarded !== undefined) {
            this.counts.ovfs++
            this.counts.discardedBytes += discarded
            note = `${discarded.toLocaleString("en-US")} received bytes discarded: no room to hold them`
        }
        return note
    }

    /** A press answered (by its REQ or ERR,BUSY): the latency's note, if the press is known. */
    private answered(at: number, isRequest: boolean): string | undefined {
        while (this.unansweredPresses.length && at - this.unansweredPresses[0] > PRESS_ANSWER_WITHIN_MS) this.unansweredPresses.shift()
        const pressedAt = this.unansweredPresses.shift()
        if (pressedAt === undefined) return undefined
        const latency = at - pressedAt
        if (isRequest) {
            this.latencies.push(latency)
            if (this.latencies.length > LATENCIES_KEEP) this.latencies.shift()
        }
        return `${latency.toFixed(2)} ms after the press`
    }

    stats(rates: WakeupRates): Stats {
        return {
            ...this.counts,
            inFlight: this.inFlight.size,
            lastPressToReqMs: this.latencies.at(-1) ?? null,
            medianPressToReqMs: this.latencies.length ? median(this.latencies) : null,
            ...rates,
        }
    }

    /** Forgets the counts and latencies (requests in flight stay: they are the device's state). */
    clear() {
        this.latencies.length = 0
        this.counts = { ...NO_COUNTS }
    }
}
