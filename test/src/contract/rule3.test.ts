// SPEC rule 3 at its edges: a reply that arrives within 1000 ms of its REQ is matched, even if the
// device handles it a little later; one that arrives after the request's TMO was sent gets ERR,SEQ;
// in between either may happen, but no request gets both an ACK and a TMO.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { type Simulation } from "../../../sim/index.js"
import { frame } from "../../../host/index.js"

/** Presses and runs 1 ms at a time until the REQ for `seq` reaches the peer; its arrival time. */
async function pressUntilReq(sim: Simulation, seq: number): Promise<number> {
    await sim.press()
    for (let waited = 0; waited <= 100; waited++) {
        const req = sim.frames.find(f => f.body === `REQ,${seq}`)
        if (req) return req.at
        await sim.advance(1)
    }
    throw new Error(`no REQ,${seq} within 100 ms of its press`)
}

/** Runs until `at` (virtual ms), exactly. */
async function advanceTo(sim: Simulation, at: number) {
    expect(sim.now).toBeLessThanOrEqual(at)
    await sim.advance(at - sim.now)
}

/** What the device sent about `seq`, in order: its REQ, then ACK, TMO or ERR,SEQ. */
function about(sim: Simulation, seq: number) {
    return sim.bodies().filter(b => b.split(",").at(b.startsWith("ERR") ? 2 : 1) === String(seq))
}

describe.each(BUILD_NAMES)("%s build", build => {
    test("a reply that arrives 999 ms after its REQ is matched, and no TMO follows", async () => {
        const sim = await simulateReady(build)
        const reqAt = await pressUntilReq(sim, 0)
        await advanceTo(sim, reqAt + 999)
        await sim.inject(frame("RES,0,just in time"))
        await sim.advance(1500)
        expect(sim.bodies()).toEqual(["REQ,0", "ACK,0,just in time"])
        expect(sim.led.isOn).toBe(false)
    })

    // (under overload, input that waits in the receive store counts as arriving when it is framed:
    // these few answers fit in one packet, so nothing waits)
    test("a reply that arrives 999 ms after its REQ behind 5 other frames in one chunk is matched", async () => {
        const sim = await simulateReady(build)
        const reqAt = await pressUntilReq(sim, 0)
        await advanceTo(sim, reqAt + 999)
        const others = Array.from({ length: 5 }, (_, i) => frame(`RES,${100 + i},other`)).join("")
        await sim.inject(others + frame("RES,0,after the others"))
        await sim.advance(1500)
        expect(about(sim, 0)).toEqual(["REQ,0", "ACK,0,after the others"])
        expect(sim.bodies()).toHaveLength(2 + 5)
    })

    test("a reply that arrives right after its TMO reached the peer gets ERR,SEQ", async () => {
        const sim = await simulateReady(build)
        const reqAt = await pressUntilReq(sim, 0)
        await advanceTo(sim, reqAt + 995)
        for (let waited = 0; !sim.bodies().includes("TMO,0"); waited++) {
            expect(waited, "no TMO within 1100 ms of its REQ").toBeLessThan(110)
            await sim.advance(1)
        }
        await sim.inject(frame("RES,0,too late"))
        await sim.advance(200)
        expect(sim.bodies()).toEqual(["REQ,0", "TMO,0", "ERR,SEQ,0"])
    })

    test.each([990, 996, 998, 999, 1000, 1001, 1002, 1004, 1006, 1009, 1012, 1020])(
        "a reply %i ms after its REQ: an ACK, or a TMO and ERR,SEQ, never both",
        async offset => {
            const sim = await simulateReady(build)
            const reqAt = await pressUntilReq(sim, 0)
            await advanceTo(sim, reqAt + offset)
            const tmoBefore = sim.bodies().includes("TMO,0")
            await sim.inject(frame("RES,0,edge"))
            await sim.advance(1500)
            const answers = about(sim, 0)
            if (offset < 1000) expect(answers).toEqual(["REQ,0", "ACK,0,edge"])
            else if (tmoBefore) expect(answers).toEqual(["REQ,0", "TMO,0", "ERR,SEQ,0"])
            else expect([["REQ,0", "ACK,0,edge"], ["REQ,0", "TMO,0", "ERR,SEQ,0"]]).toContainEqual(answers)
            expect(sim.led.isOn).toBe(false)
        },
    )
})
