import { createClock, type Clock } from "@sinonjs/fake-timers"
import type { Scheduler } from "jacdac-ts"

type Handler = (...args: unknown[]) => void
type TimerId = ReturnType<Clock["setTimeout"]>

/**
 * One virtual clock for a whole simulation: the VM's timers and `Date` and the
 * jacdac-ts bus scheduler all read and advance the same fake time. It is never
 * installed globally, so several simulations can share one process.
 */
export class VirtualClock implements Scheduler {
    readonly fake: Clock = createClock(0, 1_000_000)

    get now(): number {
        return this.fake.now
    }

    get timestamp(): number {
        return this.fake.now
    }

    /** Runs every timer and promise due within `ms` of virtual time. */
    async advance(ms: number): Promise<void> {
        await this.fake.tickAsync(ms)
    }

    resetTime(): void {
        throw new Error("a virtual clock cannot be reset")
    }
    setTimeout(handler: Handler, delay: number, ...args: unknown[]): TimerId {
        return this.fake.setTimeout(handler, delay, ...args)
    }
    clearTimeout(handle: TimerId): void {
        this.fake.clearTimeout(handle)
    }
    setInterval(handler: Handler, delay: number, ...args: unknown[]): TimerId {
        return this.fake.setInterval(handler, delay, ...args)
    }
    clearInterval(handle: TimerId): void {
        this.fake.clearInterval(handle)
    }

    /** The globals through which the VM's Emscripten glue reads time and sets timers. */
    vmGlobals() {
        const { fake } = this
        return {
            setTimeout: fake.setTimeout.bind(fake),
            clearTimeout: fake.clearTimeout.bind(fake),
            setInterval: fake.setInterval.bind(fake),
            clearInterval: fake.clearInterval.bind(fake),
            Date: fake.Date,
        }
    }
}

/** What a simulation runs on: virtual time by default, wall-clock time for real-time measurements. */
export interface SimClock extends Scheduler {
    readonly now: number
    advance(ms: number): Promise<void>
    vmGlobals(): ReturnType<VirtualClock["vmGlobals"]>
}

/** Real time: `advance` sleeps; the VM uses the process's own timers and `Date`. */
export class WallClock implements SimClock {
    private readonly start = performance.now()

    get now(): number {
        return performance.now() - this.start
    }
    get timestamp(): number {
        return this.now
    }
    advance(ms: number): Promise<void> {
        return new Promise(resolve => setTimeout(resolve, ms))
    }
    resetTime(): void {
        throw new Error("a wall clock cannot be reset")
    }
    setTimeout(handler: Handler, delay: number, ...args: unknown[]) {
        return setTimeout(handler, delay, ...args)
    }
    clearTimeout(handle: ReturnType<typeof setTimeout>): void {
        clearTimeout(handle)
    }
    setInterval(handler: Handler, delay: number, ...args: unknown[]) {
        return setInterval(handler, delay, ...args)
    }
    clearInterval(handle: ReturnType<typeof setInterval>): void {
        clearInterval(handle)
    }
    vmGlobals() {
        return { setTimeout, clearTimeout, setInterval, clearInterval, Date } as unknown as ReturnType<VirtualClock["vmGlobals"]>
    }
}
