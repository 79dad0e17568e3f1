// Breakpoints at chosen instructions of the runtime in the emulated flash, for what must be seen at one exact moment
// at no cost to every other instruction (an instruction observer slows the emulation by a quarter).
import type { Pico } from "./pico.js"

const FLASH_BASE = 0x1000_0000
/** BKPT #0xd5: the SDK's own breakpoints (fault handlers, `panic()`) are BKPT #0. */
const BKPT = 0xbed5

interface Breakpoint {
    address: number
    original: number
    armed: boolean
    handler: () => void
}

/** `push {...}`: 16 bits, never a branch, so the next instruction is the one after it. */
const isPush = (halfword: number) => halfword >> 9 === 0b1011010

/**
 * Each breakpoint is a BKPT written over an instruction in the flash image. When the
 * core reaches it, rp2040js calls `onBreak`: the handler runs, the instruction is put
 * back and the core goes back to it, so it runs as if nothing had happened (the BKPT
 * cost one cycle). It is written again once the core has left that instruction: over a
 * `push` (a function's entry), as soon as the push has run (a second, passing BKPT on
 * the instruction after it); elsewhere at the next `rearm()`, which is to be called
 * between slices of emulated time. Every other BKPT (the SDK's) goes to `elsewhere`.
 */
export class FlashBreakpoints {
    private readonly points = new Map<number, Breakpoint>()
    /** The passing BKPTs behind pushes that fired: where each stands, and the breakpoint it re-arms. */
    private readonly steps = new Map<number, { original: number; rearms: Breakpoint }>()

    constructor(
        private readonly pico: Pico,
        elsewhere: (code: number, address: number) => void,
    ) {
        const core = pico.rp2040.core
        pico.rp2040.onBreak = (code: number) => {
            // rp2040js has moved the PC past the BKPT
            const address = (core.PC & ~1) - 2
            if (code === (BKPT & 0xff) && this.stepped(address)) return
            const point = this.points.get(address)
            if (!point || code !== (BKPT & 0xff) || !point.armed) return elsewhere(code, address)
            point.handler()
            this.write(address, point.original)
            point.armed = false
            core.PC = address
            if (isPush(point.original)) {
                this.steps.set(address + 2, { original: this.read(address + 2), rearms: point })
                this.write(address + 2, BKPT)
            }
        }
    }

    /** A passing BKPT after a push: the instruction comes back, and the breakpoint before it is armed again. */
    private stepped(address: number): boolean {
        const step = this.steps.get(address)
        if (!step) return false
        this.steps.delete(address)
        this.write(address, step.original)
        this.write(step.rearms.address, BKPT)
        step.rearms.armed = true
        this.pico.rp2040.core.PC = address
        return true
    }

    /** Calls `handler` each time the core is about to execute the instruction at `address` (in flash). */
    add(address: number, handler: () => void): void {
        if (address < FLASH_BASE || address >= FLASH_BASE + this.pico.rp2040.flash.length) throw new Error(`a breakpoint goes in flash, not at 0x${address.toString(16)}`)
        if (this.points.has(address)) throw new Error(`a breakpoint is already at 0x${address.toString(16)}`)
        const point = { address, original: this.read(address), armed: true, handler }
        this.points.set(address, point)
        this.write(address, BKPT)
    }

    /** Writes back each breakpoint that fired, unless the core is about to execute its instruction. */
    rearm(): void {
        const pc = this.pico.rp2040.core.PC & ~1
        for (const point of this.points.values()) {
            if (point.armed || point.address === pc || [...this.steps.values()].some(step => step.rearms === point)) continue
            this.write(point.address, BKPT)
            point.armed = true
        }
    }

    private read(address: number): number {
        const flash = this.pico.rp2040.flash
        const at = address - FLASH_BASE
        return flash[at] | (flash[at + 1] << 8)
    }

    private write(address: number, halfword: number): void {
        const flash = this.pico.rp2040.flash
        const at = address - FLASH_BASE
        flash[at] = halfword & 0xff
        flash[at + 1] = halfword >> 8
    }
}
