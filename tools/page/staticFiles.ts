// The files the page loads, by path: its own, and the label placement it shares with the charts (tools/lib).
import { readFile } from "node:fs/promises"
import type { ServerResponse } from "node:http"
import { extname, join } from "node:path"
import { fileURLToPath } from "node:url"

const STATIC_DIR = fileURLToPath(new URL("static", import.meta.url))
/** Everything in static/ the page loads: its HTML, its style sheet and its ES modules. */
const PAGE_FILES = [
    "index.html",
    "style.css",
    "app.js",
    "api.js",
    "events.js",
    "connection.js",
    "format.js",
    "numberField.js",
    "panel.js",
    "peerFields.js",
    "flood.js",
    "monitor.js",
    "handSend.js",
    "timeline.js",
]

export const STATIC_FILES: Record<string, string> = {
    "/": join(STATIC_DIR, "index.html"),
    ...Object.fromEntries(PAGE_FILES.map(name => [`/${name}`, join(STATIC_DIR, name)])),
    "/labels.js": fileURLToPath(new URL("../lib/labels.js", import.meta.url)),
}

const CONTENT_TYPES: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}

export function isStaticFile(path: string): boolean {
    return Object.hasOwn(STATIC_FILES, path)
}

export async function serveStaticFile(res: ServerResponse, path: string) {
    const name = STATIC_FILES[path]
    const body = await readFile(name)
    res.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(name)], "Cache-Control": "no-store" })
    res.end(body)
}
