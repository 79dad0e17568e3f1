// A line a person sends to a build by hand: a frame body, framed with its checksum (or a wrong one),
// or, starting with `$`, exactly the line typed. The page's preview asks the server (one codec, here).
import { frame } from "../../host/index.js"
import { printable, wrongChecksum } from "./lines.js"

/** The longest line a person may send by hand (a frame may be at most 82 bytes: longer ones test `LEN`). */
export const MAX_HAND_BYTES = 400

export type Checksum = "right" | "wrong"

/** Why `text` cannot be sent, or undefined if it can. */
function whyNot(text: string): string | undefined {
    if (!text) return "nothing to send"
    if (text.length > MAX_HAND_BYTES) return `at most ${MAX_HAND_BYTES} characters, not ${text.length}`
    if (/[^\x00-\xff]/.test(text)) return "only bytes (Latin-1 characters) can be sent"
    return undefined
}

const isAsTyped = (text: string) => text.startsWith("$")

/** The line that sending `text` puts on the link, and the monitor's note about it; throws a one-line error if it cannot be sent. */
export function handLine(text: string, checksum: Checksum): { line: string; note: string } {
    const problem = whyNot(text)
    if (problem) throw new Error(problem)
    if (isAsTyped(text)) return { line: /\n$/.test(text) ? text : `${text}\r\n`, note: "by hand, as typed" }
    if (checksum === "wrong") return { line: frame(text, wrongChecksum(text)), note: "by hand, wrong checksum" }
    return { line: frame(text), note: "by hand" }
}

/** What sending `text` would put on the link, as the monitor shows it: as typed, or with its checksum and with a wrong one. */
export type HandPreview = { asTyped: string } | { right: string; wrong: string } | { problem: string }

export function handPreview(text: string): HandPreview {
    const problem = whyNot(text)
    if (problem) return { problem }
    if (isAsTyped(text)) return { asTyped: printable(handLine(text, "right").line) }
    return { right: printable(handLine(text, "right").line), wrong: printable(handLine(text, "wrong").line) }
}
