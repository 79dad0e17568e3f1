// Lines on a build's serial link as the page handles them: how the monitor shows one, its frame type,
// what an ERR,OVF reports, and a checksum that is surely wrong.
import { checksumHex } from "../../host/index.js"

/** A checksum that is surely wrong for `body`. */
export function wrongChecksum(body: string): string {
    return (parseInt(checksumHex(body), 16) ^ 0x5a).toString(16).toUpperCase().padStart(2, "0")
}

/** A received or sent line as the monitor shows it: non-printable bytes as `\xHH`, without its `\r\n`. */
export function printable(line: string): string {
    const trimmed = line.replace(/\r?\n$/, "")
    return trimmed.replace(/[^\x20-\x7e]/g, c => (c === "\r" ? "\\r" : c === "\n" ? "\\n" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`))
}

/** A frame's type: the first field of its body (`RES`, `ACK`...), or `?` when it is no frame. */
export function frameType(line: string): string {
    return /^\$([A-Za-z]+)[,*]/.exec(line)?.[1]?.toUpperCase() ?? "?"
}

/** A printable frame's fields: its body split at commas (none when it is no frame). */
export function frameFields(text: string): string[] {
    return /^\$([^*]*)\*/.exec(text)?.[1]?.split(",") ?? []
}

/** The count of bytes an `ERR,OVF,<n>` frame reports, or undefined for any other frame. */
export function discardedBytes(text: string): number | undefined {
    const n = /^\$ERR,OVF,(\d+)\*/.exec(text)?.[1]
    return n === undefined ? undefined : Number(n)
}
