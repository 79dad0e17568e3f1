import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { Outbox } from "../../src/outbox"

// One serial send is one Jacdac packet: at most 236 bytes of payload (written here, not imported).

/** Stands in for the serial role: records each send. */
class RecordingSerial {
    sends: string[] = []
    async send(data: Buffer) {
        this.sends.push(data.toString())
        await ds.sleep(5)
    }
}

function outboxWith(serial: RecordingSerial) {
    return new Outbox(serial as unknown as ds.Serial)
}

function frameOf(length: number, fill: string) {
    let body = ""
    while (body.length < length) body += fill
    return Buffer.from(body)
}

describe("Outbox", () => {
    test("packs queued frames into as few sends as fit, in order", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        outbox.post(frameOf(100, "a"))
        outbox.post(frameOf(100, "b"))
        outbox.post(frameOf(100, "c"))
        await outbox.flush()
        expect(serial.sends.length).toBe(2)
        expect(serial.sends[0]).toBe(frameOf(100, "a").toString() + frameOf(100, "b").toString())
        expect(serial.sends[1]).toBe(frameOf(100, "c").toString())
    })
    test("fills a send to exactly 236 bytes, never more", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        outbox.post(frameOf(118, "a"))
        outbox.post(frameOf(118, "b"))
        outbox.post(frameOf(200, "c"))
        outbox.post(frameOf(37, "d"))
        outbox.post(frameOf(36, "e"))
        await outbox.flush()
        expect(serial.sends.map(s => s.length).join(",")).toBe("236,200,73")
    })
    test("many small frames go in one send", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        for (let i = 0; i < 10; ++i) outbox.post(frameOf(20, `${i}`))
        await outbox.flush()
        expect(serial.sends.length).toBe(1)
        expect(serial.sends[0].length).toBe(200)
    })
    test("never sends more than one packet holds", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        for (let i = 0; i < 20; ++i) outbox.post(frameOf(82, "x"))
        await outbox.flush()
        for (const sent of serial.sends) expect(sent.length).toBe(164)
        expect(serial.sends.length).toBe(10)
    })
    test("send flushes in the background, taking frames queued meanwhile", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        outbox.send(Buffer.from("1"))
        outbox.send(Buffer.from("2"))
        await ds.sleep(1)
        outbox.send(Buffer.from("3"))
        await ds.sleep(50)
        expect(serial.sends.join("|")).toBe("12|3")
    })
    test("counts the bytes waiting, and has room while less than a packet's worth waits", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        expect(outbox.waitingBytes()).toBe(0)
        outbox.post(frameOf(100, "a"))
        outbox.post(frameOf(100, "b"))
        expect(outbox.waitingBytes()).toBe(200)
        expect(outbox.hasRoom()).toBe(true)
        outbox.post(frameOf(36, "c"))
        expect(outbox.waitingBytes()).toBe(236)
        expect(outbox.hasRoom()).toBe(false)
        outbox.post(frameOf(10, "d"))
        await outbox.sendPacket()
        expect(serial.sends.length).toBe(1)
        expect(outbox.waitingBytes()).toBe(10)
        expect(outbox.hasRoom()).toBe(true)
        await outbox.flush()
        expect(outbox.waitingBytes()).toBe(0)
    })
    test("sendPacket sends one packet, and nothing when nothing waits", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        await outbox.sendPacket()
        expect(serial.sends.length).toBe(0)
        for (let i = 0; i < 5; ++i) outbox.post(frameOf(82, "x"))
        await outbox.sendPacket()
        expect(serial.sends.join("|")).toBe(frameOf(164, "x").toString())
        expect(outbox.waitingBytes()).toBe(3 * 82)
    })
    test("calls the room listener after each packet that leaves room, so framing can go on", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        const calls: number[] = []
        outbox.onRoom(() => calls.push(outbox.waitingBytes()))
        for (let i = 0; i < 5; ++i) outbox.post(frameOf(118, "y"))
        await outbox.flush()
        // 590 bytes in packets of 236, 236 and 118: room after the second and the third
        expect(calls.join(",")).toBe("118,0")
    })
    test("calls each frame's onSent once its packet has gone out", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        const seen: string[] = []
        outbox.post(frameOf(200, "a"), () => seen.push(`a after ${serial.sends.length}`))
        outbox.post(frameOf(100, "b"), () => seen.push(`b after ${serial.sends.length}`))
        outbox.post(frameOf(30, "c"))
        await outbox.flush()
        expect(seen.join(",")).toBe("a after 1,b after 2")
    })
    test("sendAndWait returns once its frame has gone out", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        outbox.send(frameOf(200, "a"))
        await outbox.sendAndWait(frameOf(100, "b"))
        expect(serial.sends.length).toBe(2)
        expect(serial.sends[1]).toBe(frameOf(100, "b").toString())
    })
})
