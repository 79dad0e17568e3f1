import * as ds from "@devicescript/core"

/** The largest payload of one Jacdac packet, so of one serial `send`. */
export const MAX_SEND_BYTES = 236

/**
 * Frames waiting to go out on the serial link, in order. The runtime
 * throttles outgoing packets (a burst of 5, then one per 20 ms), so a flush
 * packs as many whole frames as fit into each `send`.
 */
export class Outbox {
    private readonly frames: Buffer[] = []
    private flushing = false

    constructor(private readonly serial: ds.Serial) {}

    /** Queues a frame; it goes out with the next flush. */
    post(frame: Buffer) {
        this.frames.push(frame)
    }

    /** Sends every queued frame, including frames queued while it sends. */
    async flush() {
        if (this.flushing) return
        this.flushing = true
        try {
            while (this.frames.length > 0) await this.serial.send(this.takePacket())
        } finally {
            this.flushing = false
        }
    }

    /** Queues a frame and makes sure a background fiber is flushing. */
    send(frame: Buffer) {
        this.post(frame)
        if (!this.flushing) {
            const outbox = this
            const flushInBackground = async () => await outbox.flush()
            flushInBackground.start()
        }
    }

    private takePacket(): Buffer {
        let packet = this.frames.shift()
        while (this.frames.length > 0 && packet.length + this.frames[0].length <= MAX_SEND_BYTES)
            packet = packet.concat(this.frames.shift())
        return packet
    }
}
