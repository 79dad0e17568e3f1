import * as ds from "@devicescript/core"

/** The largest payload of one Jacdac packet, so of one serial `send`. */
export const MAX_SEND_BYTES = 236

/**
 * The pause between packets while a backlog flushes. Sent back to back, full
 * packets overflow the runtime's send queue (its `frm send ovf`): the runtime
 * has already handed the packet to the bus, yet reports it unsent and sends it
 * again 3 ms later, so the peer gets it twice.
 */
export const PACKET_GAP_MS = 10

/**
 * Frames waiting to go out on the serial link, in order. The runtime
 * throttles outgoing packets (a burst of 5, then one per 20 ms), so each
 * packet packs as many whole frames as fit.
 *
 * Backpressure: while a full packet's worth waits (`hasRoom()` is false), the
 * builds stop framing received bytes, so answers never pile up here; the
 * receive buffer's bound then decides what is discarded.
 */
export class Outbox {
    private readonly frames: Buffer[] = []
    /** For each queued frame, what to call once it has gone out (or undefined). */
    private readonly sentListeners: (() => void)[] = []
    private waiting = 0

    constructor(private readonly serial: ds.Serial) {}

    /** Bytes of the frames queued and not yet handed to the link. */
    waitingBytes(): number {
        return this.waiting
    }

    /** Whether less than a packet's worth waits: then more answers may be queued. */
    hasRoom(): boolean {
        return this.waiting < MAX_SEND_BYTES
    }

    /** Queues a frame; it goes out with a later packet, then `onSent` is called. */
    post(frame: Buffer, onSent?: () => void) {
        this.frames.push(frame)
        this.sentListeners.push(onSent)
        this.waiting += frame.length
    }

    /** Sends one packet of queued frames, if any wait, then calls their `onSent`. */
    async sendPacket() {
        if (this.frames.length === 0) return
        const sent: (() => void)[] = []
        await this.serial.send(this.takePacket(sent))
        for (const onSent of sent) onSent()
    }

    /** Takes the next packet's frames off the queue, collecting their listeners into `sent`. */
    private takePacket(sent: (() => void)[]): Buffer {
        let packet: Buffer = undefined
        while (this.frames.length > 0 && (!packet || packet.length + this.frames[0].length <= MAX_SEND_BYTES)) {
            const frame = this.frames.shift()
            const onSent = this.sentListeners.shift()
            if (onSent) sent.push(onSent)
            packet = packet ? packet.concat(frame) : frame
        }
        this.waiting -= packet.length
        return packet
    }
}
