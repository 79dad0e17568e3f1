import { frame, parseSent } from "./frames.js"
import type { Simulation } from "./simulation.js"

/** What the peer needs of a simulation (the VM's or the chip's): its serial server, clock and serial input. */
export type PeerHost = Pick<Simulation, "serial" | "clock" | "inject">

export interface PeerOptions {
    /** How long the peer takes to answer a REQ. */
    replyDelayMs: number
    /** Whether the peer leaves the request `seq` unanswered (so it times out). */
    drops?: (seq: number) => boolean
    /** The payload of the reply to `seq`. */
    payload?: (seq: number) => string
}

/**
 * A serial peer that answers every REQ the device sends with a RES after a
 * delay, on the simulation's virtual clock.
 */
export function autoReply(sim: PeerHost, options: PeerOptions) {
    const { replyDelayMs, drops = () => false, payload = seq => `ok${seq}` } = options
    sim.serial.onSend(chunk => {
        for (const sent of parseSent([chunk])) {
            if (sent.type !== "REQ") continue
            const seq = Number(sent.fields[1])
            if (drops(seq)) continue
            sim.clock.setTimeout(() => void sim.inject(frame(`RES,${seq},${payload(seq)}`)), replyDelayMs)
        }
    })
}
