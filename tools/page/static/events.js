// The server's events (Server-Sent Events), and its clock as the page estimates it from them.

const RECONNECT_MS = 1000
/** The server's clock minus performance.now(), from the freshest event. */
let offset = null

/** Milliseconds on the server's clock, now (0 before the first event). */
export function serverNow() {
    return offset === null ? 0 : performance.now() + offset
}

function track(event) {
    const seen = event.at - performance.now()
    // a hello may come from a restarted server, whose clock starts again
    if (event.kind === "hello" || offset === null || seen > offset) offset = seen
}

/**
 * Listens to the server's events: `onEvent` for each (the first, on connecting
 * or connecting again, is a hello), `onLost` when the link breaks (the browser
 * tries again; so does this, should the browser give up).
 */
export function connect({ onEvent, onLost }) {
    const source = new EventSource("/api/events")
    source.onerror = () => {
        onLost()
        if (source.readyState === EventSource.CLOSED) setTimeout(() => connect({ onEvent, onLost }), RECONNECT_MS)
    }
    source.onmessage = message => {
        const event = JSON.parse(message.data)
        track(event)
        onEvent(event)
    }
}
