// This machine's addresses other than loopback, for checking that a server cannot be reached from the network.
import { connect } from "node:net"
import { networkInterfaces } from "node:os"

/** The machine's non-loopback IPv4 addresses (none on a machine with no network). */
export function networkAddresses(): string[] {
    return Object.values(networkInterfaces())
        .flatMap(addresses => addresses ?? [])
        .filter(address => address.family === "IPv4" && !address.internal)
        .map(address => address.address)
}

/** How a TCP connection to `host:port` ends: "connected", or the error's code. */
export function tryConnect(host: string, port: number): Promise<string> {
    return new Promise(resolve => {
        const socket = connect(port, host)
        socket.once("connect", () => {
            socket.destroy()
            resolve("connected")
        })
        socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
    })
}
