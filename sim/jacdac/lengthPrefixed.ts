// Jacdac frames over a byte stream, as `devs devtools` (port 8082) and `devs run --tcp` carry them:
// each frame after its length, in 1 byte, or 0xFF and a little-endian u16 for longer frames.

/** The longest frame a 1-byte length can carry; `devs devtools` drops longer ones. */
export const MAX_SHORT_FRAME = 0xfe

/** `frame` after its 1-byte length. */
export function encodeLengthPrefixed(frame: Uint8Array): Uint8Array {
    if (frame.length > MAX_SHORT_FRAME) throw new RangeError(`a frame of ${frame.length} bytes cannot be sent with a 1-byte length`)
    const out = new Uint8Array(1 + frame.length)
    out[0] = frame.length
    out.set(frame, 1)
    return out
}

/** Cuts a byte stream into frames, whatever the chunking. */
export class LengthPrefixedDecoder {
    private pending: Uint8Array = new Uint8Array(0)

    /** Adds `chunk`; returns the frames it completes, in order. */
    push(chunk: Uint8Array): Uint8Array[] {
        this.pending = this.pending.length ? concat(this.pending, chunk) : chunk
        const frames: Uint8Array[] = []
        for (;;) {
            const next = this.nextFrame()
            if (!next) break
            frames.push(next)
        }
        return frames
    }

    private nextFrame(): Uint8Array | undefined {
        const pending = this.pending
        if (pending.length < 1) return undefined
        let header = 1
        let length = pending[0]
        if (length === 0xff) {
            if (pending.length < 3) return undefined
            header = 3
            length = pending[1] | (pending[2] << 8)
        }
        if (pending.length < header + length) return undefined
        this.pending = pending.subarray(header + length)
        return pending.slice(header, header + length)
    }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
    const out = new Uint8Array(a.length + b.length)
    out.set(a)
    out.set(b, a.length)
    return out
}
