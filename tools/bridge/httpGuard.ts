// A web page can make the browser send an HTTP request to any port of this machine, the bridge's TCP link included:
// the body of a cross-site POST would reach the firmware as serial input. No client of the link speaks HTTP, so one
// whose first bytes are an HTTP request is refused before any of them go on (Redis guards its port the same way).

/** The methods a browser can send without a preflight (GET, HEAD, POST), and the preflight itself. */
const BROWSER_REQUEST = /^(GET|HEAD|POST|OPTIONS) /

/** Whether a TCP client's first chunk is the start of an HTTP request (a browser writes its request line in one piece). */
export function startsLikeHttpRequest(firstChunk: Uint8Array): boolean {
    return BROWSER_REQUEST.test(String.fromCharCode(...firstChunk.subarray(0, 8)))
}
