// Runs the emulated core against emulated time: instructions cost cycles, idle waits jump ahead.
import type { Simulator } from "rp2040js"

const CORE_HZ = 125_000_000
const NANOS_PER_CYCLE = 1e9 / CORE_HZ

/** Called after each instruction with its address and the cycles it took. */
export type InstructionObserver = (pc: number, cycles: number) => void

export interface CpuUse {
    /** Cycles the core executed instructions. */
    busyCycles: number
    /** Cycles' worth of time the core spent waiting (`wfe`/`wfi`) for an interrupt. */
    idleCycles: number
}

/**
 * The emulator's clock, driven by this loop instead of rp2040js's `Simulator.execute`
 * (wall-time slices): each instruction advances time by its cycles; while the core
 * waits for an interrupt, time jumps to the next alarm (or to the end of the run
 * when none is pending, where rp2040js would spin without advancing). It counts
 * busy and idle cycles, so a busy share is a property of the firmware, not of
 * the machine that runs the emulator.
 */
export class EmulatedTime {
    readonly use: CpuUse = { busyCycles: 0, idleCycles: 0 }
    private readonly wakeListeners: ((sleptFromNanos: number, nowNanos: number) => void)[] = []
    private sleepingSince?: number
    private readonly observers: InstructionObserver[] = []
    /** Where the core entered an exception during the instruction just begun (rp2040js enters it inside `executeInstruction`), or -1. */
    private exceptionEnteredAt = -1

    /** Calls `listener` each time the core leaves a wait for an interrupt, with when that wait began. */
    onWake(listener: (sleptFromNanos: number, nowNanos: number) => void): void {
        this.wakeListeners.push(listener)
    }

    constructor(private readonly simulator: Simulator) {}

    /**
     * Calls `observer` after every instruction the core executes, with its address
     * (the handler's first one when an interrupt came in just before it); returns a
     * function that stops the calls. The emulation itself is not changed.
     */
    observeInstructions(observer: InstructionObserver): () => void {
        if (this.observers.length === 0) this.watchExceptionEntries()
        this.observers.push(observer)
        return () => {
            const at = this.observers.indexOf(observer)
            if (at >= 0) this.observers.splice(at, 1)
        }
    }

    private watchExceptionEntries() {
        const core = this.simulator.rp2040.core
        if (Object.hasOwn(core, "exceptionEntry")) return
        const enter = core.exceptionEntry.bind(core)
        core.exceptionEntry = (exceptionNumber: number) => {
            enter(exceptionNumber)
            this.exceptionEnteredAt = core.PC
        }
    }

    private executeObserved(): number {
        const core = this.simulator.rp2040.core
        const pc = core.PC & ~1
        this.exceptionEnteredAt = -1
        const cycles = core.executeInstruction()
        const executed = this.exceptionEnteredAt < 0 ? pc : this.exceptionEnteredAt & ~1
        const observers = this.observers
        for (let i = 0; i < observers.length; i++) observers[i](executed, cycles)
        return cycles
    }

    /** Emulated time since reset, in nanoseconds. */
    get nanos(): number {
        return this.simulator.clock.nanos
    }

    /** Emulated time since reset, in milliseconds. */
    get millis(): number {
        return this.nanos / 1e6
    }

    /** Runs until `untilNanos`, or until `stop()` holds after an instruction. */
    run(untilNanos: number, stop: () => boolean = () => false): void {
        const { clock, rp2040 } = this.simulator
        const core = rp2040.core
        while (clock.nanos < untilNanos) {
            if (core.waiting) {
                this.sleepingSince ??= clock.nanos
                clock.tick(0) // alarms due now may wake the core
                if (!core.waiting) continue
                // with nothing due, 0 means no alarm at all
                const toAlarm = clock.nanosToNextAlarm
                const wait = toAlarm > 0 ? Math.min(toAlarm, untilNanos - clock.nanos) : untilNanos - clock.nanos
                clock.tick(wait)
                this.use.idleCycles += wait / NANOS_PER_CYCLE
            } else {
                if (this.sleepingSince !== undefined) this.woke()
                const cycles = this.observers.length > 0 ? this.executeObserved() : core.executeInstruction()
                clock.tick(cycles * NANOS_PER_CYCLE)
                this.use.busyCycles += cycles
            }
            if (stop()) return
        }
    }

    private woke() {
        const since = this.sleepingSince!
        this.sleepingSince = undefined
        for (const listener of this.wakeListeners) listener(since, this.simulator.clock.nanos)
    }

    /** A copy of the counters now, to diff against later. */
    snapshot(): CpuUse {
        return { ...this.use }
    }

    /** The share of cycles the core was busy since `since` (0-1). */
    busyShareSince(since: CpuUse): number {
        const busy = this.use.busyCycles - since.busyCycles
        const idle = this.use.idleCycles - since.idleCycles
        return busy + idle > 0 ? busy / (busy + idle) : 0
    }
}
