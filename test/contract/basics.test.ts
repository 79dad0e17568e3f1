import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../harness/builds.js"
import { frame } from "../harness/frames.js"

describe.each(BUILD_NAMES)("%s build", build => {
    test("press, reply, ack", async () => {
        const sim = await simulateReady(build)
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,0,hello"))
        await sim.advance(100)
        console.log(sim.frames, sim.led.changes)
        expect(sim.bodies()).toEqual(["REQ,0", "ACK,0,hello"])
    })
})
