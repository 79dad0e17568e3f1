// What the bridge carries the firmware's serial bytes to and from: a serial port, the terminal, TCP clients.

export interface ByteLink {
    /** What the link is, for messages: `/dev/ttyUSB0 at 115200 baud`, `the terminal`, … */
    readonly description: string
    /** Sends bytes out of the link. */
    write(bytes: Uint8Array): void
    /** Calls `listener` with each chunk of bytes that comes in. */
    onData(listener: (bytes: Uint8Array) => void): void
    /** Resolves when the link ends by itself, with why (a one-line message). */
    readonly ended: Promise<string>
    close(): Promise<void>
}

/** A promise that never settles: for what cannot end by itself. */
export function never<T>(): Promise<T> {
    return new Promise<T>(() => {})
}
