import { DOLLAR, LF, MAX_FRAME_BYTES, parseFrame, type RejectCode, type Reply } from "./frame"

/** At most this many received bytes wait to be framed; a chunk that would exceed it is discarded (SPEC rule 10). */
export const MAX_UNFRAMED_BYTES = 512

/** A run of discarded chunks, as the code of its `ERR` frame: `OVF,<bytes discarded>`. */
export type Overflow = `OVF,${number}`

/**
 * What the receive buffer yields, in the order of the input: a well-formed
 * reply, or the code of the `ERR` frame that answers a rejected frame or a
 * run of discarded chunks.
 */
export type Inbound = Reply | RejectCode | Overflow

/**
 * Received serial bytes, framed incrementally. `append` only stores a chunk,
 * so it is cheap enough for an event handler; `next` frames the stored bytes
 * one result at a time. Chunk boundaries never change the results, and a
 * frame in progress never holds more than MAX_FRAME_BYTES.
 *
 * The store is bounded: at most MAX_UNFRAMED_BYTES wait in it. A chunk that
 * does not fit is discarded whole, and a run of them leaves one count in the
 * queue, in the place of its bytes; `next` yields it as `OVF,<n>` and drops
 * the frame in progress there.
 *
 * Bytes are scanned with the VM's native `indexOf` and copied with `blitAt`,
 * so the bytecode's work grows with the number of frames, not of bytes.
 */
export class ReceiveBuffer {
    /** Chunks waiting to be framed, and for each run of discarded chunks the number of their bytes. */
    private readonly queue: (Buffer | number)[] = []
    /** Bytes of the chunks in `queue`. */
    private queuedBytes = 0
    private chunk: Buffer = undefined
    private offset = 0
    /** Outside a frame (at start, after a `\n` or a too-long frame) bytes are discarded until a `$`. */
    private inFrame = false
    private readonly frame = Buffer.alloc(MAX_FRAME_BYTES)
    /** Bytes of the frame in progress, its `$` included. */
    private frameLength = 0

    /** Stores `chunk` if it fits, or counts it as discarded. */
    append(chunk: Buffer) {
        if (chunk.length === 0) return
        if (this.unframedBytes() + chunk.length <= MAX_UNFRAMED_BYTES) {
            this.queue.push(chunk)
            this.queuedBytes += chunk.length
            return
        }
        const last = this.queue.length - 1
        if (last >= 0 && typeof this.queue[last] === "number") {
            this.queue[last] = (this.queue[last] as number) + chunk.length
        } else {
            this.queue.push(chunk.length)
        }
    }

    /** Received bytes stored and not framed yet. */
    unframedBytes(): number {
        return this.queuedBytes + (this.chunk ? this.chunk.length - this.offset : 0)
    }

    /** Items waiting in the store, not yet taken by `next`: kept chunks, and runs of discarded ones. */
    storedItems(): number {
        return this.queue.length
    }

    /** The next complete result, or undefined once all stored bytes are framed. */
    next(): Inbound | undefined {
        while (true) {
            if (!this.chunk || this.offset >= this.chunk.length) {
                const item = this.queue.shift()
                this.chunk = undefined
                this.offset = 0
                if (item === undefined) return undefined
                if (typeof item === "number") {
                    // the frame in progress is cut: the OVF answers for it
                    this.inFrame = false
                    return `OVF,${item}` as Overflow
                }
                this.chunk = item
                this.queuedBytes -= item.length
            }
            const result = this.inFrame ? this.continueFrame() : this.findFrameStart()
            if (result !== undefined) return result
        }
    }

    private startFrame() {
        this.inFrame = true
        this.frameLength = 1
    }

    private findFrameStart(): undefined {
        const dollar = this.chunk.indexOf(DOLLAR, this.offset)
        if (dollar < 0) {
            this.offset = this.chunk.length
        } else {
            this.offset = dollar + 1
            this.startFrame()
        }
        return undefined
    }

    /** Adds the current chunk's bytes to the frame, up to the frame's end if it is in this chunk. */
    private continueFrame(): Inbound | undefined {
        const { chunk, offset } = this
        const stop = firstTerminator(chunk, offset)
        const room = MAX_FRAME_BYTES - this.frameLength
        const copied = Math.min(stop - offset, room)
        this.frame.blitAt(this.frameLength - 1, chunk, offset, copied)
        this.frameLength += copied
        this.offset = offset + copied
        if (this.offset === chunk.length) return undefined

        const byte = chunk[this.offset++]
        if (this.frameLength === MAX_FRAME_BYTES) {
            // the 83rd byte, whatever it is
            this.inFrame = false
            return "LEN"
        }
        if (byte === DOLLAR) {
            this.startFrame()
            return "FMT"
        }
        this.inFrame = false
        // `slice` copies, so the reply outlives the reused frame buffer
        return parseFrame(this.frame.slice(0, this.frameLength - 1))
    }
}

/** The index of the first `$` or `\n` in `chunk` from `offset`, or its length. */
function firstTerminator(chunk: Buffer, offset: number): number {
    const dollar = chunk.indexOf(DOLLAR, offset)
    const lf = chunk.indexOf(LF, offset, dollar < 0 ? chunk.length : dollar)
    if (lf >= 0) return lf
    return dollar < 0 ? chunk.length : dollar
}
