// The checks both builds pass on the emulated Pico (SPEC rules 1-3, 5 and 7), one device per build, in order.
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { startChip, type ChipSimulation } from "../../../sim/index.js"
import { type BuildName, frame, type SentFrame } from "../../../host/index.js"

/** Bundling waits for the ports lock and takes ~45 s; booting to RDY ~1.2 s of emulated time. */
const START_TIMEOUT_MS = 400_000
/** Each check runs at most a few emulated seconds: ~5-10x that in wall time on a busy machine. */
const CHECK_TIMEOUT_MS = 120_000

export function chipChecks(build: BuildName) {
    describe(`${build} build on an emulated Pico`, () => {
        let sim: ChipSimulation

        beforeAll(async () => {
            sim = await startChip({ build })
        }, START_TIMEOUT_MS)
        afterAll(() => sim?.stop())

        const framesSince = (since: number, type: string) => sim.frames.filter(f => f.at >= since && f.type === type)

        async function pressForReq(): Promise<{ pressedAt: number; req: SentFrame }> {
            const since = sim.now
            await sim.press()
            await sim.until(() => framesSince(since, "REQ").length > 0, 200, "a REQ after the press")
            return { pressedAt: sim.button.pressedAt.at(-1)!, req: framesSince(since, "REQ")[0] }
        }

        test("sends RDY with its build name once the serial role binds", () => {
            const ready = sim.frames.filter(f => f.type === "RDY")
            expect(ready.map(f => f.body)).toEqual([`RDY,${build}`])
            expect(ready[0].at).toBeGreaterThan(500)
            expect(ready[0].at).toBeLessThan(3000)
        })

        test("a press on GP15 gives REQ,0 and turns the LED on", { timeout: CHECK_TIMEOUT_MS }, async () => {
            const { pressedAt, req } = await pressForReq()
            expect(req.body).toBe("REQ,0")
            expect(req.at - pressedAt).toBeGreaterThan(0)
            expect(req.at - pressedAt).toBeLessThan(100)
            await sim.advance(20)
            expect(sim.led.isOn).toBe(true)
        })

        test("a reply gives ACK with its payload and the LED goes off", { timeout: CHECK_TIMEOUT_MS }, async () => {
            const since = sim.now
            await sim.inject(frame("RES,0,hello"))
            await sim.until(() => framesSince(since, "ACK").length > 0, 200, "the ACK")
            expect(framesSince(since, "ACK").map(f => f.body)).toEqual(["ACK,0,hello"])
            await sim.advance(30)
            expect(sim.led.isOn).toBe(false)
        })

        test("no reply gives TMO 1000-1100 ms after its REQ", { timeout: CHECK_TIMEOUT_MS }, async () => {
            const { req } = await pressForReq()
            expect(req.body).toBe("REQ,1")
            await sim.until(() => framesSince(req.at, "TMO").length > 0, 1300, "the TMO")
            const [tmo] = framesSince(req.at, "TMO")
            expect(tmo.body).toBe("TMO,1")
            expect(tmo.at - req.at).toBeGreaterThanOrEqual(1000)
            expect(tmo.at - req.at).toBeLessThanOrEqual(1100)
        })

        test("a frame with a wrong checksum gives ERR,CHK", { timeout: CHECK_TIMEOUT_MS }, async () => {
            const since = sim.now
            await sim.inject(frame("RES,1,x", "00"))
            await sim.until(() => framesSince(since, "ERR").length > 0, 200, "the ERR")
            expect(framesSince(since, "ERR").map(f => f.body)).toEqual(["ERR,CHK"])
        })

        test("the LED pin is high exactly while requests are in flight", { timeout: CHECK_TIMEOUT_MS }, async () => {
            await sim.advance(50)
            expect(sim.led.isOn).toBe(false)
            const first = await pressForReq()
            const second = await pressForReq()
            expect([first.req.body, second.req.body]).toEqual(["REQ,2", "REQ,3"])
            await sim.advance(30)
            expect(sim.led.isOn).toBe(true)
            const since = sim.now
            await sim.inject(frame("RES,2,a"))
            await sim.until(() => framesSince(since, "ACK").length === 1, 200, "the first ACK")
            await sim.advance(30)
            expect(sim.led.isOn, "one request still in flight").toBe(true)
            await sim.inject(frame("RES,3,b"))
            await sim.until(() => framesSince(since, "ACK").length === 2, 200, "the second ACK")
            await sim.advance(30)
            expect(sim.led.isOn).toBe(false)
            expect(framesSince(since, "ACK").map(f => f.body)).toEqual(["ACK,2,a", "ACK,3,b"])
        })
    })
}
