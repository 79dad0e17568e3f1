// The blocking scenario: rounds of presses timed around the job, played on any device (the VM, the emulated Pico).
import { frame, parseSent, type Device, type SentFrame } from "../../../host/index.js"
import type { PeerHost } from "../../../sim/index.js"

/**
 * One round, in ms from its start. Five replied presses (the firmware seals its log at every fifth reply, see
 * src/blocking/replyLog.ts): the last one's reply comes at SEAL_REPLY_AT_MS, so the job starts then. Around it, two
 * presses left unanswered: one pressed about 1000 ms before that reply, so that its timeout falls due while the job
 * runs (TIMES_OUT_BY_MS later at most), and a probe pressed while the job runs or as it ends (PROBE_WITHIN_MS after
 * the reply at most; the job blocks about 155 ms). The offsets vary from round to round, so presses and timeouts meet
 * the job at varied phases. Presses are at least 100 ms apart: the emulated Pico's button is a finger, 50 ms down and
 * 50 ms up.
 */
export const ROUND_MS = 1300
const REPLIED_AT_MS = [500, 600, 700, 800]
const SEALING_AT_MS = 880
const SEAL_REPLY_AT_MS = 1000
const TIMES_OUT_BY_MS = 140
const PROBE_WITHIN_MS = 200
/** The peer answers the other replied presses this long after their REQ. */
export const REPLY_AFTER_MS = 20
/** From RDY to the first round; after the last, until every timeout is due and sent. */
const LEAD_IN_MS = 500
const TAIL_MS = 1300

/** What a press is for: answered, answered with the reply that starts the job, or left unanswered to time out. */
export type PressRole = "replied" | "sealing" | "timesOut" | "probe"

export interface PlannedPress {
    role: PressRole
    round: number
    /** When the scenario presses, on the device's clock. */
    at: number
    /** When the press went down (on the Pico, on the host's next tick, or once the finger is free again). */
    pressedAt?: number
    /** Its REQ or ERR,BUSY; none if the device never saw the press. */
    answer?: SentFrame
}

/** A reply the peer sent: to which seq, when. */
export interface SentReply {
    seq: number
    at: number
}

export interface Recording {
    start: number
    end: number
    presses: PlannedPress[]
    replies: SentReply[]
    /** What the device sent from `start` on. */
    frames: SentFrame[]
    /** RDY frames after the first (a program that restarted) and what the host saw crash. */
    restarts: number
    crashes: string[]
}

/** The golden ratio's fractional part: k × it, modulo 1, spreads the rounds' offsets evenly over their range. */
const SPREAD = 0.6180339887

/** The presses of `rounds` rounds from `start`, in the order they are pressed. */
export function planPresses(start: number, rounds: number): PlannedPress[] {
    const presses: PlannedPress[] = []
    for (let round = 0; round < rounds; round++) {
        const at = start + round * ROUND_MS
        const phase = (round * SPREAD) % 1
        const press = (role: PressRole, offset: number) => presses.push({ role, round, at: at + offset })
        press("timesOut", phase * TIMES_OUT_BY_MS)
        for (const offset of REPLIED_AT_MS) press("replied", offset)
        press("sealing", SEALING_AT_MS)
        press("probe", SEAL_REPLY_AT_MS + ((phase + 0.5) % 1) * PROBE_WITHIN_MS)
    }
    return presses
}

/**
 * The serial peer: it pairs each answer to a press (REQ or ERR,BUSY) with the press it answers, and replies to
 * the REQs of replied presses: REPLY_AFTER_MS later, or, for the sealing press, at its round's SEAL_REPLY_AT_MS.
 *
 * Answers keep the order of the presses, but a device that blocks may never see a press (on the Pico, a press
 * that starts and ends while the VM runs): so an answer belongs to the latest press before it still waiting for
 * one, and the presses before that one never get theirs. In this scenario presses are 100 ms apart or more, and
 * only a press made while the job runs waits longer than that, with no other press before its answer.
 */
class ScenarioPeer {
    readonly replies: SentReply[] = []
    private readonly played: PlannedPress[] = []
    private firstWaiting = 0

    constructor(
        private readonly device: Device & PeerHost,
        private readonly start: number,
        private readonly pressedBefore: number,
    ) {
        device.serial.onSend(chunk => {
            for (const sent of parseSent([chunk])) if (sent.type === "REQ" || sent.body === "ERR,BUSY") this.answered(sent)
        })
    }

    pressed(press: PlannedPress) {
        this.played.push(press)
    }

    /** The presses played so far, with when each went down. */
    presses(): PlannedPress[] {
        this.played.forEach((press, i) => (press.pressedAt ??= this.device.pressedAt[this.pressedBefore + i]))
        return this.played
    }

    private answered(sent: SentFrame) {
        const presses = this.presses()
        let at = this.firstWaiting
        while (at + 1 < presses.length && (presses[at + 1].pressedAt ?? Infinity) <= sent.at) at++
        const press = presses[at]
        if (!press || (press.pressedAt ?? Infinity) > sent.at) return
        press.answer = sent
        this.firstWaiting = at + 1
        if (sent.type !== "REQ") return
        const seq = Number(sent.fields[1])
        if (press.role === "replied") this.replyAt(seq, this.device.now + REPLY_AFTER_MS)
        if (press.role === "sealing") this.replyAt(seq, this.start + press.round * ROUND_MS + SEAL_REPLY_AT_MS)
    }

    private replyAt(seq: number, at: number) {
        this.device.clock.setTimeout(
            () => {
                this.replies.push({ seq, at: this.device.now })
                void this.device.inject(frame(`RES,${seq},log${seq}`))
            },
            Math.max(0, at - this.device.now),
        )
    }
}

/** Plays `rounds` rounds on a device that has sent RDY, and records what happened. */
export async function playBlockingScenario(device: Device & PeerHost, rounds: number): Promise<Recording> {
    const start = Math.ceil(device.now) + LEAD_IN_MS
    const peer = new ScenarioPeer(device, start, device.pressedAt.length)
    for (const press of planPresses(start, rounds)) {
        if (press.at > device.now) await device.advance(press.at - device.now)
        await device.press()
        peer.pressed(press)
    }
    const end = start + rounds * ROUND_MS + TAIL_MS
    await device.advance(end - device.now)
    return {
        start,
        end,
        presses: peer.presses(),
        replies: peer.replies,
        frames: device.frames.filter(f => f.at >= start),
        restarts: device.frames.filter(f => f.type === "RDY").length - 1,
        crashes: device.crashes(),
    }
}
