// `npm start`: every build side by side on a local web page. Their VMs run here,
// in real time; the page gets their events by Server-Sent Events and acts by POST.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { WallClock } from "../../sim/index.js"
import { type BuildName, BUILD_NAMES, BUILDS } from "../../host/index.js"
import { buildOrCheck } from "../lib/builds.js"
import { listenFailure, runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import type { Device } from "./device.js"
import type { BuildInfo, Hello, PageEvent, PageLimits } from "./events.js"
import { FLOOD_CHUNK, FLOOD_EVERY_MS, FLOOD_SECONDS } from "./flood.js"
import { handPreview, MAX_HAND_BYTES } from "./handSend.js"
import { HttpError, json, readJson } from "./httpJson.js"
import { PEER_LIMITS } from "./peer.js"
import { whyRefused } from "./requestPolicy.js"
import { isStaticFile, serveStaticFile } from "./staticFiles.js"

export const HOST = "127.0.0.1"
export const DEFAULT_PORT = 8090
const USAGE = "usage: npm start -- [--port N] [--seed N] [--no-build]"
const HELP = [
    `Runs every build (${BUILD_NAMES.join(", ")}) side by side in real time and serves a page to press the button and watch them, on 127.0.0.1 only.`,
    "Only that page may act: requests from other web sites are refused, and a POST without Origin (curl) must be JSON.",
    `  --port N     the page's port (default ${DEFAULT_PORT}; 0 picks a free one)`,
    "  --seed N     seeds the simulated peers' drops and corruptions",
    "  --no-build   use the builds in built/ as they are",
].join("\n")
const WAKEUPS_EVERY_MS = 100
const HEARTBEAT_EVERY_MS = 15_000

/** The builds as the page introduces them, and what a person may type there: sent in every hello, so that they live here only. */
const BUILD_INFO: BuildInfo[] = BUILDS.map(({ name, style, summary, color }) => ({ name, style, summary, color }))
const LIMITS: PageLimits = {
    peer: PEER_LIMITS,
    flood: { seconds: FLOOD_SECONDS, chunkBytes: FLOOD_CHUNK.length, everyMs: FLOOD_EVERY_MS },
    handBytes: MAX_HAND_BYTES,
}

export interface PageServerOptions {
    /** 0 picks a free port. */
    port?: number
    /** Seeds the peers' drops and corruptions (each build gets its own sequence from it). */
    seed?: number
}

export class PageServer {
    readonly clock = new WallClock()
    readonly devices = new Map<BuildName, Device>()
    private readonly clients = new Set<ServerResponse>()
    private readonly server: Server
    private timers: ReturnType<typeof setInterval>[] = []
    private wakeupsSentUpTo = 0
    private closed = false

    private constructor(private readonly seed: number) {
        this.server = createServer((req, res) => void this.handle(req, res))
    }

    /** Listens on 127.0.0.1 (and nowhere else), then boots every build. */
    static async start(options: PageServerOptions = {}): Promise<PageServer> {
        const page = await PageServer.listen(options)
        await page.boot()
        return page
    }

    /** Listens on 127.0.0.1 only, with no build running yet (the page says it is starting until `boot`). */
    static async listen(options: PageServerOptions = {}): Promise<PageServer> {
        const page = new PageServer(options.seed ?? 1)
        await page.listenOn(options.port ?? DEFAULT_PORT)
        return page
    }

    private listenOn(port: number): Promise<void> {
        return new Promise((resolve, reject) => {
            this.server.once("error", (e: NodeJS.ErrnoException) => reject(listenFailure(e, HOST, port, "--port")))
            this.server.listen(port, HOST, () => resolve())
        })
    }

    /** Boots every build (closing the server if any fails). */
    async boot() {
        try {
            await this.startDevices()
        } catch (e) {
            await this.close()
            throw e
        }
        this.broadcast(this.hello())
    }

    private async startDevices() {
        // loaded only now (binaryen takes seconds to load), so that a bad argument or a busy port fails at once
        const { Device } = await import("./device.js")
        const { instrumentedVmWasm } = await import("../../sim/instrumentedVm.js")
        instrumentedVmWasm() // rewrite the VM binary once, before any build needs it
        const builds = BUILD_NAMES
        const started = await Promise.allSettled(builds.map((build, i) => Device.start(build, this.clock, this.seed + i)))
        const devices = started.flatMap(s => (s.status === "fulfilled" ? [s.value] : []))
        const failed = started.find(s => s.status === "rejected")
        if (failed || this.closed) {
            for (const device of devices) device.stop()
            throw failed ? failed.reason : new Error("the server was closed while the builds started")
        }
        for (const device of devices) {
            this.devices.set(device.build, device)
            device.onEvent(event => this.broadcast(event))
        }
        this.wakeupsSentUpTo = this.clock.now
        this.timers.push(
            setInterval(() => {
                const since = this.wakeupsSentUpTo
                this.wakeupsSentUpTo = this.clock.now
                for (const device of this.devices.values()) device.flushWakeups(since)
            }, WAKEUPS_EVERY_MS),
            setInterval(() => {
                for (const client of this.clients) client.write(": still here\n\n")
            }, HEARTBEAT_EVERY_MS),
        )
    }

    get port(): number {
        return (this.server.address() as AddressInfo).port
    }

    get url(): string {
        return `http://${HOST}:${this.port}/`
    }

    private broadcast(event: PageEvent) {
        const data = `data: ${JSON.stringify(event)}\n\n`
        for (const client of this.clients) client.write(data)
    }

    hello(): Hello {
        return { kind: "hello", at: this.clock.now, builds: BUILD_INFO, limits: LIMITS, devices: [...this.devices.values()].map(d => d.snapshot()) }
    }

    private tellViewers() {
        this.broadcast({ kind: "viewers", at: this.clock.now, count: this.clients.size })
    }

    /** Presses every build's button at the same instant. */
    async press(): Promise<void> {
        await Promise.all([...this.devices.values()].map(d => d.press()))
    }

    private device(build: unknown): Device {
        const device = this.devices.get(build as BuildName)
        if (!device) throw new HttpError(400, `no build ${JSON.stringify(build)}: one of ${[...this.devices.keys()].join(", ")}`)
        return device
    }

    private async handle(req: IncomingMessage, res: ServerResponse) {
        try {
            const refused = whyRefused(req.method, req.headers, this.port)
            if (refused) throw new HttpError(403, refused)
            const path = new URL(req.url ?? "/", this.url).pathname
            if (req.method === "GET" && isStaticFile(path)) return await serveStaticFile(res, path)
            if (req.method === "GET" && path === "/api/events") return this.subscribe(req, res)
            if (req.method === "GET" && path === "/api/state") return json(res, 200, this.hello())
            if (req.method === "POST" && path.startsWith("/api/")) return json(res, 200, await this.act(path, await readJson(req)))
            throw new HttpError(404, `no ${req.method} ${path}`)
        } catch (e) {
            const status = e instanceof HttpError ? e.status : 400
            json(res, status, { error: e instanceof Error ? e.message : String(e) })
        }
    }

    private async act(path: string, body: Record<string, unknown>): Promise<unknown> {
        if (path === "/api/preview") {
            if (typeof body.text !== "string") throw new HttpError(400, "text must be a string")
            return { preview: handPreview(body.text) }
        }
        if (this.devices.size === 0) throw new HttpError(503, "the builds are still starting")
        switch (path) {
            case "/api/press":
                await this.press()
                return { ok: true }
            case "/api/peer":
                return { peer: this.device(body.build).setPeer(body) }
            case "/api/send": {
                if (typeof body.text !== "string") throw new HttpError(400, "text must be a string")
                const checksum = body.checksum === "wrong" ? "wrong" : "right"
                return { sent: await this.device(body.build).sendByHand(body.text, checksum) }
            }
            case "/api/flood": {
                const device = this.device(body.build)
                if (body.stop === true) {
                    device.stopFlood()
                    return { ok: true }
                }
                if (typeof body.seconds !== "number") throw new HttpError(400, "seconds must be a number")
                return { flood: device.startFlood(body.seconds) }
            }
            case "/api/clear":
                for (const device of this.devices.values()) device.clear()
                this.broadcast(this.hello())
                return { ok: true }
        }
        throw new HttpError(404, `no POST ${path}`)
    }

    private subscribe(req: IncomingMessage, res: ServerResponse) {
        res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" })
        res.write("retry: 1000\n\n")
        res.write(`data: ${JSON.stringify(this.hello())}\n\n`)
        this.clients.add(res)
        this.tellViewers()
        req.on("close", () => {
            this.clients.delete(res)
            if (!this.closed) this.tellViewers()
        })
    }

    /** VM crash lines of every build, if any. */
    crashes(): string[] {
        return [...this.devices.values()].flatMap(d => d.crashes().map(c => `${d.build}: ${c}`))
    }

    async close(): Promise<void> {
        if (this.closed) return
        this.closed = true
        for (const timer of this.timers) clearInterval(timer)
        for (const client of this.clients) client.end()
        this.clients.clear()
        for (const device of this.devices.values()) device.stop()
        this.server.closeAllConnections()
        await new Promise<void>(resolve => this.server.close(() => resolve()))
    }
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { port: "number", seed: "number", "no-build": "flag" }, USAGE, HELP)
    const port = options.port ?? DEFAULT_PORT
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535, not ${port}; ${USAGE}`)
    if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new Error(`--seed must be a whole number, not ${options.seed}; ${USAGE}`)
    const page = await PageServer.listen({ port, seed: options.seed })
    buildOrCheck(BUILD_NAMES, options["no-build"])
    console.log(`starting ${BUILD_NAMES.join(", ")} in the DeviceScript VM...`)
    await page.boot()
    console.log(`open ${page.url}`)
    console.log("(this machine only; Ctrl+C stops it)")
    const stop = () => {
        void page.close().then(() => process.exit(0))
    }
    process.once("SIGINT", stop)
    process.once("SIGTERM", stop)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runMain(main)
