/** At most this many requests are in flight. */
export const MAX_IN_FLIGHT = 4
/** A request with no reply this long after its `REQ` times out. */
export const REPLY_TIMEOUT_MS = 1000

/** Returned by `open` when MAX_IN_FLIGHT requests are already in flight. */
export const BUSY = -1

const FREE = -1

/**
 * The requests in flight, each a `<seq>` and its deadline. Sequence numbers
 * count accepted requests from 0 and wrap from 255 to 0.
 */
export class RequestTable {
    private readonly seqs: number[] = []
    private readonly deadlines: number[] = []
    private nextSeq = 0
    private count = 0

    constructor() {
        for (let i = 0; i < MAX_IN_FLIGHT; ++i) {
            this.seqs.push(FREE)
            this.deadlines.push(0)
        }
    }

    inFlight(): number {
        return this.count
    }

    /** Opens a request at `now` (its timeout counts from then until `sent`); its seq, or BUSY (and no seq used up). */
    open(now: number): number {
        const slot = this.seqs.indexOf(FREE)
        if (slot < 0) return BUSY
        const seq = this.nextSeq
        this.nextSeq = (seq + 1) & 0xff
        this.seqs[slot] = seq
        this.deadlines[slot] = now + REPLY_TIMEOUT_MS
        this.count++
        return seq
    }

    /** The REQ of `seq` went out at `now`: its timeout counts from then (SPEC rule 3). */
    sent(seq: number, now: number) {
        const slot = this.seqs.indexOf(seq)
        if (slot >= 0) this.deadlines[slot] = now + REPLY_TIMEOUT_MS
    }

    /** Ends request `seq`; false when it was not in flight. */
    close(seq: number): boolean {
        const slot = this.seqs.indexOf(seq)
        if (slot < 0) return false
        this.seqs[slot] = FREE
        this.count--
        return true
    }

    /** The in-flight request whose deadline passed first by `now`, or -1. */
    firstExpired(now: number): number {
        let found = -1
        for (let slot = 0; slot < MAX_IN_FLIGHT; ++slot) {
            if (this.seqs[slot] === FREE || this.deadlines[slot] > now) continue
            if (found < 0 || this.deadlines[slot] < this.deadlines[found]) found = slot
        }
        return found < 0 ? -1 : this.seqs[found]
    }

    /** Milliseconds from `now` until request `seq` times out (0 if past), or -1 if it is not in flight. */
    timeLeft(seq: number, now: number): number {
        const slot = this.seqs.indexOf(seq)
        if (slot < 0) return -1
        return Math.max(0, this.deadlines[slot] - now)
    }
}
