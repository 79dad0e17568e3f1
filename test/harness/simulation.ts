import { createProxyBridge, JDBus, JDServerServiceProvider, type JDBridge } from "jacdac-ts"
import { VirtualClock } from "./clock.js"
import { loadVmFactory, type DevsModule } from "./devsVm.js"
import { bytes, parseSent, type SentFrame } from "./frames.js"
import { SimButton } from "./servers/button.js"
import { SimLightBulb } from "./servers/lightBulb.js"
import { MAX_CHUNK, SimSerial } from "./servers/serial.js"

export interface SimulationOptions {
    /** The compiled program (`.devs` bytes). */
    program: Uint8Array
    /** Print the VM's log lines as they come (they are always kept in `log`). */
    verbose?: boolean
    /** Whether the serial peer is on the bus from the start (default) or only after `plugSerial()`. */
    serialPlugged?: boolean
}

/** Roles bind within about a second of boot; RDY must follow within 100 ms. */
const READY_WITHIN_MS = 3000

/**
 * The real DeviceScript VM, in this process, on a jacdac-ts bus with a
 * simulated button, serial peer and status LED, all on one virtual clock.
 */
export class Simulation {
    readonly clock = new VirtualClock()
    readonly bus = new JDBus([], { scheduler: this.clock, disableRoleManager: true })
    readonly button = new SimButton()
    readonly serial = new SimSerial(() => this.clock.now)
    readonly led = new SimLightBulb(() => this.clock.now)
    readonly log: string[] = []
    readonly panics: number[] = []
    private vm!: DevsModule
    private bridge!: JDBridge
    private serialBridge?: JDServerServiceProvider

    private constructor(private readonly options: SimulationOptions) {}

    static async start(options: SimulationOptions): Promise<Simulation> {
        const sim = new Simulation(options)
        await sim.boot()
        return sim
    }

    private async boot() {
        const factory = loadVmFactory(this.clock.vmGlobals())
        const vm = await factory({ print: (s: string) => this.record(s), printErr: (s: string) => this.record(s) })
        this.vm = vm
        vm.dmesg = line => this.record(line)
        vm.log = (...args) => this.record(args.join(" "))
        vm.error = (...args) => this.record(args.join(" "))
        vm.panicHandler = code => {
            if (code) this.panics.push(code)
        }
        vm.flashLoad = null
        vm.flashSave = null

        // Packets cross in both directions on a microtask, never from inside the VM's own call stack.
        this.bridge = createProxyBridge(pkt => {
            const copy = pkt.slice()
            queueMicrotask(() => vm.handlePacket(copy))
        })
        vm.sendPacket = pkt => {
            const copy = pkt.slice()
            queueMicrotask(() => this.bridge.receiveFrameOrPacket(copy))
        }
        this.bridge.bus = this.bus
        this.plugBoard()
        if (this.options.serialPlugged ?? true) this.plugSerial()
        this.bus.start()

        vm.devsSetDeviceId("simulated-board")
        vm.devsStart()
        const status = vm.devsDeploy(this.options.program)
        if (status !== 0) throw new Error(`the VM refused the program (deploy status ${status})`)
    }

    /** The board: its button and status LED, on one device. */
    private plugBoard() {
        this.bus.addServiceProvider(
            new JDServerServiceProvider("board", [this.button, this.led], { deviceId: "b0a4d0000000b0a4" }),
        )
    }

    /** Puts the serial peer on the bus, as a device of its own (like a host bridge). */
    plugSerial() {
        if (this.serialBridge) return
        this.serialBridge = new JDServerServiceProvider("serial bridge", [this.serial], { deviceId: "5e41a1000000b41d" })
        this.bus.addServiceProvider(this.serialBridge)
    }

    /** Takes the serial peer off the bus, as if its bridge were unplugged. */
    unplugSerial() {
        if (!this.serialBridge) return
        this.bus.removeServiceProvider(this.serialBridge)
        this.serialBridge = undefined
    }

    private record(line: string) {
        this.log.push(`${this.clock.now} ${line}`)
        if (this.options.verbose) console.log(`[vm ${this.clock.now}] ${line}`)
    }

    get now(): number {
        return this.clock.now
    }

    advance(ms: number): Promise<void> {
        return this.clock.advance(ms)
    }

    /** Every frame the device has sent so far. */
    get frames(): SentFrame[] {
        return parseSent(this.serial.sent)
    }

    /** The frames the device has sent since RDY, as their bodies. */
    bodies(since = 0): string[] {
        return this.frames.filter(f => f.at >= since && f.type !== "RDY").map(f => f.body)
    }

    /** Runs, 10 ms at a time, until `done()` holds; fails after `withinMs`. */
    async until(done: () => boolean, withinMs: number, what = "the condition"): Promise<void> {
        for (let waited = 0; !done(); waited += 10) {
            if (waited >= withinMs) throw new Error(`${what} did not happen within ${withinMs} ms`)
            await this.advance(10)
        }
    }

    /** Runs until the device has sent RDY. */
    async untilReady(): Promise<SentFrame> {
        for (let waited = 0; waited < READY_WITHIN_MS; waited += 10) {
            const rdy = this.frames.find(f => f.type === "RDY")
            if (rdy) return rdy
            await this.advance(10)
        }
        throw new Error(`no RDY within ${READY_WITHIN_MS} ms\n${this.log.join("\n")}`)
    }

    /** A button press: its `down` event, then its `up` event. */
    async press(): Promise<void> {
        await this.button.press()
        await this.button.release()
    }

    /**
     * Sends `data` to the device over serial, cut into chunks of `chunkSize`
     * bytes (or of the given sizes, in turn), all at the same instant.
     */
    async inject(data: string | Uint8Array, chunkSize: number | number[] = MAX_CHUNK): Promise<void> {
        const all = typeof data === "string" ? bytes(data) : data
        const sizes = Array.isArray(chunkSize) ? chunkSize : [chunkSize]
        for (let offset = 0, i = 0; offset < all.length; i++) {
            const size = Math.min(sizes[i % sizes.length], MAX_CHUNK)
            await this.serial.receive(all.slice(offset, offset + size))
            offset += size
        }
    }

    /** Lines in which the VM reported a crash. */
    crashes(): string[] {
        const crashLines = this.log.filter(l => /PANIC|Unhandled exception|stop program/.test(l))
        return [...this.panics.map(code => `panic ${code}`), ...crashLines]
    }

    stop() {
        this.vm.devsStop()
        void this.bus.stop()
    }
}
