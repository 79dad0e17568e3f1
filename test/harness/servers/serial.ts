import { JDServiceServer, Packet, SerialCmd, SerialReg, SRV_SERIAL } from "jacdac-ts"

/** The largest payload of one Jacdac packet, hence of one `received` report. */
export const MAX_CHUNK = 236

export interface SentChunk {
    at: number
    bytes: Uint8Array
}

/**
 * The device's serial peer: records every chunk the firmware sends, and
 * injects received bytes as `received` reports, in any chunking.
 */
export class SimSerial extends JDServiceServer {
    readonly sent: SentChunk[] = []
    readonly enabled
    private readonly sendListeners: ((chunk: SentChunk) => void)[] = []

    constructor(private readonly now: () => number) {
        super(SRV_SERIAL)
        this.enabled = this.addRegister<[boolean]>(SerialReg.Connected, [false])
        this.addRegister<[number]>(SerialReg.BaudRate, [115200])
        this.addRegister<[number]>(SerialReg.DataBits, [8])
        this.addRegister<[number]>(SerialReg.StopBits, [1])
        this.addRegister<[number]>(SerialReg.ParityMode, [0])
        this.addRegister<[number]>(SerialReg.BufferSize, [64])
        this.addCommand(SerialCmd.Send, pkt => {
            const chunk = { at: this.now(), bytes: pkt.data.slice() }
            this.sent.push(chunk)
            for (const listener of this.sendListeners) listener(chunk)
        })
    }

    /** Calls `listener` with each chunk the firmware sends from now on. */
    onSend(listener: (chunk: SentChunk) => void) {
        this.sendListeners.push(listener)
    }

    /** Sends `bytes` to the firmware as one `received` report. */
    async receive(bytes: Uint8Array): Promise<void> {
        if (bytes.length > MAX_CHUNK) throw new RangeError(`a chunk holds at most ${MAX_CHUNK} bytes, not ${bytes.length}`)
        await this.sendPacketAsync(Packet.from(SerialCmd.Received, bytes))
    }
}
