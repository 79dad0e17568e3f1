// Latency on the wall clock: both builds run in this process in real time, and
// their request cycles alternate, so both see the same machine at the same moments.
import { Simulation, WallClock } from "../../sim/index.js"
import { frame, parseSent, type SentFrame } from "../../host/index.js"
import type { LatencySample } from "./latency.js"

const ANSWER_WITHIN_MS = 2000

/** Resolves with the device's next frame of a given type, as soon as the serial peer receives it. */
class FrameWatch {
    private waiting?: { type: string; resolve: (frame: SentFrame) => void }

    constructor(sim: Simulation) {
        sim.serial.onSend(chunk => {
            for (const sent of parseSent([chunk])) {
                if (this.waiting && sent.type === this.waiting.type) {
                    const { resolve } = this.waiting
                    this.waiting = undefined
                    resolve(sent)
                }
            }
        })
    }

    next(type: string): Promise<SentFrame> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${type} within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS)
            this.waiting = {
                type,
                resolve: sent => {
                    clearTimeout(timer)
                    resolve(sent)
                },
            }
        })
    }
}

interface Device {
    sim: Simulation
    watch: FrameWatch
}

async function start(build: string): Promise<Device> {
    const sim = await Simulation.start({ build, clock: new WallClock() })
    await sim.untilReady()
    return { sim, watch: new FrameWatch(sim) }
}

/** Press; answer the REQ the moment it arrives; wait for the ACK. */
async function cycle({ sim, watch }: Device): Promise<LatencySample> {
    const pressedAt = sim.now
    const req = watch.next("REQ")
    await sim.press()
    const reqFrame = await req
    const repliedAt = sim.now
    const ack = watch.next("ACK")
    await sim.inject(frame(`RES,${reqFrame.fields[1]},rt`))
    const ackFrame = await ack
    return {
        pressToReqMs: reqFrame.at - pressedAt,
        resToAckMs: ackFrame.at - repliedAt,
    }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export type RealTimeMode = "isolated" | "backToBack"

/** Back-to-back cycles run in blocks, so each build's own pace sets the gap, not the other build's. */
const BLOCK = 10

/**
 * `cycles` request cycles per build, the builds taking turns: isolated cycles
 * one at a time, each after a pause; back-to-back cycles in blocks of BLOCK,
 * each starting as soon as the previous ACK came.
 */
export async function realTimeLatencies(
    builds: string[],
    mode: RealTimeMode,
    cycles: number,
    onProgress: (done: number) => void,
): Promise<Record<string, LatencySample[]>> {
    const devices = await Promise.all(builds.map(start))
    const samples: Record<string, LatencySample[]> = Object.fromEntries(builds.map(b => [b, []]))
    const turn = mode === "isolated" ? 1 : BLOCK
    try {
        for (let done = 0; done < cycles; done += turn) {
            for (const [index, build] of builds.entries()) {
                await sleep(150 + ((done * 37) % 100))
                for (let i = 0; i < Math.min(turn, cycles - done); i++) samples[build].push(await cycle(devices[index]))
            }
            onProgress(Math.min(done + turn, cycles))
        }
    } finally {
        for (const { sim } of devices) sim.stop()
    }
    return samples
}
