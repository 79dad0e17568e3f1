// The soak: many request cycles on one device (ACK, TMO and ERR mixed), with the heap measured along the way.
import { checksumHex, frame } from "../frames.js"
import type { Device } from "../device.js"

export const SOAK_CYCLES = 10_000
/**
 * How far the heap may end above its idle size. Arrays and objects that grew
 * to hold 4 requests or a burst of frames keep their room; what matters is
 * that this happens once and does not grow with the run.
 */
export const HEAP_BOUND_BYTES = 512
/** How much the heap may change between a quarter of the run and its end. */
export const GROWTH_BOUND_BYTES = 64

export interface SoakFigures {
    idleBytes: number
    quarterBytes: number
    endBytes: number
}

/**
 * Rounds of 4 requests: 2 answered at once, 1 frame with a bad checksum, 1
 * stray reply; the other 2 answered, or left to time out every 10th round.
 * The heap is measured when idle, after a quarter of the cycles, and at the
 * end, by `heapLiveBytes` (for the VM: the instrumented VM's heap walk after a
 * full collection).
 */
export async function soak(sim: Device, heapLiveBytes: () => number, cycles = SOAK_CYCLES): Promise<SoakFigures> {
    const rounds = cycles / 4
    await sim.untilReady()
    await sim.advance(500)
    const idleBytes = heapLiveBytes()
    let quarterBytes = 0
    for (let round = 0; round < rounds; round++) {
        if (round === rounds / 4) {
            await sim.advance(500)
            quarterBytes = heapLiveBytes()
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
    return { idleBytes, quarterBytes, endBytes: heapLiveBytes() }
}
