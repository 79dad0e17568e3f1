// Joins the Jacdac bus that `devs devtools` serves, through its TCP port, as `devs run --tcp` does.
import { connect, type Socket } from "node:net"
import { createProxyBridge, type JDBus } from "jacdac-ts"
import { encodeLengthPrefixed, LengthPrefixedDecoder } from "./lengthPrefixed.js"

/** `devs devtools` listens for Jacdac frames on this port of 127.0.0.1, always. */
export const DEVTOOLS_TCP_PORT = 8082
export const DEVTOOLS_HOST = "127.0.0.1"

/** No `devs devtools` answers on its TCP port; the message says what to start. */
export class DevtoolsUnreachableError extends Error {}

export interface DevtoolsConnection {
    /** Resolves when the connection ends, with the reason if devtools went away. */
    readonly closed: Promise<string | undefined>
    close(): void
}

/**
 * Connects `bus` to the devtools hub: every frame of one reaches the other.
 * Fails with one line if no `devs devtools` is listening.
 */
export async function connectToDevtools(bus: JDBus, port = DEVTOOLS_TCP_PORT): Promise<DevtoolsConnection> {
    const socket = await openSocket(port)
    const bridge = createProxyBridge(frame => {
        if (!socket.destroyed) socket.write(encodeLengthPrefixed(frame))
    })
    const decoder = new LengthPrefixedDecoder()
    socket.on("data", (chunk: Buffer) => {
        for (const frame of decoder.push(new Uint8Array(chunk))) bridge.receiveFrameOrPacket(frame)
    })
    bridge.bus = bus
    let closing = false
    const closed = new Promise<string | undefined>(resolve => {
        socket.on("error", e => resolve(closing ? undefined : `lost the connection to devs devtools: ${e.message}`))
        socket.on("close", () => resolve(closing ? undefined : "devs devtools closed the connection"))
    })
    return {
        closed,
        close() {
            closing = true
            socket.destroy()
        },
    }
}

function openSocket(port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
        const socket = connect(port, DEVTOOLS_HOST)
        socket.once("connect", () => {
            socket.removeAllListeners("error")
            socket.setNoDelay()
            resolve(socket)
        })
        socket.once("error", (e: NodeJS.ErrnoException) => {
            reject(
                new DevtoolsUnreachableError(
                    `cannot reach devs devtools on ${DEVTOOLS_HOST}:${port} (${e.code ?? e.message}); ` +
                        "start it first: npx devs devtools (add --serial for a board on USB)",
                ),
            )
        })
    })
}
