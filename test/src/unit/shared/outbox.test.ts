import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { Outbox } from "../../../../src/shared/outbox"
import { RecordingSerial, frameOf } from "./recordingSerial"

// One serial send is one Jacdac packet: at most 236 bytes of payload (written here, not imported).

function outboxWith(serial: RecordingSerial) {
    return new Outbox(serial as unknown as ds.Serial)
}

/** Sends packets until nothing waits. */
async function sendAll(outbox: Outbox) {
    while (outbox.waitingBytes() > 0) await outbox.sendPacket()
}

describe("Outbox", () => {
    test("packs queued frames into as few packets as fit, in order", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        outbox.post(frameOf(100, "a"))
        outbox.post(frameOf(100, "b"))
        outbox.post(frameOf(100, "c"))
        await sendAll(outbox)
        expect(serial.sends.length).toBe(2)
        expect(serial.sends[0]).toBe(frameOf(100, "a").toString() + frameOf(100, "b").toString())
        expect(serial.sends[1]).toBe(frameOf(100, "c").toString())
    })
    test("fills a packet to exactly 236 bytes, never more", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        outbox.post(frameOf(118, "a"))
        outbox.post(frameOf(118, "b"))
        outbox.post(frameOf(200, "c"))
        outbox.post(frameOf(37, "d"))
        outbox.post(frameOf(36, "e"))
        await sendAll(outbox)
        expect(serial.sends.map(s => s.length).join(",")).toBe("236,200,73")
    })
    test("many small frames go in one packet", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        for (let i = 0; i < 10; ++i) outbox.post(frameOf(20, `${i}`))
        await outbox.sendPacket()
        expect(serial.sends.length).toBe(1)
        expect(serial.sends[0].length).toBe(200)
    })
    test("never sends more than one packet holds", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        for (let i = 0; i < 20; ++i) outbox.post(frameOf(82, "x"))
        await sendAll(outbox)
        for (const sent of serial.sends) expect(sent.length).toBe(164)
        expect(serial.sends.length).toBe(10)
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
        await outbox.sendPacket()
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
    test("calls each frame's onSent once its packet has gone out", async () => {
        const serial = new RecordingSerial()
        const outbox = outboxWith(serial)
        const seen: string[] = []
        outbox.post(frameOf(200, "a"), () => seen.push(`a after ${serial.sends.length}`))
        outbox.post(frameOf(100, "b"), () => seen.push(`b after ${serial.sends.length}`))
        outbox.post(frameOf(30, "c"))
        await sendAll(outbox)
        expect(seen.join(",")).toBe("a after 1,b after 2")
    })
})
