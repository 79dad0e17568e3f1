// The page server's answers and requests: JSON both ways, and an error that carries its HTTP status.
import type { IncomingMessage, ServerResponse } from "node:http"

const MAX_BODY_BYTES = 4096

export class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message)
    }
}

export function json(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" })
    res.end(JSON.stringify(body))
}

/** The request's body, which must be a JSON object (or empty: `{}`). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    let text = ""
    for await (const chunk of req) {
        text += chunk
        if (text.length > MAX_BODY_BYTES) throw new HttpError(413, "request too large")
    }
    if (!text) return {}
    let body: unknown
    try {
        body = JSON.parse(text)
    } catch {
        throw new HttpError(400, "the request body is not JSON")
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, "the request body must be a JSON object")
    return body as Record<string, unknown>
}
