// A job that does not yield, for the "don't block the loop" comparison (tools/compare/blocking/): no build
// imports this module; only the comparison's variants of each build do.

/**
 * Bytes of reply payloads the log keeps, the oldest overwritten first. Sized for the VM's limit: it stops a fiber
 * that runs 128K bytecode instructions without yielding, and a byte of the seal costs 27; so 2 KB (55K instructions,
 * about 155 ms on an RP2040) leaves room for the rest of the run it happens in.
 */
export const LOG_BYTES = 2048
/** Every this many replies the log is sealed: a checksum over all of it, which a save to flash would store beside it. */
export const SEAL_EVERY = 5
/** Bytes a seal cut into slices checksums at a time: about 1,700 instructions, 5 ms on an RP2040. */
export const SEAL_SLICE_BYTES = 64
/**
 * The pause between two slices, longer than a slice takes. The runtime runs the fiber that has waited longest
 * first, so after a shorter pause the seal would go first at each turn, and a press, whose REQ takes its task
 * several turns (the task, its send, the background flush), would wait a slice at every one of them.
 */
export const SEAL_PAUSE_MS = 10

/**
 * The payloads of the replies, in a ring of LOG_BYTES, and their seal: a
 * Fletcher-16 checksum of the whole ring. A seal runs in one go (`seal`) or
 * slice by slice (`startSeal`, then `sealBytes` until it returns true).
 */
export class ReplyLog {
    private readonly log = Buffer.alloc(LOG_BYTES)
    private writeAt = 0
    private replies = 0
    /** The checksum of the whole log at its last complete seal, or -1 before the first. */
    sealed = -1
    /** The next byte a seal under way checksums (LOG_BYTES: none under way), and its running sums. */
    private sealAt = LOG_BYTES
    private sum1 = 0
    private sum2 = 0

    /** Keeps a reply's payload; true when the log is due for its seal. */
    add(payload: Buffer): boolean {
        const first = Math.min(payload.length, LOG_BYTES - this.writeAt)
        this.log.blitAt(this.writeAt, payload, 0, first)
        if (first < payload.length) this.log.blitAt(0, payload, first, payload.length - first)
        this.writeAt = (this.writeAt + payload.length) % LOG_BYTES
        this.replies++
        return this.replies % SEAL_EVERY === 0
    }

    /** Seals the whole log in one go. */
    seal() {
        this.startSeal()
        this.sealBytes(LOG_BYTES)
    }

    startSeal() {
        this.sealAt = 0
        this.sum1 = 0
        this.sum2 = 0
    }

    /** Checksums up to `count` more bytes of the seal under way; true once the seal is complete. */
    sealBytes(count: number): boolean {
        const log = this.log
        const end = Math.min(LOG_BYTES, this.sealAt + count)
        let sum1 = this.sum1
        let sum2 = this.sum2
        for (let i = this.sealAt; i < end; i++) {
            sum1 = (sum1 + log[i]) % 255
            sum2 = (sum2 + sum1) % 255
        }
        this.sum1 = sum1
        this.sum2 = sum2
        this.sealAt = end
        if (end < LOG_BYTES) return false
        this.sealed = (sum2 << 8) | sum1
        return true
    }
}
