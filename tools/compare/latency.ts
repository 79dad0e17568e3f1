// Press→REQ and RES→ACK latencies, measured from outside the device.
import { type Simulation } from "../../sim/index.js"
import { frame } from "../../host/index.js"

export interface LatencySample {
    pressToReqMs: number
    resToAckMs: number
}

const WITHIN_MS = 1000

async function waitForFrame(sim: Simulation, type: string, count: number, stepMs: number) {
    const deadline = sim.now + WITHIN_MS
    while (sim.frames.filter(f => f.type === type).length < count) {
        if (sim.now > deadline) throw new Error(`no ${type} #${count} within ${WITHIN_MS} ms`)
        await sim.advance(stepMs)
    }
    return sim.frames.filter(f => f.type === type)[count - 1]
}

/**
 * One request cycle: press, wait for the REQ, answer it, wait for the ACK.
 * `stepMs` is how finely time advances while waiting (virtual: 1 ms; real: polling).
 */
export async function requestCycle(sim: Simulation, index: number, stepMs: number): Promise<LatencySample> {
    const pressedAt = sim.now
    await sim.press()
    const req = await waitForFrame(sim, "REQ", index + 1, stepMs)
    const repliedAt = sim.now
    await sim.inject(frame(`RES,${req.fields[1]},lat`))
    const ack = await waitForFrame(sim, "ACK", index + 1, stepMs)
    return {
        pressToReqMs: req.at - pressedAt,
        resToAckMs: ack.at - repliedAt,
    }
}
