import { readFileSync } from "node:fs"
import { createProxyBridge, JDBus, type JDBridge } from "jacdac-ts"
import { programPath } from "../host/builds.js"
import { type Device, type LedSwitch, switchesOf } from "../host/device.js"
import { type SimClock, VirtualClock } from "./clock.js"
import { BusyVm, type CpuTime } from "./cpuTime.js"
import { CRASH_LINE, loadVmFactory, type DevsModule } from "./devsVm.js"
import type { SentFrame } from "../host/frames.js"
import { Peripherals } from "./peripherals.js"

export interface SimulationOptions {
    /** The build to run (built/<build>/bytecode.devs), or a name for `program`. */
    build: string
    /** The compiled program (`.devs` bytes), when it is not the built one. */
    program?: Uint8Array
    /** Print the VM's log lines as they come (they are always kept in `log`). */
    verbose?: boolean
    /** Whether the serial peer is on the bus from the start (default) or only after `plugSerial()`. */
    serialPlugged?: boolean
    /** The clock everything runs on; a fresh VirtualClock by default. */
    clock?: SimClock
    /** Called each time the host wakes the VM up to run (each `_jd_em_process` call). */
    onWakeup?: (at: number) => void
    /**
     * Extra fields for the VM's Emscripten module argument, e.g. `wasmBinary`
     * or `instantiateWasm` to run a rewritten VM binary. The simulation's own
     * output hooks take precedence.
     */
    moduleOptions?: Record<string, unknown>
    /** Let bytecode take virtual time (see cpuTime.ts): it needs an instrumented VM, whose counter it reads. */
    cpuTime?: CpuTime
}

/** Roles bind within about a second of boot; RDY must follow within 100 ms. */
const READY_WITHIN_MS = 3000

/**
 * The real DeviceScript VM, in this process, on a jacdac-ts bus with a
 * simulated button, serial peer and status LED, all on one virtual clock.
 */
export class Simulation implements Device {
    readonly host = "vm"
    readonly build: string
    readonly clock: SimClock
    readonly bus: JDBus
    readonly peripherals: Peripherals
    readonly button: Peripherals["button"]
    readonly serial: Peripherals["serial"]
    readonly led: Peripherals["led"]
    readonly log: string[] = []
    readonly panics: number[] = []
    readonly pressedAt: number[] = []
    private readonly program: Uint8Array
    /** When `restartProgram` was called: the VM's "stop program" then is not a crash. */
    private readonly restartsAt: number[] = []
    private vm!: DevsModule
    private bridge!: JDBridge

    private constructor(private readonly options: SimulationOptions) {
        this.build = options.build
        this.program = options.program ?? readFileSync(programPath(options.build))
        this.clock = options.clock ?? new VirtualClock()
        this.bus = new JDBus([], { scheduler: this.clock, disableRoleManager: true })
        this.peripherals = new Peripherals(this.bus, () => this.clock.now)
        this.button = this.peripherals.button
        this.serial = this.peripherals.serial
        this.led = this.peripherals.led
    }

    static async start(options: SimulationOptions): Promise<Simulation> {
        const sim = new Simulation(options)
        await sim.boot()
        return sim
    }

    private async boot() {
        const busy = this.options.cpuTime && new BusyVm(this.clock, this.options.cpuTime)
        const factory = loadVmFactory(busy ? busy.vmGlobals() : this.clock.vmGlobals())
        const vm = await factory({
            ...this.options.moduleOptions,
            print: (s: string) => this.record(s),
            printErr: (s: string) => this.record(s),
        })
        this.vm = vm
        vm.dmesg = line => this.record(line)
        vm.log = (...args) => this.record(args.join(" "))
        vm.error = (...args) => this.record(args.join(" "))
        vm.panicHandler = code => {
            if (code) this.panics.push(code)
        }
        vm.flashLoad = null
        vm.flashSave = null
        const { onWakeup } = this.options
        if (onWakeup) {
            const process = vm._jd_em_process
            vm._jd_em_process = () => {
                onWakeup(this.clock.now)
                return process()
            }
        }

        // Packets cross in both directions on a microtask, never from inside the VM's own call stack.
        this.bridge = createProxyBridge(pkt => {
            const copy = pkt.slice()
            queueMicrotask(() => vm.handlePacket(copy))
        })
        vm.sendPacket = pkt => {
            const copy = pkt.slice()
            queueMicrotask(() => this.bridge.receiveFrameOrPacket(copy))
        }
        busy?.attach(vm, pkt => this.bridge.receiveFrameOrPacket(pkt))
        this.bridge.bus = this.bus
        this.peripherals.plugBoard()
        if (this.options.serialPlugged ?? true) this.plugSerial()
        this.bus.start()
        // The bus is only the device's surroundings, not a dashboard polling everyone's registers.
        this.bus.backgroundRefreshRegisters = false

        vm.devsSetDeviceId("simulated-board")
        vm.devsStart()
        const status = vm.devsDeploy(this.program)
        if (status !== 0) throw new Error(`the VM refused the program (deploy status ${status})`)
    }

    /** Puts the serial peer on the bus, as a device of its own (like a host bridge). */
    plugSerial() {
        this.peripherals.plugSerial()
    }

    /** Takes the serial peer off the bus, as if its bridge were unplugged. */
    unplugSerial() {
        this.peripherals.unplugSerial()
    }

    private record(line: string) {
        this.log.push(`${this.clock.now} ${line}`)
        if (this.options.verbose) console.log(`[vm ${this.clock.now}] ${line}`)
    }

    /** The VM's Emscripten module object. */
    get module(): DevsModule {
        return this.vm
    }

    get now(): number {
        return this.clock.now
    }

    advance(ms: number): Promise<void> {
        return this.clock.advance(ms)
    }

    /** Every frame the device has sent so far. */
    get frames(): SentFrame[] {
        return this.peripherals.frames
    }

    /** The frames the device has sent since `since`, except RDY, as their bodies. */
    bodies(since = 0): string[] {
        return this.peripherals.bodies(since)
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
    press(): Promise<void> {
        this.pressedAt.push(this.clock.now)
        return this.peripherals.press()
    }

    get ledIsOn(): boolean {
        return this.led.isOn
    }

    get ledSwitches(): LedSwitch[] {
        return switchesOf(this.led.changes)
    }

    /**
     * Sends `data` to the device over serial, cut into chunks of `chunkSize`
     * bytes (or of the given sizes, in turn), all at the same instant.
     */
    inject(data: string | Uint8Array, chunkSize?: number | number[]): Promise<void> {
        return this.peripherals.inject(data, chunkSize)
    }

    /** Lines in which the VM reported a crash. */
    crashes(): string[] {
        const crashLines = this.log.filter(l => CRASH_LINE.test(l) && !this.restartsAt.includes(Number(l.split(" ")[0])))
        return [...this.panics.map(code => `panic ${code}`), ...crashLines]
    }

    /** Restarts the program, as a reset of the board would: a new program run, on the same bus. */
    restartProgram() {
        this.restartsAt.push(this.clock.now)
        const status = this.vm.devsDeploy(this.program)
        if (status !== 0) throw new Error(`the VM refused the program (deploy status ${status})`)
    }

    stop() {
        this.vm.devsStop()
        void this.bus.stop()
    }
}
