// When the host woke a build's VM, and how much bytecode each wakeup ran: the timeline's ticks and the VM figures.

/** A host wakeup of the VM: when (ms), and how many bytecode instructions it ran (0: it woke up for nothing). */
export type Wakeup = [at: number, instructions: number]

/** Over the last second. */
export interface WakeupRates {
    wakeupsPerSec: number
    bytecodeWakeupsPerSec: number
    instructionsPerSec: number
}

const KEEP_MS = 4000

export class WakeupTrace {
    private readonly kept: Wakeup[] = []
    private pending?: { at: number; instructionsBefore: number }

    /** `instructions`: the VM's count of instructions run so far. */
    constructor(private readonly instructions: () => number) {}

    /** Each host wakeup of the VM: the instructions it ran are known at the next one (or at `flush`). */
    wakeup(at: number) {
        const count = this.instructions()
        this.close(count)
        this.pending = { at, instructionsBefore: count }
    }

    private close(instructionsNow: number) {
        const pending = this.pending
        if (!pending) return
        this.pending = undefined
        this.kept.push([Math.round(pending.at * 100) / 100, instructionsNow - pending.instructionsBefore])
    }

    /**
     * The wakeups after `since` (called between two runs of the VM, so that the
     * last one has finished); forgets those older than a few seconds.
     */
    flush(now: number, since: number): Wakeup[] {
        this.close(this.instructions())
        const horizon = now - KEEP_MS
        while (this.kept.length && this.kept[0][0] < horizon) this.kept.shift()
        return this.kept.filter(w => w[0] > since)
    }

    rates(now: number): WakeupRates {
        const lastSecond = this.kept.filter(w => w[0] > now - 1000)
        return {
            wakeupsPerSec: lastSecond.length,
            bytecodeWakeupsPerSec: lastSecond.filter(w => w[1] > 0).length,
            instructionsPerSec: lastSecond.reduce((sum, w) => sum + w[1], 0),
        }
    }

    all(): Wakeup[] {
        return [...this.kept]
    }
}
