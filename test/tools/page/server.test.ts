// The page server over HTTP, against requests a browser or another web site could send: a real server on a free
// port (no build booted: a request the policy lets through is answered 503 "still starting"), node:http with
// explicit Host, Origin and Content-Type headers.
import { readFileSync } from "node:fs"
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { BUILDS, ROOT } from "../../../host/index.js"
import { FLOOD_SECONDS } from "../../../tools/page/flood.js"
import { MAX_HAND_BYTES } from "../../../tools/page/handSend.js"
import { PEER_LIMITS } from "../../../tools/page/peer.js"
import { PageServer } from "../../../tools/page/server.js"
import { networkAddresses, tryConnect } from "../../support/network.js"

let server: PageServer
let own: { host: string; origin: string }

beforeAll(async () => {
    server = await PageServer.listen({ port: 0 })
    own = { host: `127.0.0.1:${server.port}`, origin: `http://127.0.0.1:${server.port}` }
})

afterAll(async () => {
    await server?.close()
})

interface Answer {
    status: number
    headers: IncomingHttpHeaders
    body: string
}

/** One request; for the event stream, only its status and headers (the stream never ends). */
function send(method: string, path: string, headers: OutgoingHttpHeaders, body?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: server.port, method, path, headers: { host: own.host, ...headers } }, res => {
            if (res.headers["content-type"] === "text/event-stream") {
                res.destroy()
                resolve({ status: res.statusCode!, headers: res.headers, body: "" })
                return
            }
            let text = ""
            res.setEncoding("utf8")
            res.on("data", (chunk: string) => (text += chunk))
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }))
        })
        req.on("error", reject)
        req.end(body)
    })
}

function corsHeaders(answer: Answer): string[] {
    return Object.keys(answer.headers).filter(name => name.startsWith("access-control-"))
}

/** A 403 with a one-line JSON error, and no CORS grant. */
function expectRefused(answer: Answer, error: string | RegExp) {
    expect(answer.status).toBe(403)
    expect(answer.headers["content-type"]).toBe("application/json")
    expect(answer.body.split("\n")).toHaveLength(1)
    expect(JSON.parse(answer.body).error).toMatch(error)
    expect(corsHeaders(answer)).toEqual([])
}

/** Let through by the policy: it reached the server's actions, which wait for the builds. */
function expectTaken(answer: Answer) {
    expect(answer.status, answer.body).toBe(503)
    expect(JSON.parse(answer.body)).toEqual({ error: "the builds are still starting" })
    expect(corsHeaders(answer)).toEqual([])
}

const ACTIONS = ["/api/press", "/api/send", "/api/flood", "/api/peer", "/api/clear", "/api/preview"]
const EVIL = "http://evil.example"

