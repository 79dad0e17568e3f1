// A cycle profile of the emulated Pico by the runtime's functions and by kind of work, over a window of emulated time.
import { CycleCounter, foldByFunction } from "./cycleProfile.js"
import type { ElfFunction } from "./elfSymbols.js"
import type { Pico } from "./pico.js"
import { type CategorizedFunction, categorize, isHelper, profileShares, type ProfileShares } from "./profileCategories.js"

export interface ChipProfile {
    /** Each kind of work's share of the window's cycles, asleep included (they add up to 1). */
    shares: ProfileShares
    /** Every function that ran, most cycles first, with its category and why. */
    functions: CategorizedFunction[]
    busyCycles: number
    idleCycles: number
}

/** Profiles the chip between `start()` and `stop()`, with the runtime's functions from its ELF (`readElfFunctions`). */
export class ChipProfiler {
    private readonly counter: CycleCounter

    constructor(
        pico: Pico,
        private readonly functions: ElfFunction[],
    ) {
        const core = pico.rp2040.core
        this.counter = new CycleCounter({ time: pico.time, linkRegister: () => core.LR }, functions.filter(f => isHelper(f.name)))
    }

    start(): void {
        this.counter.start()
    }

    stop(): ChipProfile {
        const window = this.counter.stop()
        const functions = foldByFunction(window, this.functions).map(f => categorize(f, this.functions))
        return { shares: profileShares(window, functions), functions, busyCycles: window.busyCycles, idleCycles: window.idleCycles }
    }
}
