// Both firmware builds on an emulated Pico: the real DeviceScript runtime, its Jacdac over USB to a jacdac-ts bus.
import { createHash } from "node:crypto"
import { JDBus } from "jacdac-ts"
import { VirtualClock } from "../clock.js"
import type { Device, LedSwitch } from "../../host/device.js"
import type { SentFrame } from "../../host/frames.js"
import { Peripherals } from "../peripherals.js"
import { GpioButton, LedPin } from "./board.js"
import { watchButtonDowns } from "./buttonDowns.js"
import { type ChipCrash, CrashWatch, describeCrash } from "./crashWatch.js"
import { DevsHeap, type HeapCollection } from "./devsHeap.js"
import { DmesgReader } from "./dmesg.js"
import { type ElfFunction, readElfFunctions, readElfSymbols, type Symbols } from "./elfSymbols.js"
import { FlashBreakpoints } from "./flashBreakpoints.js"
import { JacdacUsbBridge } from "./jacdacUsbBridge.js"
import { Pico, type PicoImage } from "./pico.js"
import { stubMathRandom } from "./repeatableRandom.js"

export interface ChipSimulationOptions {
    /** The build the image holds (or, for a variant, its name). */
    build: string
    image: PicoImage
    /** Ask the runtime for its log (DMESG) over USB and print it. */
    verbose?: boolean
    /** Model the XIP cache: flash reads cost the core their line fills (see XipTiming). */
    xip?: boolean
    /** The runtime's ELF (its symbols): without it the chip's panics and its DeviceScript heap cannot be seen. */
    elf?: Uint8Array
}

/** Emulated time runs in slices this long (ns) between looks at the host side; a slice ends early when the device sends. */
const SLICE_NS = 1_000_000
/** The host bus's own device ID (jacdac-ts would draw one at random). */
const HOST_DEVICE_ID = "c41b0a5700000001"
/** The runtime sends RDY about 1.23 s after reset. */
const READY_WITHIN_MS = 5000

/**
 * The chip and its surroundings on one emulated clock: the host's jacdac-ts bus
 * (a VirtualClock kept in step with the chip) with the serial peer on it, the
 * button on GP15 and the LED on GP25.
 */
export class ChipSimulation implements Device {
    readonly host = "chip"
    readonly build: string
    readonly pico: Pico
    readonly clock = new VirtualClock()
    readonly bus: JDBus
    readonly peripherals: Peripherals
    readonly serial: Peripherals["serial"]
    readonly button: GpioButton
    readonly led: LedPin
    /** The DeviceScript heap, when the runtime's ELF was given. */
    readonly heap?: DevsHeap
    /** Every line of the runtime's log (DMESG) so far, stamped when it was read (within a slice of its writing); empty without the ELF. */
    readonly log: { at: number; text: string }[] = []
    /** When the runtime's button server saw each press, once `watchButtonDowns` was called: a press it never saw is not here. */
    readonly buttonDowns: number[] = []
    private readonly elf?: { symbols: Symbols; functions: ElfFunction[] }
    /** Every full collection of the DeviceScript heap so far (with the ELF). */
    readonly collections: HeapCollection[] = []
    private readonly crashWatch: CrashWatch
    private readonly breakpoints: FlashBreakpoints
    private readonly logReader?: DmesgReader
    /** The entry of `jd_rx_get_frame`, which the main loop calls before each received frame (-1 without the ELF). */
    private readonly nextFrameAt: number = -1
    private bridge!: JacdacUsbBridge
    private packetsEnabled = false
    private readonly restoreRandom: () => void

    private constructor(private readonly options: ChipSimulationOptions) {
        this.build = options.build
        this.restoreRandom = stubMathRandom()
        this.pico = new Pico(options.image, { xip: options.xip })
        this.bus = new JDBus([], { scheduler: this.clock, disableRoleManager: true, deviceId: HOST_DEVICE_ID })
        this.peripherals = new Peripherals(this.bus, () => this.pico.time.millis)
        this.serial = this.peripherals.serial
        this.button = new GpioButton(this.pico, this.clock)
        this.led = new LedPin(this.pico)
        this.crashWatch = new CrashWatch(this.pico)
        this.breakpoints = new FlashBreakpoints(this.pico, (code, address) => this.crashWatch.breakpoint(code, address))
        const symbols = options.elf && readElfSymbols(options.elf)
        if (options.elf && symbols) {
            const functions = readElfFunctions(options.elf)
            this.heap = DevsHeap.fromElf(this.pico, symbols, functions)
            this.heap.watchCollections(this.breakpoints, collection => this.collections.push(collection))
            this.elf = { symbols, functions }
            this.nextFrameAt = functions.find(f => f.name === "jd_rx_get_frame")?.address ?? -1
            this.logReader = new DmesgReader(this.pico, symbols)
        }
    }

    /**
     * From now on, records in `buttonDowns` each press the runtime's button server sees
     * (needs the ELF). Not on by default: its breakpoint sits on `jd_send_event_ext`,
     * which a FunctionTrace (the press trace) may want to trace itself.
     */
    watchButtonDowns(): void {
        if (!this.elf) throw new Error("watching the button server needs the runtime's ELF")
        watchButtonDowns(this.pico, this.breakpoints, this.elf.symbols, this.elf.functions, () => this.buttonDowns.push(this.now))
    }

    /** Between two slices of emulated time: the breakpoints that fired are armed again, the runtime's log is read. */
    private betweenSlices() {
        this.breakpoints.rearm()
        this.readLog()
    }

