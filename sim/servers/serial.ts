import { SerialServer } from "../jacdac/serialServer.js"

export { MAX_CHUNK } from "../jacdac/serialServer.js"

export interface SentChunk {
    at: number
    bytes: Uint8Array
}

/**
 * The device's serial peer: the bridge's Serial server (tools/jacdac), recording
 * every chunk the firmware sends, stamped with `now`. `receive` injects received
 * bytes as one `received` report, so a test can choose any chunking.
 */
export class SimSerial extends SerialServer {
    readonly sent: SentChunk[] = []
    /** The register the firmware writes `true` to when it opens the link. */
    readonly enabled = this.connected
    private readonly sendListeners: ((chunk: SentChunk) => void)[] = []

    constructor(private readonly now: () => number) {
        super()
        this.onTransmit(bytes => {
            const chunk = { at: this.now(), bytes }
            this.sent.push(chunk)
            for (const listener of this.sendListeners) listener(chunk)
        })
    }

    /** Calls `listener` with each chunk the firmware sends from now on. */
    onSend(listener: (chunk: SentChunk) => void) {
        this.sendListeners.push(listener)
    }
}
