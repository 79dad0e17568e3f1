// The share of the chip's cycles spent busy over a window, idle or under a light load of presses.
import { frame } from "../../host/index.js"
import type { ChipSimulation } from "../../sim/index.js"

/** The load of the busy-share window: a press every 200 ms, answered after 50 ms. */
export const CHIP_LOAD = { pressEveryMs: 200, replyDelayMs: 50 }

/** Busy cycles over all cycles during `ms`: idle, or under CHIP_LOAD. */
export async function busyShareOver(sim: ChipSimulation, ms: number, load: boolean): Promise<number> {
    const before = sim.pico.time.snapshot()
    const end = sim.now + ms
    while (sim.now < end) {
        if (!load) {
            await sim.advance(end - sim.now)
            break
        }
        const seen = sim.frames.length
        await sim.press()
        await sim.advance(CHIP_LOAD.replyDelayMs)
        const req = sim.frames.slice(seen).find(f => f.type === "REQ")
        if (req) await sim.inject(frame(`RES,${req.fields[1]},load`))
        await sim.advance(Math.max(0, Math.min(end - sim.now, CHIP_LOAD.pressEveryMs - CHIP_LOAD.replyDelayMs)))
    }
    return sim.pico.time.busyShareSince(before)
}