    /** Reads what the runtime logged since the last look (often enough that its 4 KB ring never laps: each slice). */
    private readLog() {
        if (!this.logReader) return
        for (const text of this.logReader.newLines()) {
            this.log.push({ at: this.now, text })
            this.crashWatch.logLine(text)
        }
    }

    static async start(options: ChipSimulationOptions): Promise<ChipSimulation> {
        const sim = new ChipSimulation(options)
        sim.bridge = await JacdacUsbBridge.connect(sim.pico.usb, sim.bus)
        sim.peripherals.plugSerial()
        sim.bus.start()
        sim.bus.backgroundRefreshRegisters = false
        return sim
    }

    /** The sha256 of the UF2 image the chip runs (runtime, board configuration and program). */
    get imageSha256(): string {
        return createHash("sha256").update(this.options.image.uf2).digest("hex")
    }

    /** Emulated ms since reset. */
    get now(): number {
        return this.pico.time.millis
    }

    /** Runs the chip and the host side for `ms` of emulated time. */
    async advance(ms: number): Promise<void> {
        const { time } = this.pico
        const end = time.nanos + ms * 1e6
        while (time.nanos < end) {
            time.run(Math.min(end, time.nanos + SLICE_NS), () => this.bridge.hasPending)
            this.betweenSlices()
            await this.hostCatchesUp()
        }
    }

    /**
     * Runs, as `advance` does, until the core is in its main loop between two pieces
     * of work: waiting in its `wfe`, or (with the ELF) about to take the next received
     * frame (`jd_rx_get_frame`, which jacdac-c's `jd_process_everything_core` calls
     * before each frame it handles, and which nothing else calls), where nothing of
     * the runtime or the VM is under way: the moments `callInThreadMode` needs. A chip
     * too busy to sleep (the loop then handles frames without end) still gets there
     * before every frame. False if it has not within `withinMs`.
     */
    async untilMainLoop(withinMs: number): Promise<boolean> {
        const { time } = this.pico
        const core = this.pico.rp2040.core
        const nextFrameAt = this.nextFrameAt
        const there = () => core.IPSR === 0 && (core.waiting || (core.PC & ~1) === nextFrameAt)
        const end = time.nanos + withinMs * 1e6
        while (!there()) {
            if (time.nanos >= end) return false
            time.run(Math.min(end, time.nanos + SLICE_NS), () => this.bridge.hasPending || there())
            this.betweenSlices()
            // the host catches up at the next advance: what it sends now would wake the core
            if (there()) return true
            await this.hostCatchesUp()
        }
        return true
    }

    /** The host sees what the device sent, its clock reaches the chip's, and its timers due by then run. */
    private async hostCatchesUp() {
        if (!this.packetsEnabled && this.bridge.deviceConnected) {
            this.packetsEnabled = true
            await this.bridge.enablePackets(this.options.verbose)
        }
        this.bridge.deliver()
        const behind = Math.floor(this.now) - this.clock.now
        await this.clock.advance(Math.max(0, behind))
    }

    /** Every frame the device has sent so far, stamped in emulated ms. */
    get frames(): SentFrame[] {
        return this.peripherals.frames
    }

    bodies(since = 0): string[] {
        return this.peripherals.bodies(since)
    }

    /** Runs until the device has sent RDY. */
    async untilReady(): Promise<SentFrame> {
        for (let waited = 0; waited < READY_WITHIN_MS; waited += 10) {
            const rdy = this.frames.find(f => f.type === "RDY")
            if (rdy) return rdy
            await this.advance(10)
        }
        throw new Error(`no RDY within ${READY_WITHIN_MS} ms of emulated time (USB ${this.bridge.deviceConnected ? "connected" : "never enumerated"})`)
    }

    /** Runs, 1 ms at a time, until `done()` holds; fails after `withinMs`. */
    async until(done: () => boolean, withinMs: number, what = "the condition"): Promise<void> {
        for (let waited = 0; !done(); waited += 1) {
            if (waited >= withinMs) throw new Error(`${what} did not happen within ${withinMs} ms`)
            await this.advance(1)
        }
    }

    /** A press of the button on GP15: it goes down now, or, if a press is under way, as soon as a finger could press again (and time runs until then). */
    async press(): Promise<void> {
        const start = this.button.press()
        if (start > this.clock.now) await this.advance(start - this.clock.now)
    }

    /** When each press went down, in emulated ms. */
    get pressedAt(): readonly number[] {
        return this.button.pressedAt
    }

    get ledIsOn(): boolean {
        return this.led.isOn
    }

    get ledSwitches(): readonly LedSwitch[] {
        return this.led.changes
    }

    /**
     * What went wrong inside the device, in time order: the runtime's panics and the
     * chip's resets (see CrashWatch), and each RDY after the first (the program
     * started over).
     */
    crashRecords(): ChipCrash[] {
        this.readLog()
        const restarts = this.frames
            .filter(f => f.type === "RDY")
            .slice(1)
            .map((f): ChipCrash => ({ at: f.at, kind: "reset", what: "RDY again: the program started over" }))
        return [...this.crashWatch.crashes, ...restarts].sort((a, b) => a.at - b.at)
    }

    crashes(): string[] {
        return this.crashRecords().map(describeCrash)
    }

    /** Sends `data` to the device over serial (the serial peer's `received` reports). */
    inject(data: string | Uint8Array, chunkSize?: number | number[]): Promise<void> {
        return this.peripherals.inject(data, chunkSize)
    }

    stop(): void {
        void this.bus.stop()
        this.restoreRandom()
    }
}
