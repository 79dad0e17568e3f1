// The page server's request policy, case by case: who may act on it, who may read it.
import type { IncomingHttpHeaders } from "node:http"
import { describe, expect, test } from "vitest"
import { whyRefused } from "../../../tools/page/requestPolicy.js"

const PORT = 8090
const HOST = `127.0.0.1:${PORT}`
const JSON_TYPE = "application/json"

function post(headers: IncomingHttpHeaders) {
    return whyRefused("POST", { host: HOST, ...headers }, PORT)
}

describe("a POST (every request that acts)", () => {
    test.each([`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`])("from the page's own origin %s, as JSON: taken", origin => {
        expect(post({ origin, "content-type": JSON_TYPE })).toBeUndefined()
    })

    test("from the page served as localhost, with Host localhost: taken", () => {
        expect(whyRefused("POST", { host: `localhost:${PORT}`, origin: `http://localhost:${PORT}`, "content-type": JSON_TYPE }, PORT)).toBeUndefined()
    })

    test.each([
        ["another port of this machine", "http://127.0.0.1:8091"],
        ["a page with no port (80)", "http://127.0.0.1"],
        ["https on the same port", `https://127.0.0.1:${PORT}`],
        ["a foreign site", "http://evil.example"],
        ["a host name that merely starts like ours", `http://127.0.0.1:${PORT}.evil.example`],
        ["an opaque origin (sandboxed frame, file:, data:)", "null"],
        ["two origins at once", `http://127.0.0.1:${PORT}, http://evil.example`],
    ])("from %s: refused, saying where it came from", (_, origin) => {
        expect(post({ origin, "content-type": JSON_TYPE })).toBe(`requests from ${origin} are refused: this server answers only its own page`)
    })

    test.each([JSON_TYPE, "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])(
        "with no Origin (curl, a test) and Content-Type %s: taken",
        contentType => {
            expect(post({ "content-type": contentType })).toBeUndefined()
        },
    )

    test.each([
        ["text/plain", "text/plain"],
        ["text/plain;charset=UTF-8 (fetch's default for a string body)", "text/plain;charset=UTF-8"],
        ["application/x-www-form-urlencoded (a form)", "application/x-www-form-urlencoded"],
        ["multipart/form-data", "multipart/form-data; boundary=x"],
        ["application/jsonp", "application/jsonp"],
        ["none", undefined],
    ])("with no Origin and Content-Type %s: refused", (_, contentType) => {
        expect(post({ "content-type": contentType })).toBe("a POST must have Content-Type: application/json")
    })

    test("from the page's own origin but not JSON: refused too (the page always sends JSON)", () => {
        expect(post({ origin: `http://127.0.0.1:${PORT}`, "content-type": "text/plain" })).toBe("a POST must have Content-Type: application/json")
    })

    test("any other method that could act is held to the same rule", () => {
        expect(whyRefused("PUT", { host: HOST, "content-type": "text/plain" }, PORT)).toBe("a PUT must have Content-Type: application/json")
        const foreign = { host: HOST, origin: "http://evil.example", "content-type": JSON_TYPE }
        expect(whyRefused("DELETE", foreign, PORT)).toMatch(/^requests from http:\/\/evil\.example are refused/)
    })
})

describe("a preflight", () => {
    test.each([`http://127.0.0.1:${PORT}`, "http://evil.example", undefined])("OPTIONS from %s: refused, so none is ever approved", origin => {
        const preflight = { host: HOST, origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" }
        expect(whyRefused("OPTIONS", preflight, PORT)).toBe("no cross-origin requests: this server grants none")
    })
})

describe("reading (the page, its state, its events)", () => {
    test("a GET or HEAD with no Origin (a navigation, the page's own requests for its files, state and events): taken", () => {
        expect(whyRefused("GET", { host: HOST }, PORT)).toBeUndefined()
        expect(whyRefused("HEAD", { host: HOST }, PORT)).toBeUndefined()
    })

    test("a GET from the page's own origin: taken", () => {
        expect(whyRefused("GET", { host: HOST, origin: `http://localhost:${PORT}` }, PORT)).toBeUndefined()
    })

    test("a GET from another site (its fetch or EventSource): refused", () => {
        expect(whyRefused("GET", { host: HOST, origin: "http://evil.example" }, PORT)).toBe(
            "requests from http://evil.example are refused: this server answers only its own page",
        )
    })
})

describe("the Host header (no DNS rebinding)", () => {
    test.each(["evil.example:8090", "127.0.0.1:8091", "127.0.0.1", "localhost", "", undefined])("Host %s: refused, whatever the rest", host => {
        const headers = { host, origin: `http://127.0.0.1:${PORT}`, "content-type": JSON_TYPE }
        for (const method of ["GET", "POST"]) {
            expect(whyRefused(method, headers, PORT)).toBe(`wrong host: this server answers only to 127.0.0.1:${PORT} and localhost:${PORT}`)
        }
    })
})
