// The model of the protocol on the receiver states a flood can leave behind (rules 5 and 10 of docs/protocol.md).
import { describe, expect, test } from "vitest"
import { RESYNC_ANSWERS, SpecModel } from "../../host/checks/index.js"

describe("the model of the protocol", () => {
    test("a `$` that is a frame's 83rd byte makes it too long, and the `\\n` after it is dropped with it (rule 5)", () => {
        const model = new SpecModel()
        expect(model.receive("$" + "x".repeat(81))).toEqual([])
        expect(model.receive("$\n")).toEqual(["ERR,LEN"])
        expect(model.receive("$\n")).toEqual(["ERR,FMT"])
    })

    test("`$\\n` after a flood may get ERR,FMT once or twice, or ERR,LEN when the flood ended 82 bytes into a frame", () => {
        expect([...RESYNC_ANSWERS].sort()).toEqual(["ERR,FMT", "ERR,FMT,ERR,FMT", "ERR,LEN"])
    })
})
