// SPEC timing: answers never out of order, also when a press and serial input arrive within one
// superloop pass (10 ms): each is answered in the order it arrived.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { frame } from "../../../host/index.js"

describe.each(BUILD_NAMES)("%s build", build => {
    test.each([0, 1, 3, 6, 9])("input, then a press %i ms later: the ERR before the REQ", async gapMs => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 3; i++) {
            await sim.inject(frame(`RES,${50 + i},stray`))
            await sim.advance(gapMs)
            await sim.press()
            await sim.advance(100)
        }
        expect(sim.bodies()).toEqual(["ERR,SEQ,50", "REQ,0", "ERR,SEQ,51", "REQ,1", "ERR,SEQ,52", "REQ,2"])
    })

    test.each([0, 1, 3, 6, 9])("a press, then input %i ms later: the REQ before the ERR", async gapMs => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 3; i++) {
            await sim.press()
            await sim.advance(gapMs)
            await sim.inject(frame(`RES,${50 + i},stray`))
            await sim.advance(100)
        }
        expect(sim.bodies()).toEqual(["REQ,0", "ERR,SEQ,50", "REQ,1", "ERR,SEQ,51", "REQ,2", "ERR,SEQ,52"])
    })

    test("a reply that comes with the presses, before its REQ has gone out, is answered in its place: never 5 in flight", async () => {
        const sim = await simulateReady(build)
        for (let i = 0; i < 3; i++) await sim.press()
        await sim.inject(frame("RES,2,x"))
        await sim.press()
        await sim.press()
        await sim.advance(300)
        expect(sim.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "ACK,2,x", "REQ,3", "REQ,4"])
    })
})
