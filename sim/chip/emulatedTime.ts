// Runs the emulated core against emulated time: instructions cost cycles, idle waits jump ahead.
import type { Simulator } from "rp2040js"

const CORE_HZ = 125_000_000
const NANOS_PER_CYCLE = 1e9 / CORE_HZ

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

    /** Calls `listener` each time the core leaves a wait for an interrupt, with when that wait began. */
    onWake(listener: (sleptFromNanos: number, nowNanos: number) => void): void {
        this.wakeListeners.push(listener)
    }

    constructor(private readonly simulator: Simulator) {}

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
                const cycles = core.executeInstruction()
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