describe("another web site cannot act on the page server", () => {
    test.each(ACTIONS)("POST %s from a foreign origin, as a no-cors text/plain fetch sends it: 403", async path => {
        const simple = { origin: EVIL, "content-type": "text/plain;charset=UTF-8" }
        const answer = await send("POST", path, simple, '{"build":"async","text":"$RES,0,x"}')
        expectRefused(answer, `requests from ${EVIL} are refused: this server answers only its own page`)
    })

    test("POST from a foreign origin, even as JSON: 403", async () => {
        const answer = await send("POST", "/api/press", { origin: EVIL, "content-type": "application/json" }, "{}")
        expectRefused(answer, /^requests from http:\/\/evil\.example/)
    })

    test("POST from an opaque origin (null) or from another port of this machine: 403", async () => {
        for (const origin of ["null", `http://127.0.0.1:${server.port + 1}`]) {
            const answer = await send("POST", "/api/press", { origin, "content-type": "application/json" }, "{}")
            expectRefused(answer, `requests from ${origin} are refused: this server answers only its own page`)
        }
    })

    test.each([
        ["text/plain", { "content-type": "text/plain" }],
        ["application/x-www-form-urlencoded", { "content-type": "application/x-www-form-urlencoded" }],
        ["none", {}],
    ])("POST with no Origin and Content-Type %s: 403", async (_, headers) => {
        expectRefused(await send("POST", "/api/press", headers, "{}"), "a POST must have Content-Type: application/json")
    })

    test("the preflight OPTIONS that a JSON fetch from another origin needs: 403, with no CORS grant", async () => {
        for (const origin of [EVIL, own.origin]) {
            const preflight = { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
            expectRefused(await send("OPTIONS", "/api/press", preflight), "no cross-origin requests: this server grants none")
        }
    })

    test("a wrong Host (DNS rebinding): 403, as before", async () => {
        expectRefused(await send("GET", "/api/state", { host: "evil.example:8090" }), /^wrong host/)
        const rebound = { host: `evil.example:${server.port}`, "content-type": "application/json" }
        expectRefused(await send("POST", "/api/press", rebound, "{}"), /^wrong host/)
    })
})

test("it listens on 127.0.0.1 only: the machine's network addresses refuse the connection", async () => {
    expect(await tryConnect("127.0.0.1", server.port)).toBe("connected")
    for (const address of networkAddresses()) expect(await tryConnect(address, server.port), address).toBe("ECONNREFUSED")
})

describe("the page itself, and programs on this machine, still can", () => {
    test.each(["127.0.0.1", "localhost"])("POST from the page's own origin on %s, as JSON", async name => {
        const origin = `http://${name}:${server.port}`
        expectTaken(await send("POST", "/api/press", { host: `${name}:${server.port}`, origin, "content-type": "application/json" }, "{}"))
    })

    test.each(["application/json", "application/json; charset=utf-8"])("POST with no Origin (curl) and Content-Type %s", async contentType => {
        expectTaken(await send("POST", "/api/press", { "content-type": contentType }, "{}"))
    })

    test("GET the state and the event stream, with no Access-Control-Allow-Origin (no other site may read them)", async () => {
        for (const headers of [{}, { origin: own.origin }]) {
            const state = await send("GET", "/api/state", headers)
            expect(state.status).toBe(200)
            expect(JSON.parse(state.body)).toMatchObject({ kind: "hello", devices: [] })
            expect(corsHeaders(state)).toEqual([])
            const events = await send("GET", "/api/events", headers)
            expect(events.status).toBe(200)
            expect(events.headers["content-type"]).toBe("text/event-stream")
            expect(corsHeaders(events)).toEqual([])
        }
        expectRefused(await send("GET", "/api/events", { origin: EVIL }), /^requests from http:\/\/evil\.example/)
        expectRefused(await send("GET", "/api/state", { origin: EVIL }), /^requests from http:\/\/evil\.example/)
    })
})

describe("what the page is made of", () => {
    /** The page's files: index.html, and every module and style sheet it loads, followed from import to import. */
    function pageFiles(): string[] {
        const found = new Set<string>()
        const visit = (path: string) => {
            if (found.has(path)) return
            found.add(path)
            const text = readFileSync(`${ROOT}/tools/page/static${path}`, "utf8")
            const links = [...text.matchAll(/(?:src|href)="(\/[\w.]+)"|from "\.(\/[\w.]+)"/g)].map(m => m[1] ?? m[2])
            for (const link of links) if (link !== "/labels.js") visit(link)
        }
        visit("/index.html")
        return [...found]
    }

    test("the server serves every file the page loads, and the label placement it shares with the charts", async () => {
        const files = pageFiles()
        expect(files.length).toBeGreaterThan(10)
        for (const path of [...files, "/", "/labels.js"]) {
            const answer = await send("GET", path, {})
            expect(answer.status, path).toBe(200)
            expect(answer.headers["content-type"], path).toMatch(path.endsWith(".css") ? /^text\/css/ : path.endsWith(".js") ? /^text\/javascript/ : /^text\/html/)
        }
        expect((await send("GET", "/server.ts", {})).status).toBe(404)
    })

    test("the hello lists the builds (from host/builds.ts) and what a person may type (from the modules that check it), so that the page writes neither", async () => {
        const hello = JSON.parse((await send("GET", "/api/state", {})).body)
        expect(hello.builds).toEqual(BUILDS.map(({ name, style, summary, color }) => ({ name, style, summary, color })))
        expect(hello.limits).toEqual({ peer: PEER_LIMITS, flood: { seconds: FLOOD_SECONDS, chunkBytes: 234, everyMs: 20 }, handBytes: MAX_HAND_BYTES })
    })

    test("the hand-send preview: the lines sending would put on the link, from the code that sends them", async () => {
        const preview = async (text: string) => {
            const answer = await send("POST", "/api/preview", { "content-type": "application/json" }, JSON.stringify({ text }))
            expect(answer.status, answer.body).toBe(200)
            return JSON.parse(answer.body).preview
        }
        expect(await preview("RES,9,x")).toEqual({ right: "$RES,9,x*05", wrong: "$RES,9,x*5F" })
        expect(await preview("$RES,1,x*00")).toEqual({ asTyped: "$RES,1,x*00" })
        expect(await preview("x".repeat(MAX_HAND_BYTES + 1))).toEqual({ problem: `at most ${MAX_HAND_BYTES} characters, not ${MAX_HAND_BYTES + 1}` })
    })
})
