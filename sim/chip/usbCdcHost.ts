// The USB host side of the runtime's CDC serial port, on rp2040js's USBCDC.
import { USBCDC, type RPUSBController } from "rp2040js"

/**
 * A USB host for the device's CDC port. rp2040js's own host answers every
 * receive buffer the device arms at once, with an empty packet when it has
 * nothing to send, and the device's USB stack spins on those. A real host
 * NAKs instead; so does this one: it holds the armed buffer until it has bytes.
 */
export class UsbCdcHost {
    private readonly cdc: USBCDC
    private readonly outgoing: number[] = []
    /** The device's armed receive buffer the host has not answered yet. */
    private armed?: { endpoint: number; size: number }
    private connected = false
    private readonly listeners: ((bytes: Uint8Array) => void)[] = []

    constructor(private readonly usb: RPUSBController) {
        this.cdc = new USBCDC(usb)
        this.cdc.onSerialData = bytes => {
            for (const listener of this.listeners) listener(bytes)
        }
        this.cdc.onDeviceConnected = () => {
            this.connected = true
        }
        const answerAtOnce = usb.onEndpointRead
        usb.onEndpointRead = (endpoint, size) => {
            if (endpoint !== this.dataOutEndpoint) return answerAtOnce?.(endpoint, size)
            this.armed = { endpoint, size }
            this.answerArmedBuffer()
        }
    }

    /** Whether the device has enumerated and the host has opened its port. */
    get isConnected(): boolean {
        return this.connected
    }

    /** Calls `listener` with each packet the device sends on its CDC port. */
    onReceive(listener: (bytes: Uint8Array) => void): void {
        this.listeners.push(listener)
    }

    /** Queues bytes for the device; they go out in the next buffers the device arms. */
    send(bytes: Uint8Array): void {
        this.outgoing.push(...bytes)
        this.answerArmedBuffer()
    }

    /** Bytes queued for the device and not yet taken. */
    get pendingBytes(): number {
        return this.outgoing.length
    }

    private answerArmedBuffer(): void {
        if (!this.armed || this.outgoing.length === 0) return
        const { endpoint, size } = this.armed
        this.armed = undefined
        this.usb.endpointReadDone(endpoint, Uint8Array.from(this.outgoing.splice(0, size)))
    }

    /** USBCDC learns the CDC data endpoints from the configuration descriptor; it keeps them private. */
    private get dataOutEndpoint(): number {
        return (this.cdc as unknown as { outEndpoint: number }).outEndpoint
    }
}
