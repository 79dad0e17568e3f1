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
})
