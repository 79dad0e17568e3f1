import * as ds from "@devicescript/core"

/** The largest payload of one Jacdac packet, so of one serial `send`. */
export const MAX_SEND_BYTES = 236

/**
 * Frames waiting to go out on the serial link, in order. The runtime
 * throttles outgoing packets (a burst of 5, then one per 20 ms), so each
 * `send` packs as many whole frames as fit.
 *
 * Backpressure: while a full packet's worth waits (`hasRoom()` is false), the
 * builds stop framing received bytes, so answers never pile up here; the
 * receive buffer's bound then decides what is discarded.
 */
export class Outbox {
    private readonly frames: Buffer[] = []
    private waiting = 0
    private flushing = false
    private roomListener: () => void = undefined

    constructor(private readonly serial: ds.Serial) {}

    /** Bytes of the frames queued and not yet handed to the link. */
    waitingBytes(): number {
        return this.waiting
    }

    /** Whether less than a packet's worth waits: then more answers may be queued. */
    hasRoom(): boolean {
        return this.waiting < MAX_SEND_BYTES
    }

    /** Calls `listener` each time a packet has gone out and `hasRoom()` holds. */
    onRoom(listener: () => void) {
        this.roomListener = listener
    }

    /** Queues a frame; it goes out with the next flush. */
    post(frame: Buffer) {
        this.frames.push(frame)
        this.waiting += frame.length
    }

    /** Sends one packet of queued frames, if any wait. */
    async sendPacket() {
        if (this.frames.length === 0) return
        await this.serial.send(this.takePacket())
        if (this.roomListener && this.hasRoom()) this.roomListener()
    }

    /** Sends every queued frame, including frames queued while it sends. */
    async flush() {
        if (this.flushing) return
        this.flushing = true
        try {
            while (this.frames.length > 0) await this.sendPacket()
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
        this.waiting -= packet.length
        return packet
    }
}
