// The protocol (docs/protocol.md) as a host-side model, written from the text of the contract and not
// from the firmware: what the device must send for the bytes and presses it gets.
// It works on whole strings with regular expressions, where the firmware scans bytes.

/** A frame, from its `$` to its `\n`, is at most this long. */
export const MAX_FRAME = 82
const MAX_PAYLOAD = 68
/** Rule 10: at most this many received bytes wait to be framed; a chunk that fits in what is left is kept. */
export const STORE_BYTES = 512
/** Requests in flight at most (rule 1). */
export const MAX_IN_FLIGHT = 4

/** The answer a well-formed frame's body gets from the checks of protocol rule 5 (before SEQ). */
export function checkFrame(frameWithoutDollarAndLf: string): { reject: string } | { seq: number; payload: string } {
    const star = frameWithoutDollarAndLf.indexOf("*")
    if (star < 0) return { reject: "FMT" }
    const body = frameWithoutDollarAndLf.slice(0, star)
    const tail = frameWithoutDollarAndLf.slice(star + 1)
    if (body === "" || !/^[0-9A-Fa-f]{2}\r?$/.test(tail) || !/^[\x20-\x7e]*$/.test(body)) return { reject: "FMT" }
    const sum = [...body].reduce((x, c) => x ^ c.charCodeAt(0), 0)
    if (sum !== parseInt(tail.slice(0, 2), 16)) return { reject: "CHK" }
    const match = /^RES,(\d{1,3}),(.*)$/s.exec(body)
    if (!match || Number(match[1]) > 255 || match[2].length > MAX_PAYLOAD) return { reject: "FMT" }
    return { seq: Number(match[1]), payload: match[2] }
}

/**
 * The device as docs/protocol.md describes it, seen from outside. Feed it what happens at
 * the device's edges, in order; it returns the frame bodies the device must send.
 */
export class SpecModel {
    private nextSeq = 0
    private readonly inFlight: number[] = []
    /** The frame being received: the bytes after its `$`; null outside a frame. */
    private frame: string | null = null

    constructor(firstSeq = 0) {
        this.nextSeq = firstSeq
    }

    /** An independent copy, in the same state. */
    clone(): SpecModel {
        const copy = new SpecModel(this.nextSeq)
        copy.inFlight.push(...this.inFlight)
        copy.frame = this.frame
        return copy
    }

    get requestsInFlight(): readonly number[] {
        return this.inFlight
    }

    get seq(): number {
        return this.nextSeq
    }

    press(): string[] {
        if (this.inFlight.length >= MAX_IN_FLIGHT) return ["ERR,BUSY"]
        const seq = this.nextSeq
        this.nextSeq = (seq + 1) % 256
        this.inFlight.push(seq)
        return [`REQ,${seq}`]
    }

    /** Every request still in flight times out, oldest first. */
    timeOutAll(): string[] {
        return this.inFlight.splice(0).map(seq => `TMO,${seq}`)
    }

    /** Request `seq` times out (rule 3): its TMO, if it is in flight; nothing otherwise. */
    timeOut(seq: number): string[] {
        const at = this.inFlight.indexOf(seq)
        if (at < 0) return []
        this.inFlight.splice(at, 1)
        return [`TMO,${seq}`]
    }

    /** Bytes received on the serial link, one character per byte (latin1). */
    receive(bytes: string): string[] {
        const out: string[] = []
        for (const byte of bytes) {
            const answer = this.receiveByte(byte)
            if (answer !== undefined) out.push(answer)
        }
        return out
    }

    /** One received byte (one latin1 character): the answer it completes, if any. */
    receiveByte(byte: string): string | undefined {
        if (this.frame === null) {
            if (byte === "$") this.frame = ""
            return undefined
        }
        if (this.frame.length + 1 === MAX_FRAME) {
            // this byte is the frame's 83rd: whatever it is, the frame is too long
            this.frame = null
            return "ERR,LEN"
        }
        if (byte === "$") {
            this.frame = ""
            return "ERR,FMT"
        }
        if (byte === "\n") {
            const answer = this.answer(this.frame)
            this.frame = null
            return answer
        }
        this.frame += byte
        return undefined
    }

    /**
     * Rule 10: a received chunk was discarded. The frame in progress is dropped
     * without an answer, and framing goes on outside a frame.
     */
    discardChunk() {
        this.frame = null
    }

    private answer(frame: string): string {
        const checked = checkFrame(frame)
        if ("reject" in checked) return `ERR,${checked.reject}`
        const at = this.inFlight.indexOf(checked.seq)
        if (at < 0) return `ERR,SEQ,${checked.seq}`
        this.inFlight.splice(at, 1)
        return `ACK,${checked.seq},${checked.payload}`
    }
}
