// Bytecode that takes time. On virtual time the VM runs in no time at all, so a job that keeps a board busy for
// 150 ms blocks nothing in the simulator. With a cost per bytecode instruction, each run of the VM lasts as long as
// its instructions, and the VM meets the world as the runtime on a board does, between runs only: what comes in
// meanwhile waits for the run's end (and goes in before the next run), what it sends leaves at the run's end, and
// its clock moves on while it runs.
import type { SimClock } from "./clock.js"
import type { DevsModule } from "./devsVm.js"

export interface CpuTime {
    /** Virtual µs each bytecode instruction takes. */
    usPerInstruction: number
    /** How many instructions the VM has run so far (an instrumented VM's counter, see instrumentedVm.ts). */
    instructions(vm: DevsModule): number
}

/** The VM's own way in for a frame (what its `handlePacket` calls, before it runs the VM). */
type ReceivingVm = DevsModule & {
    _malloc(bytes: number): number
    _free(at: number): void
    _jd_em_frame_received(at: number): number
}

/** The run of the VM under way: when it started, and the instruction count then. */
interface Run {
    at: number
    instructions: number
}

/**
 * Makes a VM's runs take virtual time (see CpuTime). Its `vmGlobals` go to the VM
 * as it is loaded (its clock), then `attach` takes over the loaded VM.
 */
export class BusyVm {
    private vm!: DevsModule
    private deliver!: (packet: Uint8Array) => void
    private run: Run | undefined
    /** The end of the last run: packets for the VM wait until then. */
    private busyUntil = 0
    private readonly heldForVm: Uint8Array[] = []
    /** Packets the VM sent in the run under way; then, run by run, those waiting for their run's end. */
    private readonly sentInRun: Uint8Array[] = []
    private readonly leaving: Uint8Array[][] = []

    constructor(
        private readonly clock: SimClock,
        private readonly cost: CpuTime,
    ) {}

    /** The VM's time: the clock, plus what the run under way has taken so far. */
    now(): number {
        return this.clock.now + (this.run ? this.runMs(this.run) : 0)
    }

    /** The clock's globals for the VM, its `Date.now()` reading `now()`. */
    vmGlobals(): ReturnType<SimClock["vmGlobals"]> {
        const globals = this.clock.vmGlobals()
        const busy = this
        const ClockDate = globals.Date as unknown as DateConstructor
        class BusyDate extends ClockDate {
            static now() {
                return busy.now()
            }
        }
        return { ...globals, Date: BusyDate as unknown as typeof globals.Date }
    }

    /**
     * Takes over the VM's runs and its packets both ways: packets for it still go in
     * through `vm.handlePacket`; `deliver` hands the bus a packet it sent.
     */
    attach(vm: DevsModule, deliver: (packet: Uint8Array) => void) {
        this.vm = vm
        this.deliver = deliver
        const process = vm._jd_em_process
        vm._jd_em_process = () => this.timed(process)
        const handle = vm.handlePacket.bind(vm)
        vm.handlePacket = packet => this.toVm(packet, handle)
        vm.sendPacket = packet => this.fromVm(packet.slice())
    }

    private runMs(run: Run): number {
        return ((this.cost.instructions(this.vm) - run.instructions) * this.cost.usPerInstruction) / 1000
    }

    /**
     * One run of the VM. It asks to run again in as many µs from its end as it returns, and the glue counts them
     * from its start: so the run's length is added, in whole ms, as the clock's timers count (they drop a delay's
     * fraction). No run may start before the last one's end: the runtime takes a clock that goes back even 1 µs
     * for one that wrapped, and its milliseconds jump by 2^32 µs.
     */
    private timed(process: () => number): number {
        const run = { at: this.clock.now, instructions: this.cost.instructions(this.vm) }
        this.run = run
        try {
            this.receiveHeld()
            const wantsUs = process()
            const runMs = Math.ceil(this.runMs(run))
            this.busyUntil = run.at + runMs
            return wantsUs + runMs * 1000
        } finally {
            this.run = undefined
            this.sendWhenRunEnds()
        }
    }

    private idle(): boolean {
        return this.clock.now >= this.busyUntil
    }

    /** Calls `callback` at `at`, or at once (after what runs now) if that has passed. */
    private at(at: number, callback: () => void) {
        const delay = at - this.clock.now
        // the clock's timers drop a delay's fraction, and make a delay of 0 one of 1 ms
        if (delay > 0) this.clock.setTimeout(callback, Math.ceil(delay))
        else queueMicrotask(callback)
    }

    /** A packet for the VM: handled at once when the VM is idle, else held for its next run. */
    private toVm(packet: Uint8Array, handle: (packet: Uint8Array) => void) {
        if (this.heldForVm.length === 0 && this.idle()) return handle(packet)
        this.heldForVm.push(packet)
        if (this.heldForVm.length === 1) this.at(this.busyUntil, () => this.release(handle))
    }

    /** When the run that held packets back is over, a run takes them, unless one has already (or one is under way again). */
    private release(handle: (packet: Uint8Array) => void) {
        if (!this.idle()) return
        const first = this.heldForVm.shift()
        if (first) handle(first)
    }

    /** As the runtime's loop does between two runs of the VM: the frames that came meanwhile go in first. */
    private receiveHeld() {
        const vm = this.vm as ReceivingVm
        for (const packet of this.heldForVm.splice(0)) {
            const at = vm._malloc(packet.length)
            vm.HEAPU8.set(packet, at)
            vm._jd_em_frame_received(at)
            vm._free(at)
        }
    }

    private fromVm(packet: Uint8Array) {
        if (this.run) this.sentInRun.push(packet)
        else queueMicrotask(() => this.deliver(packet))
    }

    /** What a run sent leaves when it ends, after what earlier runs sent. */
    private sendWhenRunEnds() {
        const batch = this.sentInRun.splice(0)
        if (batch.length === 0) return
        this.leaving.push(batch)
        this.at(this.busyUntil, () => {
            // gone already if a later batch's timer came first and let it out
            const upTo = this.leaving.indexOf(batch)
            for (const packets of this.leaving.splice(0, upTo + 1)) packets.forEach(this.deliver)
        })
    }
}
