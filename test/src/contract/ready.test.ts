// Protocol (docs/protocol.md): `RDY` once per run, within 100 ms of the serial role first binding; presses before it are ignored.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulate } from "../../support/simulate.js"
import { frame } from "../../../host/index.js"

describe.each(BUILD_NAMES)("%s build", build => {
    test("sends RDY,<build> within 100 ms of the serial role binding, once", async () => {
        const sim = await simulate(build)
        const rdy = await sim.untilReady()
        const bound = sim.log.find(line => /set role serial ->/.test(line))
        expect(bound, sim.log.join("\n")).toBeDefined()
        const boundAt = Number(bound!.split(" ")[0])
        expect(rdy.fields).toEqual(["RDY", build])
        expect(rdy.at - boundAt).toBeLessThanOrEqual(100)
        await sim.advance(2000)
        expect(sim.frames.filter(f => f.type === "RDY")).toHaveLength(1)
    })

    test("ignores a press before RDY: nothing sent, no seq used", async () => {
        const sim = await simulate(build, { serialPlugged: false })
        await sim.advance(1500) // the button is bound, the serial role is not
        expect(sim.log.some(line => /set role button ->/.test(line))).toBe(true)
        await sim.press()
        await sim.advance(200)
        sim.plugSerial()
        await sim.untilReady()
        await sim.advance(200)
        expect(sim.bodies()).toEqual([])
        expect(sim.led.changes).toEqual([])
        await sim.press()
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0"])
    })

    test("does not send RDY again when the serial role binds again", async () => {
        const sim = await simulate(build)
        await sim.untilReady()
        sim.unplugSerial()
        await sim.advance(3000)
        sim.plugSerial()
        await sim.advance(3000)
        expect(sim.log.filter(line => /set role serial ->/.test(line)).length).toBe(2)
        expect(sim.frames.filter(f => f.type === "RDY")).toHaveLength(1)
        await sim.press()
        await sim.advance(100)
        await sim.inject(frame("RES,0,again"))
        await sim.advance(100)
        expect(sim.bodies()).toEqual(["REQ,0", "ACK,0,again"])
    })
})
