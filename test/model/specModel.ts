// The protocol (docs/protocol.md) as a host-side model, written from the text of the contract and not
// from the firmware: what the device must send for the bytes and presses it gets.
// It works on whole strings with regular expressions, where the firmware scans bytes.

const MAX_FRAME = 82
const MAX_PAYLOAD = 68
const MAX_IN_FLIGHT = 4

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

    /** Bytes received on the serial link, one character per byte (latin1). */
    receive(bytes: string): string[] {
        const out: string[] = []
        for (const byte of bytes) {
            if (this.frame === null) {
                if (byte === "$") this.frame = ""
            } else if (this.frame.length + 1 === MAX_FRAME) {
                // this byte is the frame's 83rd: whatever it is, the frame is too long
                out.push("ERR,LEN")
                this.frame = null
            } else if (byte === "$") {
                out.push("ERR,FMT")
                this.frame = ""
            } else if (byte === "\n") {
                out.push(this.answer(this.frame))
                this.frame = null
            } else {
                this.frame += byte
            }
        }
        return out
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
