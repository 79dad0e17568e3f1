// One build on the page: the real DeviceScript VM in real time, its serial peer
// (which a person can configure), and everything it does, as events for the page.
import { CHANGE, LightBulbReg } from "jacdac-ts"
import { Simulation, type WallClock } from "../../sim/index.js"
import { type BuildName, bytes, checksumHex, frame, seededRandom } from "../../host/index.js"
import { counters, instrumentedModuleOptions } from "../../sim/instrumentedVm.js"
import { median } from "../lib/stats.js"

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
/** Each peer setting as a person sees it on the page: its name there, and its unit (shares in %). */
const PEER_FIELDS: Record<keyof PeerSettings, { name: string; unit: "ms" | "%"; max: number }> = {
    replyDelayMs: { name: "reply delay", unit: "ms", max: MAX_REPLY_DELAY_MS },
    dropShare: { name: "dropped", unit: "%", max: 100 },
    corruptShare: { name: "corrupted", unit: "%", max: 100 },
}

/** One chunk of the flood: 39 six-byte frames, each with a wrong checksum (`A`'s is 41), 234 bytes in all. */
export const FLOOD_CHUNK = "$A*00\n".repeat(39)
/** A chunk every 20 ms: 11,700 bytes a second, about what a 115,200-baud line carries. */
export const FLOOD_EVERY_MS = 20
export const MAX_FLOOD_SECONDS = 30
/** After a pause of the host, the flood catches up by at most this many chunks at a time. */
const FLOOD_CATCH_UP_CHUNKS = 2
/** The longest line a person may send by hand (a frame may be at most 82 bytes: longer ones test `LEN`). */
export const MAX_HAND_BYTES = 400

/** What the page shows of a build, as the server streams it. `at` is milliseconds on the server's clock. */
export type DeviceEvent =
    | {
          kind: "frame"
          build: BuildName
          at: number
          /** The monitor line's number (a `repeat` event refers to it). */
          id: number
          dir: "out" | "in"
          text: string
          type: string
          note?: string
          /** How many times in a row the build sent this same frame (1 when absent), and when it last did. */
          repeat?: number
          lastAt?: number
      }
    | { kind: "note"; build: BuildName; at: number; id: number; text: string; tone?: "flood" }
    | { kind: "press"; build: BuildName; at: number; id: number }
    | { kind: "repeat"; build: BuildName; at: number; id: number; repeat: number; lastAt: number }
    | { kind: "flood"; build: BuildName; at: number; flood: FloodStatus }
    | { kind: "led"; build: BuildName; at: number; on: boolean }
    | { kind: "wakeups"; build: BuildName; at: number; list: Wakeup[] }
    | { kind: "stats"; build: BuildName; at: number; stats: Stats }
    | { kind: "peer"; build: BuildName; at: number; peer: PeerSettings }

/** A flood of garbage from the peer, running or the last one: what was sent, and what the build answered. */
export interface FloodStatus {
    running: boolean
    startedAt: number
    endsAt: number
    chunks: number
    bytes: number
    /** Counted from the flood's start. */
    errs: number
    ovfs: number
    discardedBytes: number
}

/** A monitor line's event as emitted (the device numbers each line). */
type NewMonitorEvent = DistributiveOmit<MonitorEvent, "id">
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** The monitor's lines: frames both ways, presses and the peer's notes. */
export type MonitorEvent = Extract<DeviceEvent, { kind: "frame" | "note" | "press" }>

/** A host wakeup of the VM: when (ms), and how many bytecode instructions it ran (0: it woke up for nothing). */
export type Wakeup = [at: number, instructions: number]

export interface Stats {
    presses: number
    reqs: number
    acks: number
    tmos: number
    /** Every ERR frame, OVF included. */
    errs: number
    /** `ERR,OVF,<n>` frames, and the bytes they say were discarded. */
    ovfs: number
    discardedBytes: number
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
    flood: FloodStatus | null
}

const MONITOR_KEEP = 400
const WAKEUPS_KEEP_MS = 4000
const LATENCIES_KEEP = 1000
/** A press whose answer has not come this long after it is taken as unanswered (pressed before RDY, say). */
const PRESS_ANSWER_WITHIN_MS = 1000

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

/**
 * Checks peer settings sent by the page (shares from 0 to 1); returns the merged
 * settings, or throws a one-line error in the page's terms (its field names, ms and %).
 */
