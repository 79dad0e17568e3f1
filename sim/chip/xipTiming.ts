// Reads of the flash through the XIP cache cost the core what the RP2040 would wait: rp2040js charges them nothing.
import { BasePeripheral, type RP2040 } from "rp2040js"
import type { FlashSsi } from "./ssi.js"
import { XipCache } from "./xipCache.js"
import { lineFillTiming, readSsiXipRegisters, type LineFill, type SsiXipRegisters } from "./xipReadTiming.js"

/** XIP_CTRL (0x14000000) in rp2040js's peripheral map: the address's bits 14 and up, times 4. */
const XIP_CTRL_SLOT = 0x14000
/** Addresses 0x10000000-0x13ffffff (the four aliases of the flash) shifted right by 26. */
const FLASH_WINDOW = 4
/** A flush clears the tags of the 1024 sets one per cycle: "just over 1024 clock cycles" (datasheet 2.6.3.2). */
const FLUSH_CYCLES = 1024

export interface XipUse {
    /** Reads of the flash window by the core while the SSI was set up for XIP. */
    reads: number
    /** Those the cache served. */
    hits: number
    /** Those that waited for the flash: misses, and reads that bypass the cache. */
    flashReads: number
    /** Cycles the core waited for the flash (line fills and flushes). */
    stallCycles: number
    /** Reads while the SSI was not set up for XIP, charged nothing: the second-stage boot loader, which a real RP2040 runs from SRAM. */
    readsBeforeSetup: number
}

export interface XipSetup {
    registers: SsiXipRegisters
    lineFill: LineFill
}

/**
 * The XIP cache between rp2040js's core and the flash. Every read the core makes of
 * the flash window (instruction fetches, loads, vector fetches) is looked up; a read
 * the flash serves adds a line fill's cycles, derived from the SSI registers as last
 * written, to the instruction that made it. Writes to the window invalidate as the
 * cache does. XIP_CTRL's registers (CTRL, FLUSH, STAT, the two counters) are served.
 */
export class XipTiming {
    readonly cache = new XipCache()
    private flashReads = 0
    private stallCycles = 0
    private readsBeforeSetup = 0
    /** Each XIP setup the SSI was given that differs from the one before, in order. */
    readonly setups: XipSetup[] = []
    private fill?: LineFill
    private pendingStall = 0

    constructor(
        rp2040: RP2040,
        private readonly ssi: FlashSsi,
    ) {
        ssi.onConfigure(() => this.configured())
        rp2040.peripherals[XIP_CTRL_SLOT] = new XipControl(rp2040, this)
        this.hook(rp2040.core)
    }

    /** The line fill a miss costs now; undefined while the SSI is not set up for XIP. */
    get lineFill(): LineFill | undefined {
        return this.fill
    }

    /** The counters since the Pico was made (a copy). */
    get use(): XipUse {
        const { accesses, hits } = this.cache.counters
        const { flashReads, stallCycles, readsBeforeSetup } = this
        return { reads: accesses, hits, flashReads, stallCycles, readsBeforeSetup }
    }

    /** The counters now, to diff against later. */
    snapshot(): XipUse {
        return this.use
    }

    /** The core waits `cycles` more in the instruction under way. */
    stall(cycles: number): void {
        this.pendingStall += cycles
        this.stallCycles += cycles
    }

    private read(address: number): void {
        const fill = this.fill
        if (fill === undefined) this.readsBeforeSetup++
        else if (!this.cache.read(address)) {
            this.flashReads++
            this.stall(fill.cycles)
        }
    }

    private configured(): void {
        const registers = readSsiXipRegisters(offset => this.ssi.register(offset))
        this.fill = lineFillTiming(registers)
        const last = this.setups.at(-1)
        if (this.fill && JSON.stringify(last?.registers) !== JSON.stringify(registers)) this.setups.push({ registers, lineFill: this.fill })
    }

    /** Wraps the core's memory accesses (flash window only: 0x10000000-0x13ffffff) and adds the stalls to each instruction's cycles. */
    private hook(core: RP2040["core"]): void {
        const { readUint8, readUint16, readUint32, writeUint8, writeUint16, writeUint32, executeInstruction } = core
        core.readUint8 = address => {
            if (address >>> 26 === FLASH_WINDOW) this.read(address)
            return readUint8.call(core, address)
        }
        core.readUint16 = address => {
            if (address >>> 26 === FLASH_WINDOW) this.read(address)
            return readUint16.call(core, address)
        }
        core.readUint32 = address => {
            if (address >>> 26 === FLASH_WINDOW) this.read(address)
            return readUint32.call(core, address)
        }
        core.writeUint8 = (address, value) => {
            if (address >>> 26 === FLASH_WINDOW) this.cache.write(address)
            writeUint8.call(core, address, value)
        }
        core.writeUint16 = (address, value) => {
            if (address >>> 26 === FLASH_WINDOW) this.cache.write(address)
            writeUint16.call(core, address, value)
        }
        core.writeUint32 = (address, value) => {
            if (address >>> 26 === FLASH_WINDOW) this.cache.write(address)
            writeUint32.call(core, address, value)
        }
        core.executeInstruction = () => {
            const cycles = executeInstruction.call(core)
            if (this.pendingStall === 0) return cycles
            const stalled = this.pendingStall
            this.pendingStall = 0
            return cycles + stalled
        }
    }
}

const CTRL = 0x00
const FLUSH = 0x04
const STAT = 0x08
const CTR_HIT = 0x0c
const CTR_ACC = 0x10
const CTRL_EN = 1
const CTRL_POWER_DOWN = 8
/** CTRL out of reset: EN and ERR_BADWRITE. */
const CTRL_RESET = 3
/** STAT: FLUSH_READY and FIFO_EMPTY (the streaming FIFO is not modelled). */
const STAT_IDLE = 3
const COUNTER_MAX = 0xffffffff

/** XIP_CTRL: the cache's enable, its flush, its status and its two saturating counters. */
class XipControl extends BasePeripheral {
    private ctrl = CTRL_RESET
    private flushPending = false
    /** The cache's counts when CTR_HIT and CTR_ACC were last cleared. */
    private hitsCleared = 0
    private accessesCleared = 0

    constructor(
        rp2040: RP2040,
        private readonly xip: XipTiming,
    ) {
        super(rp2040, "XIP_CTRL")
    }

    override readUint32(offset: number): number {
        const { counters } = this.xip.cache
        switch (offset) {
            case CTRL:
                return this.ctrl
            case FLUSH:
                // a read holds the bus until the flush is done
                if (this.flushPending) this.xip.stall(FLUSH_CYCLES)
                this.flushPending = false
                return 0
            case STAT:
                return STAT_IDLE
            case CTR_HIT:
                return Math.min(counters.hits - this.hitsCleared, COUNTER_MAX)
            case CTR_ACC:
                return Math.min(counters.accesses - this.accessesCleared, COUNTER_MAX)
            default:
                return 0
        }
    }

    override writeUint32(offset: number, value: number): void {
        const { cache } = this.xip
        if (offset === CTRL) {
            this.ctrl = value & CTRL_POWER_DOWN ? value & ~CTRL_EN : value
            cache.enabled = (this.ctrl & CTRL_EN) !== 0
        } else if (offset === FLUSH && value & 1) {
            cache.flush()
            this.flushPending = true
        } else if (offset === CTR_HIT) this.hitsCleared = cache.counters.hits
        else if (offset === CTR_ACC) this.accessesCleared = cache.counters.accesses
    }
}
