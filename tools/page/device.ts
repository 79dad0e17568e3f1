// One build on the page: the real DeviceScript VM in real time, its serial peer
// (which a person can configure), and everything it does, as events for the page.
import { readFileSync } from "node:fs"
import { CHANGE, LightBulbReg } from "jacdac-ts"
import { type BuildName, bytes, checksumHex, frame, programPath, Simulation, type WallClock } from "../../sim/index.js"
import { counters, instrumentedModuleOptions } from "../compare/instrumentedVm.js"
import { median } from "../compare/stats.js"

/** How the simulated serial peer answers each `REQ`. */
export interface PeerSettings {
    /** Milliseconds from the `REQ` to the peer's `RES`. */
    replyDelayMs: number
    /** Share of requests the peer never answers (0–1): each of them ends in a `TMO`. */
    dropShare: number
    /** Share of replies sent with a wrong checksum (0–1): `ERR,CHK`, then a `TMO`. */
    corruptShare: number
}

export const DEFAULT_PEER: PeerSettings = { replyDelayMs: 150, dropShare: 0, corruptShare: 0 }
export const MAX_REPLY_DELAY_MS = 5000
/** The longest line a person may send by hand (a frame may be at most 82 bytes: longer ones test `LEN`). */
export const MAX_HAND_BYTES = 400

/** What the page shows of a build, as the server streams it. `at` is milliseconds on the server's clock. */
export type DeviceEvent =
    | { kind: "frame"; build: BuildName; at: number; dir: "out" | "in"; text: string; type: string; note?: string }
    | { kind: "note"; build: BuildName; at: number; text: string }
    | { kind: "press"; build: BuildName; at: number }
    | { kind: "led"; build: BuildName; at: number; on: boolean }
    | { kind: "wakeups"; build: BuildName; at: number; list: Wakeup[] }
    | { kind: "stats"; build: BuildName; at: number; stats: Stats }
    | { kind: "peer"; build: BuildName; at: number; peer: PeerSettings }

/** The monitor's lines: frames both ways, presses and the peer's notes. */
export type MonitorEvent = Extract<DeviceEvent, { kind: "frame" | "note" | "press" }>

/** A host wakeup of the VM: when (ms), and how many bytecode instructions it ran (0: it woke up for nothing). */
export type Wakeup = [at: number, instructions: number]

export interface Stats {
    presses: number
    reqs: number
    acks: number
    tmos: number
    errs: number
    inFlight: number
    lastPressToReqMs: number | null
    medianPressToReqMs: number | null
    /** Over the last second. */
    wakeupsPerSec: number
    bytecodeWakeupsPerSec: number
    instructionsPerSec: number
}

export interface DeviceSnapshot {
    build: BuildName
    peer: PeerSettings
    ledOn: boolean
    stats: Stats
    monitor: MonitorEvent[]
    wakeups: Wakeup[]
}

const MONITOR_KEEP = 400
const WAKEUPS_KEEP_MS = 4000
const LATENCIES_KEEP = 1000
/** A press whose answer has not come this long after it is taken as unanswered (pressed before RDY, say). */
const PRESS_ANSWER_WITHIN_MS = 1000

