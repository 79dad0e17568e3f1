// Where the emulated core's cycles go: every instruction's cycles counted by address, folded by the runtime's functions, then into categories.
import type { ElfFunction } from "./elfSymbols.js"
import type { EmulatedTime } from "./emulatedTime.js"

/** The address ranges the runtime's code runs from, the busiest first: flash (XIP), and SRAM (functions the SDK copies there). */
const CODE_REGIONS = [
    { base: 0x1000_0000, bytes: 1024 * 1024 },
    { base: 0x2000_0000, bytes: 264 * 1024 },
] as const
/** The boot ROM's routines (memset, memcpy, float) have no symbols in the runtime's ELF: their cycles go to their caller. */
const BOOT_ROM_END = 0x4000

/** What the counter needs of the chip. */
export interface CountedCore {
    time: EmulatedTime
    /** The link register now (where the routine being entered returns to). */
    linkRegister(): number
}

export interface CycleSample {
    /** An instruction's address; for a helper call, the address it was called from. */
    address: number
    cycles: number
}

export interface CycleWindow {
    /** Cycles executed, by instruction address (only addresses that ran), helpers excepted. */
    samples: CycleSample[]
    /** Cycles in helper routines (boot ROM, and any given as such), by the address they were called from. */
    helperCalls: CycleSample[]
    busyCycles: number
    /** Cycles the core spent waiting for an interrupt (`wfe`/`wfi`). */
    idleCycles: number
}

/**
 * Counts the cycles of every instruction the core executes, by address: one
 * typed-array slot per halfword of each code region. Helper routines (the boot
 * ROM's, and the functions given as `helpers`, such as memset or strlen) are
 * charged to the address they were called from (the link register on entry), so
 * their cycles count for the work that needed them. `start()` opens a window,
 * `stop()` closes it and returns what ran.
 */
export class CycleCounter {
    private readonly counts = CODE_REGIONS.map(region => new Float64Array(region.bytes / 2))
    private readonly isHelper = CODE_REGIONS.map(region => new Uint8Array(region.bytes / 2))
    /** Cycles at addresses outside every region (should stay 0). */
    private elsewhere = 0
    private readonly helperByCaller = new Map<number, number>()
    /** While the core runs helper code: where the helper was called from, and its cycles so far. */
    private helperCaller = -1
    private helperCycles = 0
    private stopObserving?: () => void
    private idleAtStart = 0

    constructor(
        private readonly chip: CountedCore,
        helpers: { address: number; size: number }[] = [],
    ) {
        for (const { address, size } of helpers) {
            CODE_REGIONS.forEach((region, r) => {
                const offset = address - region.base
                if (offset >= 0 && offset < region.bytes) this.isHelper[r].fill(1, offset >>> 1, (offset + size + 1) >>> 1)
            })
        }
    }

    start(): void {
        if (this.stopObserving) throw new Error("a cycle window is already open")
        for (const counts of this.counts) counts.fill(0)
        this.elsewhere = 0
        this.helperByCaller.clear()
        this.helperCaller = -1
        this.helperCycles = 0
        this.idleAtStart = this.chip.time.use.idleCycles
        this.stopObserving = this.chip.time.observeInstructions((pc, cycles) => this.count(pc, cycles))
    }

    stop(): CycleWindow {
        if (!this.stopObserving) throw new Error("no cycle window is open")
        this.stopObserving()
        this.stopObserving = undefined
        this.leaveHelper()
        const samples: CycleSample[] = []
        CODE_REGIONS.forEach((region, r) => {
            const counts = this.counts[r]
            for (let slot = 0; slot < counts.length; slot++) if (counts[slot] > 0) samples.push({ address: region.base + slot * 2, cycles: counts[slot] })
        })
        if (this.elsewhere > 0) samples.push({ address: 0xffff_fffe, cycles: this.elsewhere })
        const helperCalls = [...this.helperByCaller].map(([address, cycles]) => ({ address, cycles }))
        const busyCycles = [...samples, ...helperCalls].reduce((sum, s) => sum + s.cycles, 0)
        return { samples, helperCalls, busyCycles, idleCycles: this.chip.time.use.idleCycles - this.idleAtStart }
    }

