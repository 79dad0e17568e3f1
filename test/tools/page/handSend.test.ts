// A line sent by hand: what the preview shows is what is sent.
import { describe, expect, test } from "vitest"
import { frame } from "../../../host/index.js"
import { handLine, handPreview, MAX_HAND_BYTES } from "../../../tools/page/handSend.js"
import { printable } from "../../../tools/page/lines.js"

describe("sending by hand", () => {
    test.each(["RES,0,hello", "RES,200,x", "A", "RES,1,\u00e9"])("the preview of %j is the line sent, with its checksum and with a wrong one", text => {
        const right = handLine(text, "right").line
        const wrong = handLine(text, "wrong").line
        expect(right).toBe(frame(text))
        expect(wrong).not.toBe(right)
        expect(wrong.slice(0, -5)).toBe(right.slice(0, -5))
        expect(handPreview(text)).toEqual({ right: printable(right), wrong: printable(wrong) })
    })

    test("a line starting with $ goes as typed, with \\r\\n added if it has no line end", () => {
        expect(handLine("$RES,1,x*00", "wrong")).toEqual({ line: "$RES,1,x*00\r\n", note: "by hand, as typed" })
        expect(handLine("$A\n", "right").line).toBe("$A\n")
        expect(handPreview("$RES,1,x*00")).toEqual({ asTyped: "$RES,1,x*00" })
    })

    test.each([
        ["", "nothing to send"],
        ["x".repeat(MAX_HAND_BYTES + 1), `at most ${MAX_HAND_BYTES} characters, not ${MAX_HAND_BYTES + 1}`],
        ["RES,0,\u20ac", "only bytes (Latin-1 characters) can be sent"],
    ])("%j cannot be sent: one line says why, to the sender and in the preview", (text, problem) => {
        expect(() => handLine(text, "right")).toThrow(problem)
        expect(handPreview(text)).toEqual({ problem })
    })
})
