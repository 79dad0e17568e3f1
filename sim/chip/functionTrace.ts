// Stamps, in emulated µs, each entry of chosen runtime functions on the emulated Pico (a breakpoint set by symbol that never stops the core).
import type { ElfFunction } from "./elfSymbols.js"
import type { Pico } from "./pico.js"

/** What a traced function's entry can look at: its arguments (r0-r3) and memory. */
export interface EntryState {
    arg(index: 0 | 1 | 2 | 3): number
    readUint16(address: number): number
}

export interface TracedFunction {
    /** The runtime's symbol. */
    name: string
    /** A number to keep from the entry: an argument, a field of a packet it is given. */
    read?: (entry: EntryState) => number
}

export interface FunctionEntry {
    /** Emulated µs since reset. */
    atUs: number
    name: string
    value?: number
}

/** Whether the thumb instruction at `address` is a PUSH (which leaves r0-r3 as they were). */
function startsWithPush(pico: Pico, address: number): boolean {
    return pico.rp2040.readUint16(address) >> 9 === 0b1011010
}

/** The regions code runs from (flash, SRAM), as in the cycle counter. */
const REGIONS = [
    { base: 0x1000_0000, bytes: 1024 * 1024 },
    { base: 0x2000_0000, bytes: 264 * 1024 },
] as const

/**
 * Records every entry of the traced functions (the core reaching a function's
 * first instruction, by call or tail call) with its emulated time and the value
 * `read` takes from it. Costs one typed-array look-up per instruction.
 */
export class FunctionTrace {
    readonly entries: FunctionEntry[] = []
    /** For each halfword of each region: the traced function starting there, plus one (0: none). */
    private readonly breakpoints = REGIONS.map(region => new Uint16Array(region.bytes / 2))
    private readonly stopObserving: () => void

    constructor(
        private readonly pico: Pico,
        functions: ElfFunction[],
        private readonly traced: TracedFunction[],
    ) {
        traced.forEach((t, i) => {
            const found = functions.filter(f => f.name === t.name)
            if (found.length !== 1) throw new Error(`the runtime has ${found.length} functions named ${t.name}; a trace needs exactly one`)
            const region = REGIONS.findIndex(r => found[0].address >= r.base && found[0].address < r.base + r.bytes)
            if (region < 0) throw new Error(`${t.name} is at 0x${found[0].address.toString(16)}, outside flash and SRAM`)
            if (t.read && !startsWithPush(pico, found[0].address)) throw new Error(`${t.name} does not start with a push: its arguments cannot be read after its first instruction`)
            this.breakpoints[region][(found[0].address - REGIONS[region].base) >>> 1] = i + 1
        })
        this.stopObserving = pico.time.observeInstructions(pc => this.check(pc))
    }

    stop(): void {
        this.stopObserving()
    }

    private check(pc: number) {
        for (let r = 0; r < REGIONS.length; r++) {
            const offset = pc - REGIONS[r].base
            if (offset >= 0 && offset < REGIONS[r].bytes) {
                const hit = this.breakpoints[r][offset >>> 1]
                if (hit > 0) this.record(this.traced[hit - 1])
                return
            }
        }
    }

    /** Called after the function's first instruction ran: r0-r3 still hold its arguments (a prologue's push does not change them). */
    private record(traced: TracedFunction) {
        const { rp2040, time } = this.pico
        const registers = rp2040.core.registers
        const state: EntryState = { arg: i => registers[i] >>> 0, readUint16: address => rp2040.readUint16(address) }
        const entry: FunctionEntry = { atUs: time.nanos / 1000, name: traced.name }
        if (traced.read) entry.value = traced.read(state)
        this.entries.push(entry)
    }
}
