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

    constructor(private readonly now: () => number) {
        super(SRV_SERIAL)
        this.enabled = this.addRegister<[boolean]>(SerialReg.Connected, [false])
        this.addRegister<[number]>(SerialReg.BaudRate, [115200])
        this.addRegister<[number]>(SerialReg.DataBits, [8])
        this.addRegister<[number]>(SerialReg.StopBits, [1])
        this.addRegister<[number]>(SerialReg.ParityMode, [0])
        this.addRegister<[number]>(SerialReg.BufferSize, [64])
        this.addCommand(SerialCmd.Send, pkt => this.sent.push({ at: this.now(), bytes: pkt.data.slice() }))
    }

    /** Sends `bytes` to the firmware as one `received` report. */
    async receive(bytes: Uint8Array): Promise<void> {
        if (bytes.length > MAX_CHUNK) throw new RangeError(`a chunk holds at most ${MAX_CHUNK} bytes, not ${bytes.length}`)
        await this.sendPacketAsync(Packet.from(SerialCmd.Received, bytes))
    }
}
