// The runtime's button server, watched on the emulated Pico: each press it sees, when it sends its "down" event.
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ROOT } from "../../../host/index.js"
import { ChipFiles, findRuntimeElf, startChip, type ChipSimulation } from "../../../sim/index.js"

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)
const elf = paths && findRuntimeElf(paths.runtime)

describe.skipIf(!elf)("the button server's presses (async build)", () => {
    let sim: ChipSimulation

    beforeAll(async () => {
        sim = await startChip({ build: "async" })
        sim.watchButtonDowns()
    }, 400_000)
    afterAll(() => sim?.stop())

    test("each press is seen once, within a poll of the pin going down, and still answered", { timeout: 120_000 }, async () => {
        const since = sim.now
        for (let n = 0; n < 3; n++) {
            await sim.press()
            await sim.advance(100)
        }
        const presses = sim.pressedAt.filter(at => at >= since)
        expect(sim.buttonDowns).toHaveLength(3)
        // the server polls its pin every 9 ms while the runtime is idle
        sim.buttonDowns.forEach((down, i) => expect(down - presses[i]).toBeGreaterThanOrEqual(0))
        sim.buttonDowns.forEach((down, i) => expect(down - presses[i]).toBeLessThan(20))
        expect(sim.bodies(since).filter(b => b.startsWith("REQ,"))).toEqual(["REQ,0", "REQ,1", "REQ,2"])
    })
})
