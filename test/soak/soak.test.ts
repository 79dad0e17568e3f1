// A long run per build: 10,000 request cycles (ACK, TMO and ERR mixed), then the heap is back to its idle size.
import { describe, expect, test } from "vitest"
import { heapLiveBytes, instrumentedModuleOptions } from "../../tools/compare/instrumentedVm.js"
import { BUILD_NAMES, simulate } from "../support/simulate.js"
import { checksumHex, frame } from "../../sim/index.js"

const CYCLES = 10_000
/** Each round: 4 requests; 2 answered at once, 1 bad frame, 1 stray reply; the other 2 answered, or left to time out every 10th round. */
const ROUNDS = CYCLES / 4
/**
 * How far the heap may end above its idle size. Arrays and objects that grew
 * to hold 4 requests or a burst of frames keep their room (measured: +156 bytes
 * for the superloop, +308 for the async build, whose reply records are keyed by
 * seq); what matters is that this happens once and does not grow with the run.
 */
const HEAP_BOUND_BYTES = 512
/** Between a quarter of the run and its end, the heap may not grow at all (but for GC timing noise). */
const GROWTH_BOUND_BYTES = 64

describe.each(BUILD_NAMES)("%s build", build => {
    test(`${CYCLES.toLocaleString("en-US")} request cycles, and the heap returns to its idle size`, async () => {
        const sim = await simulate(build, { moduleOptions: instrumentedModuleOptions() })
        await sim.untilReady()
        await sim.advance(500)
        const idleBytes = heapLiveBytes(sim.module)
        let quarterBytes = 0
        for (let round = 0; round < ROUNDS; round++) {
            if (round === ROUNDS / 4) {
                await sim.advance(500)
                quarterBytes = heapLiveBytes(sim.module)
            }
            const seq = (k: number) => (4 * round + k) % 256
            for (let k = 0; k < 4; k++) await sim.press()
            await sim.advance(30)
            await sim.inject(frame(`RES,${seq(0)},a`) + frame(`RES,${seq(1)},b`) + frame("RES,1,x", checksumHex("RES,1,x") === "00" ? "01" : "00") + frame("RES,300,stray"))
            await sim.advance(30)
            if (round % 10 === 9) {
                await sim.advance(1100)
            } else {
                await sim.inject(frame(`RES,${seq(2)},c`) + frame(`RES,${seq(3)},d`))
                await sim.advance(30)
            }
        }
        await sim.advance(500)
        const soakedBytes = heapLiveBytes(sim.module)
        const count = (prefix: string) => sim.bodies().filter(b => b.startsWith(prefix)).length
        expect({ REQ: count("REQ"), ACK: count("ACK"), TMO: count("TMO"), CHK: count("ERR,CHK"), FMT: count("ERR,FMT"), BUSY: count("ERR,BUSY") }).toEqual({
            REQ: CYCLES,
            ACK: CYCLES - ROUNDS / 10 * 2,
            TMO: (ROUNDS / 10) * 2,
            CHK: ROUNDS,
            FMT: ROUNDS,
            BUSY: 0,
        })
        expect(sim.led.isOn).toBe(false)
        console.log(`${build}: heap ${idleBytes} bytes idle, ${quarterBytes} after ${CYCLES / 4} cycles, ${soakedBytes} after ${CYCLES}`)
        expect(soakedBytes - idleBytes).toBeLessThanOrEqual(HEAP_BOUND_BYTES)
        expect(Math.abs(soakedBytes - quarterBytes)).toBeLessThanOrEqual(GROWTH_BOUND_BYTES)
    }, 300_000)
})
