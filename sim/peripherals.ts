import { JDServerServiceProvider, type JDBus } from "jacdac-ts"
import { bytes, parseSent, type SentFrame } from "../host/frames.js"
import { SimButton } from "./servers/button.js"
import { SimLightBulb } from "./servers/lightBulb.js"
import { MAX_CHUNK, SimSerial } from "./servers/serial.js"

/**
 * What the device sees around it, whichever VM runs it: the board (button and
 * status LED, one device) and the serial peer (a device of its own, like a
 * host bridge), on one jacdac-ts bus, with the helpers that drive and read them.
 * The device ids and layout are the same as in `Simulation`.
 */
export class Peripherals {
    readonly button = new SimButton()
    readonly serial: SimSerial
    readonly led: SimLightBulb
    private serialBridge?: JDServerServiceProvider
    private board?: JDServerServiceProvider

    /** `now` stamps what the serial peer and LED record: the bus's clock. */
    constructor(
        private readonly bus: JDBus,
        now: () => number,
    ) {
        this.serial = new SimSerial(now)
        this.led = new SimLightBulb(now)
    }

    /** Puts the board, its button and status LED, on the bus. */
    plugBoard() {
        if (this.board) return
        this.board = new JDServerServiceProvider("board", [this.button, this.led], { deviceId: "b0a4d0000000b0a4" })
        this.bus.addServiceProvider(this.board)
    }

    /** Takes the board's button and LED off the bus. */
    unplugBoard() {
        if (!this.board) return
        this.bus.removeServiceProvider(this.board)
        this.board = undefined
    }

    /** Puts the serial peer on the bus. */
    plugSerial() {
        if (this.serialBridge) return
        this.serialBridge = new JDServerServiceProvider("serial bridge", [this.serial], { deviceId: "5e41a1000000b41d" })
        this.bus.addServiceProvider(this.serialBridge)
    }

    /** Takes the serial peer off the bus, as if its bridge were unplugged. */
    unplugSerial() {
        if (!this.serialBridge) return
        this.bus.removeServiceProvider(this.serialBridge)
        this.serialBridge = undefined
    }

    /** Every frame the device has sent so far. */
    get frames(): SentFrame[] {
        return parseSent(this.serial.sent)
    }

    /** The frames the device has sent since `since`, except RDY, as their bodies. */
    bodies(since = 0): string[] {
        return this.frames.filter(f => f.at >= since && f.type !== "RDY").map(f => f.body)
    }

    /** A button press: its `down` event, then its `up` event. */
    async press(): Promise<void> {
        await this.button.press()
        await this.button.release()
    }

    /**
     * Sends `data` to the device over serial, cut into chunks of `chunkSize`
     * bytes (or of the given sizes, in turn), one right after another.
     */
    async inject(data: string | Uint8Array, chunkSize: number | number[] = MAX_CHUNK): Promise<void> {
        const all = typeof data === "string" ? bytes(data) : data
        const sizes = Array.isArray(chunkSize) ? chunkSize : [chunkSize]
        for (let offset = 0, i = 0; offset < all.length; i++) {
            const size = Math.min(sizes[i % sizes.length], MAX_CHUNK)
            await this.serial.receive(all.slice(offset, offset + size))
            offset += size
        }
    }
}
