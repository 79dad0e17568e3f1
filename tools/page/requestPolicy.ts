// Who may talk to the page server: its own page, and programs on this machine (curl, tests) that send JSON.
//
// The server listens on 127.0.0.1 only, but any web site open in the same browser can still send it requests.
// A browser sends `Origin` with every POST, cross-site or not, and sends `Content-Type: application/json`
// cross-site only after a preflight (OPTIONS) that this server never approves. So a POST must be JSON and, if it
// names an origin, name this page's. No answer carries Access-Control-Allow-Origin, so other sites cannot read the
// state or the events either. The Host check stops DNS rebinding (another host name
// resolving to 127.0.0.1 makes the browser treat this server as that site).
import type { IncomingHttpHeaders } from "node:http"

const LOOPBACK_NAMES = ["127.0.0.1", "localhost"]
const READ_ONLY_METHODS = ["GET", "HEAD"]

/** Why the server refuses this request (answered with 403), or undefined if it may go on. */
export function whyRefused(method: string | undefined, headers: IncomingHttpHeaders, port: number): string | undefined {
    if (!isOwnHost(headers.host, port)) return `wrong host: this server answers only to ${ownHosts(port).join(" and ")}`
    if (method === "OPTIONS") return "no cross-origin requests: this server grants none"
    const origin = headers.origin
    if (origin !== undefined && !ownOrigins(port).includes(origin)) {
        return `requests from ${origin} are refused: this server answers only its own page`
    }
    if (READ_ONLY_METHODS.includes(method ?? "")) return undefined
    if (!isJson(headers["content-type"])) return `a ${method} must have Content-Type: application/json`
    return undefined
}

function ownHosts(port: number): string[] {
    return LOOPBACK_NAMES.map(name => `${name}:${port}`)
}

function ownOrigins(port: number): string[] {
    return ownHosts(port).map(host => `http://${host}`)
}

function isOwnHost(host: string | undefined, port: number): boolean {
    return host !== undefined && ownHosts(port).includes(host)
}

/** application/json, with or without parameters such as `; charset=utf-8`. */
function isJson(contentType: string | undefined): boolean {
    return contentType?.split(";")[0].trim().toLowerCase() === "application/json"
}