    private count(pc: number, cycles: number) {
        for (let r = 0; r < CODE_REGIONS.length; r++) {
            const offset = pc - CODE_REGIONS[r].base
            if (offset >= 0 && offset < CODE_REGIONS[r].bytes) {
                const slot = offset >>> 1
                if (this.isHelper[r][slot] === 1) return this.countHelper(cycles)
                if (this.helperCaller >= 0) this.leaveHelper()
                this.counts[r][slot] += cycles
                return
            }
        }
        if (pc < BOOT_ROM_END) return this.countHelper(cycles)
        if (this.helperCaller >= 0) this.leaveHelper()
        this.elsewhere += cycles
    }

    /** A helper that calls another (a memcpy wrapper, the ROM's memcpy) stays charged to the first caller. */
    private countHelper(cycles: number) {
        // an interrupt handler in between ends the call; on return the link register is the caller's again
        if (this.helperCaller < 0) this.helperCaller = this.chip.linkRegister() & ~1
        this.helperCycles += cycles
    }

    private leaveHelper() {
        if (this.helperCaller < 0) return
        this.helperByCaller.set(this.helperCaller, (this.helperByCaller.get(this.helperCaller) ?? 0) + this.helperCycles)
        this.helperCaller = -1
        this.helperCycles = 0
    }
}

/** Cycles spent in one function of the runtime (or in code no symbol covers). */
export interface FunctionCycles {
    name: string
    address: number
    cycles: number
    /** Cycles in helper routines this function called (memset, memcpy, strlen, ...), not in its own code. */
    inHelpers?: boolean
}

export const NO_SYMBOL = "(no symbol)"

/**
 * Finds the function that holds an address: the last one starting at or before
 * it, if the address is within its size; a symbol of size 0 (assembly) covers up
 * to the next symbol.
 */
export function functionAt(functions: ElfFunction[], address: number): ElfFunction | undefined {
    let low = 0
    let high = functions.length - 1
    let found = -1
    while (low <= high) {
        const mid = (low + high) >> 1
        if (functions[mid].address <= address) {
            found = mid
            low = mid + 1
        } else {
            high = mid - 1
        }
    }
    if (found < 0) return undefined
    // several symbols may share an address (aliases): the first one whose size covers it
    const start = functions[found].address
    let first = found
    while (first > 0 && functions[first - 1].address === start) first--
    for (let i = first; i <= found; i++) if (address < start + functions[i].size) return functions[i]
    const f = functions[found]
    const next = functions[found + 1]
    return f.size === 0 && (!next || address < next.address) ? f : undefined
}

/** Cycles by function, most first; helper calls as entries of their callers. `functions` sorted by address (as `readElfFunctions` gives them). */
export function foldByFunction(window: Pick<CycleWindow, "samples" | "helperCalls">, functions: ElfFunction[]): FunctionCycles[] {
    const folded = new Map<string, FunctionCycles>()
    const add = (address: number, cycles: number, inHelpers: boolean) => {
        const f = functionAt(functions, address)
        const key = `${inHelpers ? "helpers" : "own"}:${f?.address ?? NO_SYMBOL}`
        const entry = folded.get(key) ?? { name: f?.name ?? NO_SYMBOL, address: f?.address ?? address, cycles: 0, ...(inHelpers ? { inHelpers } : {}) }
        entry.cycles += cycles
        folded.set(key, entry)
    }
    for (const { address, cycles } of window.samples) add(address, cycles, false)
    for (const { address, cycles } of window.helperCalls) add(address, cycles, true)
    return [...folded.values()].sort((a, b) => b.cycles - a.cycles)
}
