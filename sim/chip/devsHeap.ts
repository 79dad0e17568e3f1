// The DeviceScript heap on the emulated Pico, read from the runtime's own block headers (devicescript runtime/devicescript/gc_alloc.c).
import type { ElfFunction, Symbols } from "./elfSymbols.js"
import { callInThreadMode } from "./firmwareCall.js"
import type { FlashBreakpoints } from "./flashBreakpoints.js"
import type { Pico } from "./pico.js"

/**
 * gc_alloc.c keeps the one heap it ever allocates in `global_gc` (JD_GC_KEEP): a
 * `devs_gc_t` followed by its chunk. On the RP2040 (32-bit pointers):
 * devs_gc_t { first_free, first_chunk, num_alloc, gc_threshold, curr_alloc, ctx },
 * chunk_t { next, end, start[] }; each block starts with a header word, its tag in
 * the top byte and its size in words in the low 24 bits; a FINAL block ends a chunk.
 */
const GC = { firstChunk: 4, numAlloc: 8, ctx: 20 } as const
const CHUNK = { next: 0, end: 4, start: 8 } as const
const TAG_SHIFT = 24
const SIZE_MASK = 0xff_ffff
const TAG_MASK = 0xf
const TAG_FREE = 0x1
/** DEVS_GC_TAG_MASK | DEVS_GC_TAG_MASK_PINNED: the block that ends a chunk. */
const TAG_FINAL = 0x4f
const WORD = 4

/** The heap as its block headers say, added up as the runtime's own `devs_dump_heap` does. */
export interface DevsHeapUse {
    /** Bytes the chunks hold, from their first block to their FINAL one. */
    capacityBytes: number
    /** Bytes in blocks that are not free, headers included: live objects and garbage not yet collected. */
    usedBytes: number
    freeBytes: number
    largestFreeBytes: number
    /** Blocks that are not free. */
    objects: number
    /** Allocations since the program started (the collector's own counter). */
    allocations: number
}

/** One full collection by the runtime's collector: the heap in use as it began (garbage included), and what was live. */
export interface HeapCollection {
    /** Emulated ms since reset. */
    at: number
    inUseBytes: number
    liveBytes: number
}

/** `pop {..., pc}`: the return of a function that pushed its link register. */
const isPopPc = (halfword: number) => halfword >> 8 === 0xbd

/**
 * Reads the DeviceScript heap out of the emulated RAM, and makes the runtime
 * collect it. The addresses come from the runtime's ELF: `global_gc` (a pointer
 * to the heap) and the static function `devs_gc` (a full collection: marks from
 * the program's roots, then sweeps).
 */
export class DevsHeap {
    private constructor(
        private readonly pico: Pico,
        private readonly heapPointerAt: number,
        private readonly collector: ElfFunction,
    ) {}

    static fromElf(pico: Pico, symbols: Symbols, functions: ElfFunction[]): DevsHeap {
        const pointer = symbols.get("global_gc")
        const collect = functions.filter(f => f.name === "devs_gc")
        if (!pointer || collect.length !== 1) throw new Error("the runtime's ELF has no global_gc, or not exactly one devs_gc: not the DeviceScript runtime this reads")
        return new DevsHeap(pico, pointer.value, collect[0])
    }

    /**
     * Calls `listener` after each full collection, the runtime's own (when an allocation
     * finds its threshold reached, or no room) or one asked for with `collect`, with the
     * heap in use when it began and what was live when it ended: breakpoints on the first
     * and the last instruction of `devs_gc`, which cost the emulation nothing else, so the
     * runtime's timing is not changed by watching it.
     */
    watchCollections(breakpoints: FlashBreakpoints, listener: (collection: HeapCollection) => void): void {
        const { address, size } = this.collector
        let last = -1
        for (let at = address; at < address + size; at += 2) if (isPopPc(this.pico.rp2040.readUint16(at))) last = at
        if (last < 0) throw new Error("devs_gc does not end with a pop of the pc: not the collector this watches")
        let inUseBytes = 0
        breakpoints.add(address, () => (inUseBytes = this.use()?.usedBytes ?? 0))
        breakpoints.add(last, () => listener({ at: this.pico.time.millis, inUseBytes, liveBytes: this.use()?.usedBytes ?? 0 }))
    }

    /** The heap's address, or 0 while there is none (before the program's first start). */
    private get gc(): number {
        return this.pico.readWord(this.heapPointerAt)
    }

    /** Whether a program runs on the heap (the collector has a context to find its roots in). */
    get inUse(): boolean {
        const gc = this.gc
        return gc !== 0 && this.pico.readWord(gc + GC.ctx) !== 0
    }

    /** What the block headers say now; undefined while there is no heap. Throws where a header cannot be right. */
    use(): DevsHeapUse | undefined {
        const gc = this.gc
        if (gc === 0 || this.pico.readWord(gc + GC.firstChunk) === 0) return undefined
        const use: DevsHeapUse = { capacityBytes: 0, usedBytes: 0, freeBytes: 0, largestFreeBytes: 0, objects: 0, allocations: this.pico.readWord(gc + GC.numAlloc) }
        for (let chunk = this.pico.readWord(gc + GC.firstChunk); chunk !== 0; chunk = this.pico.readWord(chunk + CHUNK.next)) {
            const end = this.pico.readWord(chunk + CHUNK.end)
            let block = chunk + CHUNK.start
            for (;;) {
                const header = this.pico.readWord(block)
                if (header >>> TAG_SHIFT === TAG_FINAL) break
                const bytes = (header & SIZE_MASK) * WORD
                if (bytes === 0 || block + bytes > end) throw new Error(`the DeviceScript heap has a block at 0x${block.toString(16)} with header 0x${header.toString(16)}, which does not fit its chunk`)
                if (((header >>> TAG_SHIFT) & TAG_MASK) === TAG_FREE) {
                    use.freeBytes += bytes
                    use.largestFreeBytes = Math.max(use.largestFreeBytes, bytes)
                } else {
                    use.usedBytes += bytes
                    use.objects++
                }
                block += bytes
            }
            if (block !== end) throw new Error(`the DeviceScript heap's chunk at 0x${chunk.toString(16)} ends at 0x${block.toString(16)}, not at 0x${end.toString(16)}`)
            use.capacityBytes += end - (chunk + CHUNK.start)
        }
        return use
    }

    /**
     * A full collection by the runtime's own collector, as the runtime itself
     * collects when an allocation finds its threshold reached. Call it only where
     * the main loop could (ChipSimulation.untilMainLoop): then no VM code is under
     * way and the program's roots are all the collector scans. It takes emulated
     * time (about 1 ms on a 64 KB heap).
     */
    collect(): void {
        if (!this.inUse) throw new Error("no DeviceScript program runs: there is nothing to collect")
        callInThreadMode(this.pico, this.collector.address, [this.gc])
    }

    /** Bytes of live objects: in use right after a full collection (headers included). */
    liveBytes(): number {
        this.collect()
        return this.use()!.usedBytes
    }
}
