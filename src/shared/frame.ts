// Frames on the serial link: `$<BODY>*<HH>\r\n`, NMEA 0183 style (see README, "Protocol").

/** A whole frame, from `$` to `\n` inclusive, is at most this long. */
export const MAX_FRAME_BYTES = 82
/** The longest `RES` payload: it keeps the echoing `ACK` within MAX_FRAME_BYTES. */
export const MAX_PAYLOAD_BYTES = 68

export const DOLLAR = 0x24
export const STAR = 0x2a
export const COMMA = 0x2c
export const CR = 0x0d
export const LF = 0x0a

/** Why a received frame was rejected; `SEQ` is decided later, by the request table. */
export type RejectCode = "LEN" | "FMT" | "CHK"

/** A well-formed `RES` frame. */
export interface Reply {
    seq: number
    payload: Buffer
}

const HEX_DIGITS = Buffer.from("0123456789ABCDEF")
const RES = Buffer.from("RES")

/** XOR of all bytes of `body`. */
export function checksum(body: Buffer): number {
    let sum = 0
    for (let i = 0; i < body.length; ++i) sum ^= body[i]
    return sum
}

/** Wraps `body` as a frame: `$`, the body, `*`, two upper-case hex digits, `\r\n`. */
export function encodeFrame(body: Buffer): Buffer {
    const frame = Buffer.alloc(body.length + 6)
    const sum = checksum(body)
    frame[0] = DOLLAR
    frame.set(body, 1)
    let i = body.length + 1
    frame[i++] = STAR
    frame[i++] = HEX_DIGITS[sum >> 4]
    frame[i++] = HEX_DIGITS[sum & 0xf]
    frame[i++] = CR
    frame[i] = LF
    return frame
}

export function rdyFrame(build: string): Buffer {
    return encodeFrame(Buffer.from(`RDY,${build}`))
}

export function reqFrame(seq: number): Buffer {
    return encodeFrame(Buffer.from(`REQ,${seq}`))
}

export function ackFrame(seq: number, payload: Buffer): Buffer {
    return encodeFrame(Buffer.from(`ACK,${seq},`).concat(payload))
}

export function tmoFrame(seq: number): Buffer {
    return encodeFrame(Buffer.from(`TMO,${seq}`))
}

/** `ERR,<code>`; `code` is a RejectCode or `BUSY`. */
export function errFrame(code: string): Buffer {
    return encodeFrame(Buffer.from(`ERR,${code}`))
}

export function seqErrFrame(seq: number): Buffer {
    return encodeFrame(Buffer.from(`ERR,SEQ,${seq}`))
}

function hexValue(byte: number): number {
    if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
    const lower = byte | 0x20
    if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
    return -1
}

function isPrintable(byte: number) {
    return byte >= 0x20 && byte <= 0x7e
}

/**
 * The checksum a frame declares after its `*`, or -1 when the tail is not
 * exactly two hex digits and an optional `\r`.
 */
function declaredChecksum(frame: Buffer, star: number): number {
    const tail = frame.length - star - 1
    if (tail !== 2 && !(tail === 3 && frame[frame.length - 1] === CR)) return -1
    const high = hexValue(frame[star + 1])
    const low = hexValue(frame[star + 2])
    if (high < 0 || low < 0) return -1
    return (high << 4) | low
}

/** 1 to 3 decimal digits worth 0 to 255, or -1. */
function parseSeq(digits: Buffer): number {
    if (digits.length < 1 || digits.length > 3) return -1
    let value = 0
    for (let i = 0; i < digits.length; ++i) {
        const digit = digits[i] - 0x30
        if (digit < 0 || digit > 9) return -1
        value = value * 10 + digit
    }
    return value <= 255 ? value : -1
}

function isResType(body: Buffer, firstComma: number) {
    if (firstComma !== RES.length) return false
    for (let i = 0; i < RES.length; ++i) if (body[i] !== RES[i]) return false
    return true
}

function parseFields(body: Buffer): Reply | RejectCode {
    const firstComma = body.indexOf(COMMA)
    if (!isResType(body, firstComma)) return "FMT"
    const secondComma = body.indexOf(COMMA, firstComma + 1)
    if (secondComma < 0) return "FMT"
    const seq = parseSeq(body.slice(firstComma + 1, secondComma))
    const payload = body.slice(secondComma + 1)
    if (seq < 0 || payload.length > MAX_PAYLOAD_BYTES) return "FMT"
    return { seq, payload }
}

/**
 * Checks one received frame, given without its `$` and `\n`, in the order the
 * protocol sets: format, checksum, then the fields of a `RES`.
 */
export function parseFrame(frame: Buffer): Reply | RejectCode {
    const star = frame.indexOf(STAR)
    if (star <= 0) return "FMT"
    const declared = declaredChecksum(frame, star)
    if (declared < 0) return "FMT"
    const body = frame.slice(0, star)
    for (let i = 0; i < body.length; ++i) if (!isPrintable(body[i])) return "FMT"
    if (checksum(body) !== declared) return "CHK"
    return parseFields(body)
}
