// The bridge's link to TCP clients on this machine (127.0.0.1 only): each client's bytes go to the firmware, the
// firmware's to every client. A client that speaks HTTP (a web page, through the browser) is refused.
import { createServer, type Server, type Socket } from "node:net"
import { listenFailure } from "../lib/errors.js"
import { startsLikeHttpRequest } from "./httpGuard.js"
import type { ByteLink } from "./link.js"

export const TCP_LINK_HOST = "127.0.0.1"

/** Listens on 127.0.0.1:`port` only (0 for any free port; see `description`). */
export async function openTcpLink(port: number, log: (line: string) => void): Promise<ByteLink> {
    const clients = new Set<Socket>()
    const listeners: ((bytes: Uint8Array) => void)[] = []
    const server = createServer(socket => {
        clients.add(socket)
        const who = `${socket.remoteAddress}:${socket.remotePort}`
        log(`tcp client ${who} connected`)
        let firstChunk = true
        socket.on("data", (chunk: Buffer) => {
            if (firstChunk && startsLikeHttpRequest(chunk)) {
                log(`tcp client ${who} sent an HTTP request (a web page?): refused, none of it sent on`)
                socket.destroy()
                return
            }
            firstChunk = false
            listeners.forEach(listener => listener(new Uint8Array(chunk)))
        })
        socket.on("error", () => socket.destroy())
        socket.on("close", () => {
            clients.delete(socket)
            log(`tcp client ${who} left`)
        })
    })
    const address = await listen(server, port)
    return {
        description: `tcp://${TCP_LINK_HOST}:${address}`,
        write: bytes => clients.forEach(client => client.write(bytes)),
        onData: listener => listeners.push(listener),
        ended: new Promise<string>(resolve => server.on("error", e => resolve(`tcp link: ${e.message}`))),
        close: () =>
            new Promise<void>(resolve => {
                clients.forEach(client => client.destroy())
                server.close(() => resolve())
            }),
    }
}

function listen(server: Server, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", (e: NodeJS.ErrnoException) => reject(listenFailure(e, TCP_LINK_HOST, port, "--tcp")))
        server.listen(port, TCP_LINK_HOST, () => {
            const address = server.address()
            resolve(typeof address === "object" && address ? address.port : port)
        })
    })
}
