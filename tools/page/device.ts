// One build on the page: the real DeviceScript VM in real time, with its peer, its flood, its figures,
// its wakeups and its monitor, and everything it does as events for the page.
import { CHANGE, LightBulbReg } from "jacdac-ts"
import { Simulation, type WallClock } from "../../sim/index.js"
import { type BuildName, bytes } from "../../host/index.js"
import { counters, instrumentedModuleOptions } from "../../sim/instrumentedVm.js"
import type { DeviceEvent, DeviceSnapshot, NewMonitorEvent } from "./events.js"
import { checkFloodSeconds, Flood, type FloodStatus, floodOverNote, floodStartNote } from "./flood.js"
import { type Checksum, handLine } from "./handSend.js"
import { frameFields, frameType, printable } from "./lines.js"
import { Monitor } from "./monitor.js"
import { AutoPeer, type PeerSettings } from "./peer.js"
import { type Stats, Tally } from "./stats.js"
import { WakeupTrace } from "./wakeups.js"

export class Device {
    private sim?: Simulation
    private readonly listeners: ((event: DeviceEvent) => void)[] = []
    private readonly autoPeer: AutoPeer
    private readonly tally = new Tally()
    private readonly monitor: Monitor
    private readonly wakeups = new WakeupTrace(() => (this.sim ? counters(this.sim.module).instructions : 0))
    private readonly timers = new Set<ReturnType<typeof setTimeout>>()
    /** The flood running, or the last one. */
    private flood?: Flood
    private sentText = ""
    private ledOn = false
    private stopped = false

    private constructor(
        readonly build: BuildName,
        private readonly clock: WallClock,
        seed: number,
    ) {
        this.autoPeer = new AutoPeer(seed)
        this.monitor = new Monitor(build, clock, event => this.emit(event))
    }

    /** Boots the build in the instrumented VM on `clock` and runs it until it has sent `RDY`. */
    static async start(build: BuildName, clock: WallClock, seed: number): Promise<Device> {
        const device = new Device(build, clock, seed)
        const sim = await Simulation.start({
            build,
            clock,
            moduleOptions: instrumentedModuleOptions(),
            onWakeup: at => {
                if (device.sim) device.wakeups.wakeup(at)
            },
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

    /** The peer's settings in force. */
    get peer(): PeerSettings {
        return { ...this.autoPeer.settings }
    }

    onEvent(listener: (event: DeviceEvent) => void) {
        this.listeners.push(listener)
    }

    private emit(event: DeviceEvent) {
        if (this.stopped) return
        for (const listener of this.listeners) listener(event)
    }

    private note(text: string, tone?: "flood") {
        const line: NewMonitorEvent = { kind: "note", build: this.build, at: this.now, text }
        this.monitor.add(tone ? { ...line, tone } : line)
    }

    private emitStats() {
        this.emit({ kind: "stats", build: this.build, at: this.now, stats: this.stats() })
    }

    /** The build's button: its press is stamped now; the answer's latency is measured from here. */
    press(): Promise<void> {
        const at = this.now
        this.tally.pressed(at)
        this.monitor.add({ kind: "press", build: this.build, at })
        this.emitStats()
        return this.simulation.press()
    }

    setPeer(change: Record<string, unknown>): PeerSettings {
        const peer = this.autoPeer.set(change)
        this.emit({ kind: "peer", build: this.build, at: this.now, peer })
        return peer
    }

    /** Sends a line to the device by hand (see handSend.ts); returns what was sent. */
    async sendByHand(text: string, checksum: Checksum): Promise<string> {
        const { line, note } = handLine(text, checksum)
        await this.inject(line, note)
        return line
    }

    private async inject(line: string, note: string) {
        if (this.stopped) return
        this.monitor.add({ kind: "frame", build: this.build, at: this.now, dir: "in", text: printable(line), type: frameType(line), note })
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
        const fields = frameFields(text)
        const note = this.tally.sent(at, text, type, fields)
        if (this.monitor.addSent({ kind: "frame", build: this.build, at, dir: "out", text, type, note })) this.emitStats()
        if (type === "REQ" && fields[1] !== undefined) this.answer(fields[1])
    }

    /** The automatic peer's answer to a `REQ`: nothing (dropped), or its reply after the delay. */
    private answer(seq: string) {
        const reply = this.autoPeer.replyTo(seq)
        if (reply.dropped) return this.note(`the peer drops its reply to REQ,${seq}`)
        const timer = setTimeout(() => {
            this.timers.delete(timer)
            void this.inject(reply.line, reply.corrupted ? "auto reply, corrupted" : "auto reply")
        }, reply.afterMs)
        this.timers.add(timer)
    }

    private ledChanged() {
        const on = (this.sim?.led.intensity ?? 0) > 0
        if (on === this.ledOn) return
        this.ledOn = on
        this.emit({ kind: "led", build: this.build, at: this.now, on })
    }

    /** Emits the wakeups since `since` (called between two runs of the VM), and what has changed since: repeats, flood, figures. */
    flushWakeups(since: number) {
        if (!this.sim) return
        const list = this.wakeups.flush(this.now, since)
        this.emit({ kind: "wakeups", build: this.build, at: this.now, list })
        this.monitor.tellRepeats()
        if (this.flood?.isRunning) this.emitFlood()
        this.emitStats()
    }

    /** The peer floods the build with garbage at line rate for `seconds` (see flood.ts); a flood running stops first. */
    startFlood(seconds: number): FloodStatus {
        checkFloodSeconds(seconds)
        this.stopFlood()
        const flood = new Flood(
            seconds,
            this.clock,
            chunk => this.floodChunk(chunk),
            () => this.tally.counts,
            () => {
                this.note(floodOverNote(flood.status()), "flood")
                this.emitFlood()
            },
        )
        this.flood = flood
        this.note(floodStartNote(seconds), "flood")
        flood.start()
        this.emitFlood()
        return flood.status()
    }

    private floodChunk(chunk: Uint8Array) {
        if (this.stopped) return this.flood?.stop()
        this.simulation.inject(chunk).catch((e: unknown) => {
            if (!this.stopped) this.note(`the flood could not send: ${e}`)
        })
    }

    /** Ends the flood now, if one runs. */
    stopFlood() {
        this.flood?.stop()
    }

    private emitFlood() {
        if (this.flood) this.emit({ kind: "flood", build: this.build, at: this.now, flood: this.flood.status() })
    }

    stats(): Stats {
        return this.tally.stats(this.wakeups.rates(this.now))
    }

    snapshot(): DeviceSnapshot {
        return {
            build: this.build,
            peer: this.peer,
            ledOn: this.ledOn,
            stats: this.stats(),
            monitor: this.monitor.lines(),
            wakeups: this.wakeups.all(),
            flood: this.flood?.status() ?? null,
        }
    }

    /** Forgets the monitor's lines and the counts (requests in flight stay: they are the device's state). */
    clear() {
        this.monitor.clear()
        this.tally.clear()
        if (this.flood?.isRunning) this.flood.rebase()
        this.emitStats()
    }

    /** VM crash lines, if any. */
    crashes(): string[] {
        return this.sim?.crashes() ?? []
    }

    stop() {
        if (this.stopped) return
        this.stopped = true
        this.flood?.stop()
        for (const timer of this.timers) clearTimeout(timer)
        this.timers.clear()
        this.sim?.stop()
    }
}
