import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { Sender } from "../../../../src/async/sender"
import { Outbox } from "../../../../src/shared/outbox"
import { RecordingSerial, frameOf } from "../shared/recordingSerial"

function senderWith(serial: RecordingSerial) {
    const outbox = new Outbox(serial as unknown as ds.Serial)
    return { outbox, sender: new Sender(outbox) }
}

describe("Sender (async build)", () => {
    test("send flushes in the background, taking frames queued meanwhile", async () => {
        const serial = new RecordingSerial()
        const { sender } = senderWith(serial)
        sender.send(Buffer.from("1"))
        sender.send(Buffer.from("2"))
        await ds.sleep(1)
        sender.send(Buffer.from("3"))
        await ds.sleep(50)
        expect(serial.sends.join("|")).toBe("12|3")
    })
    test("flush sends every packet, at least 10 ms apart while more wait", async () => {
        const serial = new RecordingSerial()
        const { outbox, sender } = senderWith(serial)
        for (let i = 0; i < 3; ++i) outbox.post(frameOf(236, `${i}`))
        const start = ds.millis()
        await sender.flush()
        expect(serial.sends.length).toBe(3)
        // each send takes 5 ms here, and two gaps of 10 ms
        expect(ds.millis() - start >= 35).toBe(true)
    })
    test("calls the room listener after each packet that leaves room, so framing can go on", async () => {
        const serial = new RecordingSerial()
        const { outbox, sender } = senderWith(serial)
        const calls: number[] = []
        sender.onRoom(() => calls.push(outbox.waitingBytes()))
        for (let i = 0; i < 5; ++i) outbox.post(frameOf(118, "y"))
        await sender.flush()
        // 590 bytes in packets of 236, 236 and 118: room after the second and the third
        expect(calls.join(",")).toBe("118,0")
    })
    test("sendAndWait returns once its frame has gone out", async () => {
        const serial = new RecordingSerial()
        const { sender } = senderWith(serial)
        sender.send(frameOf(200, "a"))
        await sender.sendAndWait(frameOf(100, "b"))
        expect(serial.sends.length).toBe(2)
        expect(serial.sends[1]).toBe(frameOf(100, "b").toString())
    })
})
