// A press traced through the real runtime on the emulated Pico: every stamp, in the order the press passes them.
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ChipFiles, findRuntimeElf, readElfFunctions, startChip, type ChipSimulation } from "../../../sim/index.js"
import { ROOT } from "../../../host/index.js"
import { pressStamps, tracePresses } from "../../../sim/chip/pressTrace.js"
import type { FunctionTrace } from "../../../sim/chip/functionTrace.js"

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)
const elf = paths && findRuntimeElf(paths.runtime)

// The stamps need the runtime's symbols, which only a local build has (DeviceScript's releases ship the UF2 alone).
describe.skipIf(!elf)("a press traced through the runtime (async build)", () => {
    let sim: ChipSimulation
    let trace: FunctionTrace

    beforeAll(async () => {
        sim = await startChip({ build: "async" })
        trace = tracePresses(sim.pico, readElfFunctions(readFileSync(elf!)))
    }, 400_000)
    afterAll(() => {
        trace?.stop()
        sim?.stop()
    })

    test("the poll, the event's delivery, the sending fiber, the send, the packet, its USB frame, then the host's REQ", { timeout: 120_000 }, async () => {
        const since = sim.now
        await sim.press()
        await sim.until(() => sim.frames.some(f => f.at >= since && f.type === "REQ"), 200, "a REQ after the press")
        const pressUs = sim.button.pressedAt.at(-1)! * 1000
        const reqUs = sim.frames.find(f => f.at >= since && f.type === "REQ")!.at * 1000
        const s = pressStamps(trace.entries, pressUs, reqUs)
        const order = [s.press, s.sampled, s.delivered, s.running, s.sendCalled, s.sendLeft, s.toUsb, s.reqAtHost]
        expect(order.every(stamp => stamp !== undefined), JSON.stringify(s)).toBe(true)
        expect(order).toEqual([...order].sort((a, b) => a! - b!))
        // the button server polls every 9 ms, when the core is awake: at worst after one of the runtime's 10 ms sleeps
        expect(s.sampled! - s.press).toBeLessThanOrEqual(20_000)
    })
})
