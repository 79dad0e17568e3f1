// The contract's core (docs/protocol.md rules 1-3, 5, 7, 9 and the order of answers), written once against
// Device and held on every host: the VM in this process, the emulated Pico, the CLI's VM.
import { describe, expect, test } from "vitest"
import { type Device, frame, pressAndAwaitAnswer } from "../../../host/index.js"
import { startDevice, type Target, timeoutFor } from "../../support/devices.js"

/**
 * How late an answer may be. In virtual and emulated time the contract's 100 ms holds exactly;
 * the CLI's VM runs in real time on a machine that may be busy, so there only order and content
 * are held, with a bound that catches an answer that never comes.
 */
function answerWithinMs(target: Target): number {
    return target.host === "cli-vm" ? 1000 : 100
}

/**
 * How long after the finger a press may reach the firmware: at once in the simulators; on the chip,
 * at the button server's next sample (every 9 ms) and through the runtime's event queue (the async
 * build's press→REQ is up to ~14 ms there), so input sent sooner may come first, as on a board.
 */
function pressSeenWithinMs(target: Target): number {
    return target.host === "chip" ? 30 : 0
}

/** The frames of `type` sent after the first `seen` frames. */
const framesAfter = (device: Device, seen: number, type: string) => device.frames.slice(seen).filter(f => f.type === type)

/** Lets time pass until `count` frames of `type` have come after the first `seen`; returns them. */
async function untilFrames(device: Device, seen: number, type: string, count: number, withinMs: number) {
    await device.until(() => framesAfter(device, seen, type).length >= count, withinMs, `${count} ${type} within ${withinMs} ms`)
    return framesAfter(device, seen, type)
}

/** The cases that need seconds of time of their own; a host in real time may leave them out. */
export type SlowCase = "timeout" | "busy" | "order"

export function coreContract(target: Target, leaveOut: SlowCase[] = []) {
    const within = answerWithinMs(target)
    const options = { timeout: timeoutFor(target) }
    const slowTest = (which: SlowCase, name: string, body: () => Promise<void>) => {
        if (!leaveOut.includes(which)) test(name, options, body)
    }

    describe(target.name, () => {
        test("sends RDY with its build's name, once", options, async () => {
            const device = await startDevice(target)
            await device.advance(300)
            expect(device.frames.filter(f => f.type === "RDY").map(f => f.body)).toEqual([`RDY,${target.build}`])
        })

        test("a press gets REQ,0, and the LED shines while it is in flight", options, async () => {
            const device = await startDevice(target)
            const { pressedAt, answer } = await pressAndAwaitAnswer(device, within)
            expect(answer?.body).toBe("REQ,0")
            expect(answer!.at - pressedAt).toBeLessThanOrEqual(within)
            await device.until(() => device.ledIsOn, within, "the LED on")
            expect(device.ledSwitches.at(-1)!.at - answer!.at).toBeLessThanOrEqual(within)
        })

        test("a reply gets its ACK with the payload byte for byte, and the LED goes off", options, async () => {
            const device = await startDevice(target)
            await pressAndAwaitAnswer(device, within)
            const seen = device.frames.length
            await device.inject(frame("RES,0,a b,c"))
            const [ack] = await untilFrames(device, seen, "ACK", 1, within)
            expect(ack.body).toBe("ACK,0,a b,c")
            await device.until(() => !device.ledIsOn, within, "the LED off")
            expect(device.bodies()).toEqual(["REQ,0", "ACK,0,a b,c"])
        })

        slowTest("timeout", "no reply: TMO 1000 to 1100 ms after its REQ, and a later reply gets ERR,SEQ", async () => {
            const device = await startDevice(target)
            const { answer: req } = await pressAndAwaitAnswer(device, within)
            const [tmo] = await untilFrames(device, device.frames.length, "TMO", 1, 1300)
            expect(tmo.body).toBe("TMO,0")
            expect(tmo.at - req!.at).toBeGreaterThanOrEqual(1000)
            expect(tmo.at - req!.at).toBeLessThanOrEqual(target.host === "cli-vm" ? 1300 : 1100)
            const seen = device.frames.length
            await device.inject(frame("RES,0,late"))
            await untilFrames(device, seen, "ERR", 1, within)
            expect(device.bodies()).toEqual(["REQ,0", "TMO,0", "ERR,SEQ,0"])
        })

        slowTest("busy", "with 4 in flight a press gets ERR,BUSY and uses no seq", async () => {
            const device = await startDevice(target)
            for (let i = 0; i < 5; i++) await pressAndAwaitAnswer(device, within)
            const seen = device.frames.length
            await device.inject(frame("RES,1,one"))
            await untilFrames(device, seen, "ACK", 1, within)
            const last = await pressAndAwaitAnswer(device, within)
            expect(last.answer?.body, JSON.stringify([last.pressedAt, device.frames])).toBe("REQ,4")
            expect(device.bodies()).toEqual(["REQ,0", "REQ,1", "REQ,2", "REQ,3", "ERR,BUSY", "ACK,1,one", "REQ,4"])
        })

        test("each rejected frame gets one ERR, in the order of the checks, and nothing else changes", options, async () => {
            const device = await startDevice(target)
            const seen = device.frames.length
            await device.inject(`$${"x".repeat(90)}\r\n`) // LEN: the 83rd byte
            await device.inject("$RES,0,x\r\n") // FMT: no checksum
            await device.inject(frame("RES,0,x", "00")) // CHK
            await device.inject(frame("ACK,0,x")) // FMT: not a RES
            await device.inject(frame("RES,9,x")) // SEQ: not in flight
            await untilFrames(device, seen, "ERR", 5, within)
            await device.advance(50)
            expect(device.bodies()).toEqual(["ERR,LEN", "ERR,FMT", "ERR,CHK", "ERR,FMT", "ERR,SEQ,9"])
            expect(device.ledSwitches, "the LED never lit").toEqual([])
            const { answer } = await pressAndAwaitAnswer(device, within)
            expect(answer?.body, "no seq used up").toBe("REQ,0")
        })

        slowTest("order", "input and a press arriving together are answered in the order they came", async () => {
            const device = await startDevice(target)
            await device.inject(frame("RES,7,stray"))
            await device.press()
            await device.advance(within)
            await device.press()
            await device.advance(pressSeenWithinMs(target))
            await device.inject(frame("RES,8,stray"))
            await device.advance(within)
            expect(device.bodies()).toEqual(["ERR,SEQ,7", "REQ,0", "REQ,1", "ERR,SEQ,8"])
        })
    })
}
