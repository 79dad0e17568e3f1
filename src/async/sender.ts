import * as ds from "@devicescript/core"
import { type Outbox, PACKET_GAP_MS } from "../shared/outbox"

/**
 * The async build's way to send: a frame is queued and a background fiber
 * flushes the outbox, one packet at a time, PACKET_GAP_MS apart while more wait.
 */
export class Sender {
    private flushing = false
    private roomListener: () => void = undefined

    constructor(private readonly outbox: Outbox) {}

    /** Calls `listener` each time a packet has gone out and the outbox has room. */
    onRoom(listener: () => void) {
        this.roomListener = listener
    }

    /** Queues a frame and makes sure a background fiber is flushing. */
    send(frame: Buffer, onSent?: () => void) {
        this.outbox.post(frame, onSent)
        if (!this.flushing) {
            const sender = this
            const flushInBackground = async () => await sender.flush()
            flushInBackground.start()
        }
    }

    /** Sends a frame like `send`, and returns once it has gone out. */
    async sendAndWait(frame: Buffer) {
        const fiber = ds.Fiber.self()
        this.send(frame, () => fiber.resume(undefined))
        await ds.suspend()
    }

    /** Sends every queued frame, including frames queued while it sends. */
    async flush() {
        if (this.flushing) return
        this.flushing = true
        try {
            while (this.outbox.waitingBytes() > 0) {
                await this.outbox.sendPacket()
                if (this.roomListener && this.outbox.hasRoom()) this.roomListener()
                if (this.outbox.waitingBytes() > 0) await ds.sleep(PACKET_GAP_MS)
            }
        } finally {
            this.flushing = false
        }
    }
}
