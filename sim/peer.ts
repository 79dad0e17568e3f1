import type { Scheduler } from "jacdac-ts"
import { frame, parseSent } from "../host/frames.js"
import type { SimSerial } from "./servers/serial.js"

export interface PeerOptions {
    /** How long the peer takes to answer a REQ. */
    replyDelayMs: number
    /** Whether the peer leaves the request `seq` unanswered (so it times out). */
    drops?: (seq: number) => boolean
    /** The payload of the reply to `seq`. */
    payload?: (seq: number) => string
}

/** Where the peer listens and answers: a `Simulation`, the emulated chip, or the parts on any bus with that bus's scheduler. */
export interface PeerHost {
    readonly serial: SimSerial
    readonly clock: Pick<Scheduler, "setTimeout">
    inject(data: string): Promise<void>
}

/**
 * A serial peer that answers every REQ the device sends with a RES after a
 * delay, on the host's clock (a simulation's virtual clock, or real time).
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
