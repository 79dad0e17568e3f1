// The protocol as a test sees it from outside the device, written apart from the firmware's code.

const encoder = new TextEncoder()
const decoder = new TextDecoder("latin1")

export function checksumHex(body: string): string {
    let sum = 0
    for (const byte of encoder.encode(body)) sum ^= byte
    return sum.toString(16).toUpperCase().padStart(2, "0")
}

/** `$body*HH\r\n`, with the right checksum unless `checksum` is given. */
export function frame(body: string, checksum = checksumHex(body)): string {
    return `$${body}*${checksum}\r\n`
}

export function bytes(text: string): Uint8Array {
    return Uint8Array.from(text, c => c.charCodeAt(0))
}

/** A frame the device sent: when its chunk reached the serial peer, and its body split into fields. */
export interface SentFrame {
    at: number
    body: string
    type: string
    fields: string[]
}

/**
 * Splits what the device sent into frames, checking each is well formed:
 * the device must only ever send `$BODY*HH\r\n` with a correct checksum.
 */
export function parseSent(chunks: readonly { at: number; bytes: Uint8Array }[]): SentFrame[] {
    const frames: SentFrame[] = []
    let pending = ""
    for (const chunk of chunks) {
        pending += decoder.decode(chunk.bytes)
        let end: number
        while ((end = pending.indexOf("\r\n")) >= 0) {
            frames.push(parseOne(pending.slice(0, end), chunk.at))
            pending = pending.slice(end + 2)
        }
    }
    if (pending) throw new Error(`the device sent an unterminated frame: ${JSON.stringify(pending)}`)
    return frames
}

function parseOne(text: string, at: number): SentFrame {
    const match = /^\$([\x20-\x7e]+)\*([0-9A-F]{2})$/.exec(text)
    if (!match || text.length + 2 > 82) throw new Error(`the device sent a malformed frame: ${JSON.stringify(text)}`)
    const [, body, checksum] = match
    if (body.includes("$") || body.includes("*")) throw new Error(`the device sent a malformed body: ${JSON.stringify(body)}`)
    if (checksum !== checksumHex(body)) throw new Error(`the device sent a wrong checksum: ${JSON.stringify(text)}`)
    const fields = body.split(",")
    return { at, body, type: fields[0], fields }
}
