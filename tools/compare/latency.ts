// Press→REQ and RES→ACK latencies of one request cycle in the VM, measured from outside the device (host/device.ts).
import { requestCycle as cycle } from "../../host/index.js"
import type { Simulation } from "../../sim/index.js"

export interface LatencySample {
    pressToReqMs: number
    resToAckMs: number
}

const WITHIN_MS = 1000

/** Press, wait for the REQ, answer it at once, wait for the ACK; `stepMs` is how finely virtual time advances meanwhile. */
export async function requestCycle(sim: Simulation, stepMs: number): Promise<LatencySample> {
    const result = await cycle(sim, { withinMs: WITHIN_MS, stepMs, replyAfterMs: 0, payload: "lat" })
    if (result.resToAckMs === undefined) throw new Error(`no REQ within ${WITHIN_MS} ms of a press`)
    return { pressToReqMs: result.pressToReqMs!, resToAckMs: result.resToAckMs }
}
