// The bridge's TCP link on its own (no devtools, no firmware): it listens on this machine only, takes any client's
// bytes for the firmware, and refuses a web page's request, which any site open in a browser can make it send.
import { request as httpRequest } from "node:http"
import { connect } from "node:net"
import { afterEach, beforeEach, describe, expect, test } from "vitest"
import { frame } from "../../../host/index.js"
import { startsLikeHttpRequest } from "../../../tools/bridge/httpGuard.js"
import type { ByteLink } from "../../../tools/bridge/link.js"
import { openTcpLink } from "../../../tools/bridge/tcpLink.js"
import { networkAddresses, tryConnect } from "../../support/network.js"

const FRAME = frame("RES,0,ok0")

let link: ByteLink
let port: number
let received: string
let logged: string[]

beforeEach(async () => {
    received = ""
    logged = []
    link = await openTcpLink(0, line => logged.push(line))
    port = Number(/^tcp:\/\/127\.0\.0\.1:(\d+)$/.exec(link.description)![1])
    link.onData(bytes => (received += Buffer.from(bytes).toString("latin1")))
})

afterEach(async () => {
    await link.close()
})

/** Sends `text` from a plain TCP client; resolves once the link has had time to take it. */
function sendAsClient(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => socket.end(text))
        socket.on("error", reject)
        socket.on("close", () => setTimeout(resolve, 20))
    })
}

/** What a web page makes the browser send: a no-cors POST with a text/plain body. Resolves with how it ended. */
function postAsBrowser(body: string): Promise<string> {
    return new Promise(resolve => {
        const headers = { origin: "http://evil.example", "content-type": "text/plain;charset=UTF-8" }
        const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/", headers }, res => resolve(`answered ${res.statusCode}`))
        req.on("error", e => resolve(`failed: ${e.message}`))
        req.setTimeout(1000, () => {
            resolve("no answer")
            req.destroy()
        })
        req.end(body)
    })
}

describe("the bridge's TCP link (npm run bridge -- --tcp)", () => {
    test("a client's bytes go to the firmware", async () => {
        await sendAsClient(FRAME)
        expect(received).toBe(FRAME)
    })

    test("a web page's POST is refused before any of it reaches the firmware; other clients still get through", async () => {
        const outcome = await postAsBrowser(FRAME)
        expect(received).toBe("")
        expect(outcome).toBe("failed: socket hang up")
        expect(logged.some(line => /sent an HTTP request \(a web page\?\): refused/.test(line))).toBe(true)
        await sendAsClient(FRAME)
        expect(received).toBe(FRAME)
    })

    test("it listens on 127.0.0.1 only: the machine's network addresses refuse the connection", async () => {
        expect(await tryConnect("127.0.0.1", port)).toBe("connected")
        for (const address of networkAddresses()) expect(await tryConnect(address, port), address).toBe("ECONNREFUSED")
    })
})

describe("what counts as an HTTP request", () => {
    const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"))

    test.each(["GET / HTTP/1.1\r\n", "HEAD / HTTP/1.1\r\n", "POST /api HTTP/1.1\r\nHost: x\r\n\r\n$RES,0,x*00\r\n", "OPTIONS * HTTP/1.1\r\n"])(
        "%j: refused",
        text => expect(startsLikeHttpRequest(bytes(text))).toBe(true),
    )

    test.each([FRAME, "$GET ", "GETTER\r\n", "get / HTTP/1.1\r\n", "POST", " POST / HTTP/1.1\r\n", "\x00\xff", ""])("%j: let through", text => {
        expect(startsLikeHttpRequest(bytes(text))).toBe(false)
    })
})
