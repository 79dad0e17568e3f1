// A VM simulation whose work is counted: bytecode instructions, fiber runs and host wakeups, from an instrumented VM.
import { Simulation, type SimulationOptions } from "../../sim/index.js"

/** Exact counts of what the VM did, from an instrumented VM (or none). */
export interface VmWork {
    instructions: number
    fiberRuns: number
}

/** How a scenario reads the VM's own work and heap. */
export interface Instrumentation {
    options(): Partial<SimulationOptions>
    work(sim: Simulation): VmWork
    /** Live heap bytes after a full collection. */
    heapLiveBytes(sim: Simulation): Promise<number>
}

export interface Rates {
    instructionsPerSec: number
    fiberRunsPerSec: number
    wakeupsPerSec: number
}

/** One time the host woke the VM: when, and how many bytecode instructions ran then. */
export interface Wakeup {
    at: number
    instructions: number
}

/** A simulation whose host wakeups are counted (and, if asked, traced). */
export class Run {
    wakeups = 0
    /** Each wakeup's time and the instruction count at its start, when tracing. */
    private readonly trace: Wakeup[] = []

    private constructor(
        readonly sim: Simulation,
        private readonly instrumentation: Instrumentation,
    ) {}

    static async start(build: string, instrumentation: Instrumentation, traceWakeups = false): Promise<Run> {
        let run: Run | undefined
        const sim = await Simulation.start({
            build,
            ...instrumentation.options(),
            onWakeup: at => {
                if (!run) return
                run.wakeups++
                if (traceWakeups) run.trace.push({ at, instructions: instrumentation.work(run.sim).instructions })
            },
        })
        run = new Run(sim, instrumentation)
        return run
    }

    /** The traced wakeups from index `from` on, each with the instructions it ran. */
    wakeupsSince(from: number): Wakeup[] {
        const counts = [...this.trace.slice(from).map(w => w.instructions), this.work().instructions]
        return this.trace.slice(from).map((w, i) => ({ at: w.at, instructions: counts[i + 1] - counts[i] }))
    }

    get traced(): number {
        return this.trace.length
    }

    work(): VmWork & { wakeups: number } {
        return { ...this.instrumentation.work(this.sim), wakeups: this.wakeups }
    }

    /** Work per second of virtual time while `during` runs. */
    async rates(during: () => Promise<void>): Promise<Rates> {
        const before = this.work()
        const startedAt = this.sim.now
        await during()
        const after = this.work()
        const seconds = (this.sim.now - startedAt) / 1000
        return {
            instructionsPerSec: (after.instructions - before.instructions) / seconds,
            fiberRunsPerSec: (after.fiberRuns - before.fiberRuns) / seconds,
            wakeupsPerSec: (after.wakeups - before.wakeups) / seconds,
        }
    }

    stop() {
        this.sim.stop()
        const crashes = this.sim.crashes()
        if (crashes.length) throw new Error(`the VM crashed:\n${crashes.join("\n")}`)
    }
}
