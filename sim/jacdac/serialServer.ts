// A Jacdac Serial service, as seen by the firmware's `ds.Serial` role: the host side of its serial link.
import { JDServiceServer, Packet, SerialCmd, SerialReg, SRV_SERIAL, type JDRegisterServer } from "jacdac-ts"

/** The largest payload of one Jacdac packet, hence of one `received` report. */
export const MAX_CHUNK = 236

export interface SerialSettings {
    baudRate?: number
}

/**
 * The Serial server the firmware binds its serial role to. What the firmware
 * sends (`send` commands) goes to the `onTransmit` listeners; `receive` hands
 * it bytes as `received` reports. `connected` is the register the firmware
 * writes `true` to when it opens the link.
 */
export class SerialServer extends JDServiceServer {
    readonly connected: JDRegisterServer<[boolean]>
    private readonly transmitListeners: ((bytes: Uint8Array) => void)[] = []

    constructor(settings: SerialSettings = {}) {
        super(SRV_SERIAL)
        this.connected = this.addRegister<[boolean]>(SerialReg.Connected, [false])
        this.addRegister<[number]>(SerialReg.BaudRate, [settings.baudRate ?? 115200])
        this.addRegister<[number]>(SerialReg.DataBits, [8])
        this.addRegister<[number]>(SerialReg.StopBits, [1])
        this.addRegister<[number]>(SerialReg.ParityMode, [0])
        this.addRegister<[number]>(SerialReg.BufferSize, [64])
        this.addCommand(SerialCmd.Send, pkt => {
            const bytes = pkt.data.slice()
            for (const listener of this.transmitListeners) listener(bytes)
        })
    }

    /** Whether the firmware has opened the link. */
    get isConnected(): boolean {
        return !!this.connected.values()[0]
    }

    /** Calls `listener` with each chunk of bytes the firmware sends from now on. */
    onTransmit(listener: (bytes: Uint8Array) => void) {
        this.transmitListeners.push(listener)
    }

    /** Hands `bytes` to the firmware as one `received` report. */
    async receive(bytes: Uint8Array): Promise<void> {
        if (bytes.length > MAX_CHUNK) throw new RangeError(`a chunk holds at most ${MAX_CHUNK} bytes, not ${bytes.length}`)
        await this.sendPacketAsync(Packet.from(SerialCmd.Received, bytes))
    }

    /** Hands any number of bytes to the firmware, in as few `received` reports as fit, in order. */
    async receiveAll(bytes: Uint8Array): Promise<void> {
        for (let offset = 0; offset < bytes.length; offset += MAX_CHUNK) {
            await this.receive(bytes.subarray(offset, offset + MAX_CHUNK))
        }
    }
}