export function checkPeerSettings(current: PeerSettings, change: Record<string, unknown>): PeerSettings {
    const next = { ...current }
    for (const [key, value] of Object.entries(change)) {
        if (key === "build") continue
        if (!(key in PEER_FIELDS)) throw new Error(`no peer setting ${key}: one of ${Object.keys(PEER_FIELDS).join(", ")}`)
        const { name, unit, max } = PEER_FIELDS[key as keyof PeerSettings]
        const shown = typeof value === "number" && unit === "%" ? Math.round(value * 1e6) / 1e4 : value
        if (typeof shown !== "number" || !Number.isFinite(shown)) throw new Error(`${name} must be a number of ${unit}`)
        if (shown < 0 || shown > max) throw new Error(`${name} must be from 0 to ${max} ${unit}, not ${shown} ${unit}`)
        next[key as keyof PeerSettings] = value as number
    }
    return next
}

/** The count of bytes an `ERR,OVF,<n>` frame reports, or undefined for any other frame. */
export function discardedBytes(text: string): number | undefined {
    const n = /^\$ERR,OVF,(\d+)\*/.exec(text)?.[1]
    return n === undefined ? undefined : Number(n)
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
    private counts = { presses: 0, reqs: 0, acks: 0, tmos: 0, errs: 0, ovfs: 0, discardedBytes: 0 }
    private nextMonitorId = 0
    /** The last monitor line, if it is a sent frame whose repeats have not been told yet. */
    private untoldRepeat?: Extract<MonitorEvent, { kind: "frame" }>
    private flooding?: { timer: ReturnType<typeof setInterval>; countsAtStart: Device["counts"] }
    private lastFlood: FloodStatus | null = null
    private sentText = ""
    private ledOn = false
    private stopped = false

    private constructor(
        readonly build: BuildName,
        private readonly clock: WallClock,
        seed: number,
    ) {
        this.random = seededRandom(seed)
    }

    /** Boots the build in the instrumented VM on `clock` and runs it until it has sent `RDY`. */
    static async start(build: BuildName, clock: WallClock, seed: number): Promise<Device> {
        const device = new Device(build, clock, seed)
        const sim = await Simulation.start({
            build,
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
        for (const listener of this.listeners) listener(event)
    }

    /** A new line of the monitor: kept, numbered and emitted (after the repeats of the line before, if untold). */
    private emitMonitor(line: NewMonitorEvent) {
        this.tellRepeats()
        const event = { ...line, id: this.nextMonitorId++ } as MonitorEvent
        this.monitor.push(event)
        if (this.monitor.length > MONITOR_KEEP) this.monitor.splice(0, this.monitor.length - MONITOR_KEEP)
        this.emit(event)
    }

    private tellRepeats() {
        const line = this.untoldRepeat
        if (!line) return
        this.untoldRepeat = undefined
        this.emit({ kind: "repeat", build: this.build, at: this.now, id: line.id, repeat: line.repeat ?? 1, lastAt: line.lastAt ?? line.at })
    }

    private emitStats() {
        this.emit({ kind: "stats", build: this.build, at: this.now, stats: this.stats() })
    }

    /** The build's button: its press is stamped now; the answer's latency is measured from here. */
    press(): Promise<void> {
        const at = this.now
        this.unansweredPresses.push(at)
        this.counts.presses++
        this.emitMonitor({ kind: "press", build: this.build, at })
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
        this.emitMonitor({ kind: "frame", build: this.build, at: this.now, dir: "in", text: printable(line), type: frameType(line), note })
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
        const discarded = discardedBytes(text)
        if (discarded !== undefined) {
            this.counts.ovfs++
            this.counts.discardedBytes += discarded
            note = `${discarded.toLocaleString("en-US")} received bytes discarded: no room to hold them`
        }
        // the same frame again (a flood's answers): one line with a count, told with the next flush
        const last = this.monitor.at(-1)
        if (!note && last?.kind === "frame" && last.dir === "out" && last.text === text && !last.note) {
            last.repeat = (last.repeat ?? 1) + 1
            last.lastAt = at
            this.untoldRepeat = last
        } else {
            this.emitMonitor({ kind: "frame", build: this.build, at, dir: "out", text, type, note })
            this.emitStats()
        }
        if (type === "REQ" && fields[1] !== undefined) this.answer(fields[1])
    }

    /** The automatic peer: answers a `REQ` after the reply delay, unless it drops or corrupts the reply. */
    private answer(seq: string) {
        // both draws every time, so one setting does not shift the other's sequence
        const drop = this.random() < this.peer.dropShare
        const corrupt = this.random() < this.peer.corruptShare
        if (drop) {
            this.emitMonitor({ kind: "note", build: this.build, at: this.now, text: `the peer drops its reply to REQ,${seq}` })
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
        this.tellRepeats()
        if (this.flooding) this.emitFlood()
        this.emitStats()
    }

    /**
     * The peer floods the build with garbage at line rate for `seconds`: a
     * 234-byte chunk of frames with a wrong checksum every 20 ms. Each frame asks
     * for a 13-byte `ERR,CHK`, more than the link can carry back, so the build
     * must hold input back and, when its store is full, discard and say `ERR,OVF`.
     */
    flood(seconds: number): FloodStatus {
        if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_FLOOD_SECONDS) {
            throw new Error(`a flood lasts from 0.1 to ${MAX_FLOOD_SECONDS} s, not ${seconds} s`)
        }
        this.stopFlood()
        const startedAt = this.now
        const totalChunks = Math.max(1, Math.round((seconds * 1000) / FLOOD_EVERY_MS))
        this.lastFlood = { running: true, startedAt, endsAt: startedAt + totalChunks * FLOOD_EVERY_MS, chunks: 0, bytes: 0, errs: 0, ovfs: 0, discardedBytes: 0 }
        this.emitMonitor({
            kind: "note",
            build: this.build,
            at: startedAt,
            tone: "flood",
            text: `flood: ${FLOOD_CHUNK.length} bytes of frames with a wrong checksum ($A*00) every ${FLOOD_EVERY_MS} ms for ${seconds} s, about 115,200 baud`,
        })
        const send = () => {
            const flood = this.lastFlood
            if (!flood || this.stopped) return this.stopFlood()
            const due = Math.min(totalChunks, Math.floor((this.now - startedAt) / FLOOD_EVERY_MS) + 1)
            for (let i = 0; i < FLOOD_CATCH_UP_CHUNKS && flood.chunks < due; i++) {
                flood.chunks++
                flood.bytes += FLOOD_CHUNK.length
                this.simulation.inject(bytes(FLOOD_CHUNK)).catch((e: unknown) => {
                    if (!this.stopped) this.emitMonitor({ kind: "note", build: this.build, at: this.now, text: `the flood could not send: ${e}` })
                })
            }
            if (flood.chunks >= totalChunks) this.stopFlood()
        }
        this.flooding = { timer: setInterval(send, FLOOD_EVERY_MS), countsAtStart: { ...this.counts } }
        send()
        this.emitFlood()
        return this.floodStatus()!
    }

    /** Ends the flood now, if one runs. */
    stopFlood() {
        const flooding = this.flooding
        if (!flooding) return
        clearInterval(flooding.timer)
        const status = this.floodStatus()!
        this.flooding = undefined
        this.lastFlood = { ...status, running: false }
        this.emitMonitor({
            kind: "note",
            build: this.build,
            at: this.now,
            tone: "flood",
            text: `flood over: ${status.bytes.toLocaleString("en-US")} bytes in ${status.chunks} chunks`,
        })
        this.emitFlood()
    }

    private floodStatus(): FloodStatus | null {
        const flood = this.lastFlood
        if (!flood || !this.flooding) return flood && { ...flood }
        const start = this.flooding.countsAtStart
        return {
            ...flood,
            errs: this.counts.errs - start.errs,
            ovfs: this.counts.ovfs - start.ovfs,
            discardedBytes: this.counts.discardedBytes - start.discardedBytes,
        }
    }

    private emitFlood() {
        const flood = this.floodStatus()
        if (flood) this.emit({ kind: "flood", build: this.build, at: this.now, flood })
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
            flood: this.floodStatus(),
        }
    }

    /** Forgets the monitor's lines and the counts (requests in flight stay: they are the device's state). */
    clear() {
        this.monitor.length = 0
        this.untoldRepeat = undefined
        this.latencies.length = 0
        this.counts = { presses: 0, reqs: 0, acks: 0, tmos: 0, errs: 0, ovfs: 0, discardedBytes: 0 }
        if (this.flooding) this.flooding.countsAtStart = { ...this.counts }
        this.emitStats()
    }

    /** VM crash lines, if any. */
    crashes(): string[] {
        return this.sim?.crashes() ?? []
    }

    stop() {
        if (this.stopped) return
        this.stopped = true
        if (this.flooding) clearInterval(this.flooding.timer)
        this.flooding = undefined
        for (const timer of this.timers) clearTimeout(timer)
        this.timers.clear()
        this.sim?.stop()
    }
}