/** A small seedable generator (mulberry32): the same seed gives the same drops and corruptions. */
export function random(seed: number): () => number {
    let state = seed >>> 0
    return () => {
        state = (state + 0x6d2b79f5) >>> 0
        let t = state
        t = Math.imul(t ^ (t >>> 15), t | 1)
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
}

/** A checksum that is surely wrong for `body`. */
export function wrongChecksum(body: string): string {
    return (parseInt(checksumHex(body), 16) ^ 0x5a).toString(16).toUpperCase().padStart(2, "0")
}

/** A received or sent line as the monitor shows it: non-printable bytes as `\xHH`, without its `\r\n`. */
export function printable(line: string): string {
    const trimmed = line.replace(/\r?\n$/, "")
    return trimmed.replace(/[^\x20-\x7e]/g, c => (c === "\r" ? "\\r" : c === "\n" ? "\\n" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`))
}

/** A frame's type: the first field of its body (`RES`, `ACK`...), or `?` when it is no frame. */
export function frameType(line: string): string {
    return /^\$([A-Za-z]+)[,*]/.exec(line)?.[1]?.toUpperCase() ?? "?"
}

/** Checks peer settings sent by the page; returns the merged settings or throws a one-line error. */
export function checkPeerSettings(current: PeerSettings, change: Record<string, unknown>): PeerSettings {
    const next = { ...current }
    for (const [key, value] of Object.entries(change)) {
        if (key === "build") continue
        if (!(key in DEFAULT_PEER)) throw new Error(`unknown peer setting ${key}`)
        if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${key} must be a number`)
        const max = key === "replyDelayMs" ? MAX_REPLY_DELAY_MS : 1
        if (value < 0 || value > max) throw new Error(`${key} must be from 0 to ${max}, not ${value}`)
        next[key as keyof PeerSettings] = value
    }
    return next
}

export class Device {
    peer: PeerSettings = { ...DEFAULT_PEER }
    private sim?: Simulation
    private readonly listeners: ((event: DeviceEvent) => void)[] = []
    private readonly monitor: MonitorEvent[] = []
    private readonly wakeups: Wakeup[] = []
    private pendingWakeup?: { at: number; instructionsBefore: number }
    private readonly random: () => number
    private readonly timers = new Set<ReturnType<typeof setTimeout>>()
    private readonly unansweredPresses: number[] = []
    private readonly inFlight = new Set<string>()
    private readonly latencies: number[] = []
    private counts = { presses: 0, reqs: 0, acks: 0, tmos: 0, errs: 0 }
    private sentText = ""
    private ledOn = false
    private stopped = false

    private constructor(
        readonly build: BuildName,
        private readonly clock: WallClock,
        seed: number,
    ) {
        this.random = random(seed)
    }

    /** Boots the build in the instrumented VM on `clock` and runs it until it has sent `RDY`. */
    static async start(build: BuildName, clock: WallClock, seed: number): Promise<Device> {
        const device = new Device(build, clock, seed)
        const sim = await Simulation.start({
            program: readFileSync(programPath(build)),
            clock,
            moduleOptions: instrumentedModuleOptions(),
            onWakeup: at => device.wakeup(at),
        })
        device.sim = sim
        sim.serial.onSend(chunk => device.sent(chunk.at, chunk.bytes))
        const brightness = sim.led.registers.find(r => r.identifier === LightBulbReg.Brightness)
        brightness?.on(CHANGE, () => device.ledChanged())
        await sim.untilReady()
        return device
    }

    private get simulation(): Simulation {
        if (!this.sim) throw new Error(`the ${this.build} build has not started`)
        return this.sim
    }

    get now(): number {
        return this.clock.now
    }

    onEvent(listener: (event: DeviceEvent) => void) {
        this.listeners.push(listener)
    }

    private emit(event: DeviceEvent) {
        if (event.kind === "frame" || event.kind === "note" || event.kind === "press") {
            this.monitor.push(event)
            if (this.monitor.length > MONITOR_KEEP) this.monitor.splice(0, this.monitor.length - MONITOR_KEEP)
        }
        for (const listener of this.listeners) listener(event)
    }

    private emitStats() {
        this.emit({ kind: "stats", build: this.build, at: this.now, stats: this.stats() })
    }

    /** The build's button: its press is stamped now; the answer's latency is measured from here. */
    press(): Promise<void> {
        const at = this.now
        this.unansweredPresses.push(at)
        this.counts.presses++
        this.emit({ kind: "press", build: this.build, at })
        this.emitStats()
        return this.simulation.press()
    }

    setPeer(change: Record<string, unknown>): PeerSettings {
        this.peer = checkPeerSettings(this.peer, change)
        this.emit({ kind: "peer", build: this.build, at: this.now, peer: { ...this.peer } })
        return this.peer
    }

    /**
     * Sends a line to the device by hand: a frame body (`RES,0,hi`), framed with
     * its checksum, or a wrong one; or, starting with `$`, exactly the line typed.
     * Returns what was sent.
     */
    async sendByHand(text: string, checksum: "right" | "wrong"): Promise<string> {
        if (!text) throw new Error("nothing to send")
        if (text.length > MAX_HAND_BYTES) throw new Error(`at most ${MAX_HAND_BYTES} characters, not ${text.length}`)
        if (/[^\x00-\xff]/.test(text)) throw new Error("only bytes (Latin-1 characters) can be sent")
        let line: string
        let note = "by hand"
        if (text.startsWith("$")) {
            line = /\n$/.test(text) ? text : `${text}\r\n`
            note = "by hand, as typed"
        } else if (checksum === "wrong") {
            line = frame(text, wrongChecksum(text))
            note = "by hand, wrong checksum"
        } else {
            line = frame(text)
        }
        await this.inject(line, note)
        return line
    }

    private async inject(line: string, note: string) {
        if (this.stopped) return
        this.emit({ kind: "frame", build: this.build, at: this.now, dir: "in", text: printable(line), type: frameType(line), note })
        await this.simulation.inject(bytes(line))
    }

    /** What the device sent: split into lines (frames), each one an event, and the peer's answer to a `REQ`. */
    private sent(at: number, chunk: Uint8Array) {
        this.sentText += String.fromCharCode(...chunk)
        let end: number
        while ((end = this.sentText.indexOf("\n")) >= 0) {
            const line = this.sentText.slice(0, end + 1)
            this.sentText = this.sentText.slice(end + 1)
            this.sentFrame(at, line)
        }
    }

    private sentFrame(at: number, line: string) {
        const text = printable(line)
        const type = frameType(line)
        const fields = /^\$([^*]*)\*/.exec(text)?.[1]?.split(",") ?? []
        let note: string | undefined
        if (type === "REQ" || text.startsWith("$ERR,BUSY*")) {
            while (this.unansweredPresses.length && at - this.unansweredPresses[0] > PRESS_ANSWER_WITHIN_MS) this.unansweredPresses.shift()
            const pressedAt = this.unansweredPresses.shift()
            if (pressedAt !== undefined) {
                const latency = at - pressedAt
                note = `${latency.toFixed(2)} ms after the press`
                if (type === "REQ") {
                    this.latencies.push(latency)
                    if (this.latencies.length > LATENCIES_KEEP) this.latencies.shift()
                }
            }
        }
        if (type === "REQ") {
            this.counts.reqs++
            this.inFlight.add(fields[1])
        } else if (type === "ACK" || type === "TMO") {
            this.counts[type === "ACK" ? "acks" : "tmos"]++
            this.inFlight.delete(fields[1])
        } else if (type === "ERR") {
            this.counts.errs++
        }
        this.emit({ kind: "frame", build: this.build, at, dir: "out", text, type, note })
        this.emitStats()
        if (type === "REQ" && fields[1] !== undefined) this.answer(fields[1])
    }

    /** The automatic peer: answers a `REQ` after the reply delay, unless it drops or corrupts the reply. */
    private answer(seq: string) {
        // both draws every time, so one setting does not shift the other's sequence
        const drop = this.random() < this.peer.dropShare
        const corrupt = this.random() < this.peer.corruptShare
        if (drop) {
            this.emit({ kind: "note", build: this.build, at: this.now, text: `the peer drops its reply to REQ,${seq}` })
            return
        }
        const body = `RES,${seq},ok${seq}`
        const line = corrupt ? frame(body, wrongChecksum(body)) : frame(body)
        const timer = setTimeout(() => {
            this.timers.delete(timer)
            void this.inject(line, corrupt ? "auto reply, corrupted" : "auto reply")
        }, this.peer.replyDelayMs)
        this.timers.add(timer)
    }

    private ledChanged() {
        const on = (this.sim?.led.intensity ?? 0) > 0
        if (on === this.ledOn) return
        this.ledOn = on
        this.emit({ kind: "led", build: this.build, at: this.now, on })
    }

    /** Each host wakeup of the VM: the instructions it ran are known at the next one (or at `flushWakeups`). */
    private wakeup(at: number) {
        if (!this.sim) return
        const instructions = counters(this.sim.module).instructions
        this.closeWakeup(instructions)
        this.pendingWakeup = { at, instructionsBefore: instructions }
    }

    private closeWakeup(instructionsNow: number) {
        const pending = this.pendingWakeup
        if (!pending) return
        this.pendingWakeup = undefined
        this.wakeups.push([Math.round(pending.at * 100) / 100, instructionsNow - pending.instructionsBefore])
    }

    /**
     * Emits the wakeups since the last call (called between two runs of the VM,
     * so the last one has finished), with fresh rates.
     */
    flushWakeups(since: number) {
        if (!this.sim) return
        this.closeWakeup(counters(this.sim.module).instructions)
        const horizon = this.now - WAKEUPS_KEEP_MS
        while (this.wakeups.length && this.wakeups[0][0] < horizon) this.wakeups.shift()
        const list = this.wakeups.filter(w => w[0] > since)
        this.emit({ kind: "wakeups", build: this.build, at: this.now, list })
        this.emitStats()
    }

    stats(): Stats {
        const lastSecond = this.wakeups.filter(w => w[0] > this.now - 1000)
        return {
            ...this.counts,
            inFlight: this.inFlight.size,
            lastPressToReqMs: this.latencies.at(-1) ?? null,
            medianPressToReqMs: this.latencies.length ? median(this.latencies) : null,
            wakeupsPerSec: lastSecond.length,
            bytecodeWakeupsPerSec: lastSecond.filter(w => w[1] > 0).length,
            instructionsPerSec: lastSecond.reduce((sum, w) => sum + w[1], 0),
        }
    }

    snapshot(): DeviceSnapshot {
        return {
            build: this.build,
            peer: { ...this.peer },
            ledOn: this.ledOn,
            stats: this.stats(),
            monitor: [...this.monitor],
            wakeups: [...this.wakeups],
        }
    }

    /** Forgets the monitor's lines and the counts (requests in flight stay: they are the device's state). */
    clear() {
        this.monitor.length = 0
        this.latencies.length = 0
        this.counts = { presses: 0, reqs: 0, acks: 0, tmos: 0, errs: 0 }
        this.emitStats()
    }

    /** VM crash lines, if any. */
    crashes(): string[] {
        return this.sim?.crashes() ?? []
    }

    stop() {
        if (this.stopped) return
        this.stopped = true
        for (const timer of this.timers) clearTimeout(timer)
        this.timers.clear()
        this.sim?.stop()
    }
}
