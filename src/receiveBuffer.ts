import { DOLLAR, LF, MAX_FRAME_BYTES, parseFrame, type RejectCode, type Reply } from "./frame"

/** What the receive buffer yields: a well-formed reply, or why a frame was rejected. */
export type Inbound = Reply | RejectCode

/**
 * Received serial bytes, framed incrementally. `append` only stores a chunk,
 * so it is cheap enough for an event handler; `next` frames the stored bytes
 * one result at a time. Chunk boundaries never change the results, and a
 * frame in progress never holds more than MAX_FRAME_BYTES.
 */
export class ReceiveBuffer {
    private chunks: Buffer[] = []
    private chunk: Buffer = undefined
    private offset = 0
    /** Outside a frame (at start, after a `\n` or after a too-long frame) bytes are discarded until a `$`. */
    private inFrame = false
    private readonly frame = Buffer.alloc(MAX_FRAME_BYTES)
    /** Bytes of the frame in progress, its `$` included. */
    private frameLength = 0

    append(chunk: Buffer) {
        if (chunk.length > 0) this.chunks.push(chunk)
    }

    /** The next complete result, or undefined once all stored bytes are framed. */
    next(): Inbound | undefined {
        while (true) {
            if (!this.chunk || this.offset >= this.chunk.length) {
                this.chunk = this.chunks.shift()
                this.offset = 0
                if (!this.chunk) return undefined
            }
            const result = this.take(this.chunk[this.offset++])
            if (result !== undefined) return result
        }
    }

    private startFrame() {
        this.inFrame = true
        this.frameLength = 1
    }

    private take(byte: number): Inbound | undefined {
        if (!this.inFrame) {
            if (byte === DOLLAR) this.startFrame()
            return undefined
        }
        if (this.frameLength === MAX_FRAME_BYTES) {
            this.inFrame = false
            return "LEN"
        }
        if (byte === DOLLAR) {
            this.startFrame()
            return "FMT"
        }
        if (byte === LF) {
            this.inFrame = false
            // the frame buffer is reused, so the reply keeps a copy of it
            return parseFrame(this.frame.slice(0, this.frameLength - 1))
        }
        this.frame[this.frameLength - 1] = byte
        this.frameLength++
        return undefined
    }
}
