// The RP2040's XIP cache (datasheet 2.6.3.1-2.6.3.2): which reads of the flash window it serves, and which go out to the flash.

/** 16 kB, two-way set-associative, 8-byte lines: 1024 sets of 2 lines; a hit takes 1 cycle, as SRAM does. */
export const XIP_CACHE = { bytes: 16 * 1024, ways: 2, lineBytes: 8 } as const
const LINE_SHIFT = 3
const SETS = XIP_CACHE.bytes / XIP_CACHE.lineBytes / XIP_CACHE.ways
const SET_MASK = SETS - 1
const SET_SHIFT = Math.log2(SETS)
/** The flash window: bits 23:0 address the flash, bits 25:24 pick the alias (0x10-0x13). */
const FLASH_OFFSET_MASK = 0xffffff
const NOT_CACHEABLE = 2
const NOT_ALLOCATING = 1
const EMPTY = -1

/** Since the cache was made (the CTR_ACC and CTR_HIT registers count from their last clear). */
export interface XipCacheCounters {
    /** Reads of the flash window through any alias. */
    accesses: number
    /** Reads the cache served. */
    hits: number
}

/**
 * Tags and replacement state of the cache, no data (the emulator reads the flash
 * bytes directly). The aliases, as the datasheet lists them:
 * - 0x10 cacheable, allocating: normal operation;
 * - 0x11 cacheable, non-allocating: a hit is served, a miss leaves the cache as it was;
 * - 0x12 non-cacheable, allocating: always read from the flash, and the line is put in the cache;
 * - 0x13 non-cacheable, non-allocating: the cache is bypassed.
 * With the cache disabled (CTRL.EN = 0) every read goes to the flash and the cache is untouched.
 * The datasheet does not name the replacement policy; this models least-recently-used
 * (one bit per set, exact for two ways), refreshed by every hit and fill, with an
 * empty way filled first.
 */
export class XipCache {
    readonly counters: XipCacheCounters = { accesses: 0, hits: 0 }
    /** CTRL.EN; 1 out of reset. */
    enabled = true
    private readonly tags = new Int32Array(SETS * XIP_CACHE.ways).fill(EMPTY)
    /** Per set, the way the next fill replaces (the one used least recently). */
    private readonly victim = new Uint8Array(SETS)
    /** The line of the last hit or fill: still cached, and already the most recent of its set. */
    private lastLine = EMPTY

    /** One read through the flash window at `address` (any alias); true when the cache serves it, false when the flash is read. */
    read(address: number): boolean {
        this.counters.accesses++
        // most reads are of the line read last (instructions run in order): kept small, so it inlines
        if ((address & FLASH_OFFSET_MASK) >>> LINE_SHIFT === this.lastLine && !((address >>> 24) & NOT_CACHEABLE) && this.enabled) {
            this.counters.hits++
            return true
        }
        return this.readOtherLine(address)
    }

    private readOtherLine(address: number): boolean {
        if (!this.enabled) return false
        const alias = (address >>> 24) & 3
        const line = (address & FLASH_OFFSET_MASK) >>> LINE_SHIFT
        if (!(alias & NOT_CACHEABLE) && this.lookUp(line)) {
            this.counters.hits++
            return true
        }
        if (!(alias & NOT_ALLOCATING)) this.fill(line)
        return false
    }

    /**
     * One write through the flash window. Writes do not reach the flash; one to the
     * 0x10 alias removes the line it addresses from the cache (the datasheet's way to
     * invalidate a range), others are ignored (or fault, with CTRL.ERR_BADWRITE).
     */
    write(address: number): void {
        if (!this.enabled || (address >>> 24) & 3) return
        const line = (address & FLASH_OFFSET_MASK) >>> LINE_SHIFT
        const way = this.wayHolding(line)
        if (way === undefined) return
        this.tags[(line & SET_MASK) * XIP_CACHE.ways + way] = EMPTY
        this.lastLine = EMPTY
    }

    /** The FLUSH register: every line invalid. */
    flush(): void {
        this.tags.fill(EMPTY)
        this.victim.fill(0)
        this.lastLine = EMPTY
    }

    private lookUp(line: number): boolean {
        const way = this.wayHolding(line)
        if (way === undefined) return false
        this.touch(line, way)
        return true
    }

    /** Into the way that already holds the line (an 0x12 read), else an empty way, else the least recently used. */
    private fill(line: number): void {
        const set = line & SET_MASK
        const base = set * XIP_CACHE.ways
        const way = this.wayHolding(line) ?? (this.tags[base] === EMPTY ? 0 : this.tags[base + 1] === EMPTY ? 1 : this.victim[set])
        this.tags[base + way] = line >>> SET_SHIFT
        this.touch(line, way)
    }

    private touch(line: number, way: number): void {
        this.victim[line & SET_MASK] = way ^ 1
        this.lastLine = line
    }

    private wayHolding(line: number): number | undefined {
        const base = (line & SET_MASK) * XIP_CACHE.ways
        const tag = line >>> SET_SHIFT
        if (this.tags[base] === tag) return 0
        if (this.tags[base + 1] === tag) return 1
        return undefined
    }
}
