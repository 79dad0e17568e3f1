import { DOLLAR, LF, MAX_FRAME_BYTES, parseFrame, type RejectCode, type Reply } from "./frame"

/** What the receive buffer yields: a well-formed reply, or why a frame was rejected. */
export type Inbound = Reply | RejectCode

/**
 * Received serial bytes, framed incrementally. `append` only stores a chunk,
 * so it is cheap enough for an event handler; `next` frames the stored bytes
 * one result at a time. Chunk boundaries never change the results, and a
 * frame in progress never holds more than MAX_FRAME_BYTES.
 *
 * Bytes are scanned with the VM's native `indexOf` and copied with `blitAt`,
 * so the bytecode's work grows with the number of frames, not of bytes.
 */
export class ReceiveBuffer {
    private readonly chunks: Buffer[] = []
    private chunk: Buffer = undefined
    private offset = 0
    /** Outside a frame (at start, after a `\n` or a too-long frame) bytes are discarded until a `$`. */
    private inFrame = false
    private readonly frame = Buffer.alloc(MAX_FRAME_BYTES)
    /** Bytes of the frame in progress, its `$` included. */
    private frameLength = 0
    /** Chunks stored so far, and how many of them `next` has started framing. */
    private appended = 0
    private taken = 0

    append(chunk: Buffer) {
        if (chunk.length > 0) {
            this.chunks.push(chunk)
            this.appended++
        }
    }

    /** How many non-empty chunks have been stored so far. */
    appendedChunks() {
        return this.appended
    }

    /** The number of the stored chunk (counted from 1) that `next` is framing: a result it gives ends in that chunk. */
    currentChunk() {
        return this.taken
    }

    /** The next complete result, or undefined once all stored bytes are framed. */
    next(): Inbound | undefined {
        while (true) {
            if (!this.chunk || this.offset >= this.chunk.length) {
                this.chunk = this.chunks.shift()
                this.offset = 0
                if (!this.chunk) return undefined
                this.taken++
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
