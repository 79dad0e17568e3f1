// Smoke test: the VM as the CLI runs it (`devs run --tcp`, its own process and framing, real time)
// and the in-process VM (virtual clock) send the same frames for the same inputs.
// `devs run --tcp` always uses port 8082: no other test file may use it, and these tests run in sequence.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, program, simulateReady } from "../support/simulate.js"
import { TcpVmSession } from "../../sim/index.js"
import { checksumHex, frame } from "../../host/index.js"

/** The gap between inputs, in real time for the TCP VM and in virtual time for the simulation. */
const STEP_MS = 150
/** After the last step: long enough for the open request to time out (TMO within 1000–1100 ms). */
const TAIL_MS = 1300

interface Device {
    press(): Promise<void>
    inject(text: string): Promise<void>
}

function badChecksum(body: string): string {
    return frame(body, checksumHex(body) === "00" ? "01" : "00")
}

const STEPS: ((device: Device) => Promise<void>)[] = [
    d => d.press(),
    d => d.inject(frame("RES,0,hello, world")),
    d => d.inject(badChecksum("RES,0,late")),
    d => d.press(),
    d => d.inject(frame("RES,9,x")),
]

const EXPECTED_AFTER_RDY = ["REQ,0", "ACK,0,hello, world", "ERR,CHK", "REQ,1", "ERR,SEQ,9", "TMO,1"]

describe("devs run --tcp and the in-process VM agree", () => {
    for (const build of BUILD_NAMES) {
        test(`${build} build`, async () => {
            const sim = await simulateReady(build)
            for (const step of STEPS) {
                await step(sim)
                await sim.advance(STEP_MS)
            }
            await sim.advance(TAIL_MS)

            const tcp = await TcpVmSession.start(build, { program: program(build) })
            try {
                await tcp.untilReady(5000)
                for (const step of STEPS) {
                    await step(tcp)
                    await tcp.sleep(STEP_MS)
                }
                await tcp.waitFor(() => tcp.frames.length >= 1 + EXPECTED_AFTER_RDY.length, TAIL_MS + 500, "TMO,1")
                await tcp.sleep(100) // anything extra would show up here

                const bodies = (frames: { body: string }[]) => frames.map(f => f.body)
                const context = `TCP VM output:\n${tcp.output.join("\n")}`
                expect(bodies(tcp.frames), context).toEqual(bodies(sim.frames))
                expect(bodies(tcp.frames)).toEqual([`RDY,${build}`, ...EXPECTED_AFTER_RDY])
                expect(tcp.ledSwitches.map(s => s.on), context).toEqual(sim.ledSwitches.map(s => s.on))
                // Timers run on the wall clock there, on the virtual clock here: TMO,1 comes about 1000 ms after REQ,1 in both.
                const tmoDelay = (frames: { body: string; at: number }[]) =>
                    frames.find(f => f.body === "TMO,1")!.at - frames.find(f => f.body === "REQ,1")!.at
                expect(tmoDelay(sim.frames)).toBeGreaterThanOrEqual(1000)
                expect(tmoDelay(sim.frames)).toBeLessThanOrEqual(1100)
                expect(tmoDelay(tcp.frames), context).toBeGreaterThanOrEqual(900) // bus arrival times: the REQ may come late
                expect(tmoDelay(tcp.frames), context).toBeLessThanOrEqual(1500) // real time: leave room for a loaded machine
                expect(tcp.crashes(), "the TCP VM crashed").toEqual([])
                expect(sim.crashes(), "the in-process VM crashed").toEqual([])
            } finally {
                await tcp.stop()
            }
        })
    }
})
