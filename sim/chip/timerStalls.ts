// Watches for the runtime's lost timer wake-ups (devicescript-pico src/tim.c, tim_set_timer) and how long the core then sleeps.
import type { RP2040 } from "rp2040js"
import type { EmulatedTime } from "./emulatedTime.js"

const TIMER_SLOT = 0x40054
const ALARM0 = 0x10

export interface TimerStall {
    /** Emulated ms when the runtime set its alarm for a time already past. */
    at: number
    /** How long the core then slept before some other interrupt woke it (ms). */
    ms: number
}

/**
 * `tim_set_timer` raises a delay below 10 us to 10, and only then replaces the
 * "max sleep" marker (JD_MIN_MAX_SLEEP) with `jd_max_sleep`; when that is 0 the
 * alarm is set for the current microsecond, which has passed by the time the
 * comparator sees it (or fires and is then cleared by the next line): the wake-up
 * is lost.
 * This records each alarm written for now or the past, and how long the core
 * slept after it. Waits shorter than `minMs` (another interrupt came soon) are
 * not stalls.
 */
export class TimerStalls {
    readonly stalls: TimerStall[] = []
    /** Alarms written for a time already past (or this very microsecond). */
    lostAlarms = 0
    private lostAtNanos?: number

    constructor(
        rp2040: RP2040,
        time: EmulatedTime,
        private readonly minMs = 1,
    ) {
        const timer = rp2040.peripherals[TIMER_SLOT]
        const write = timer.writeUint32.bind(timer)
        timer.writeUint32 = (offset: number, value: number) => {
            if (offset === ALARM0) this.alarmSet(value >>> 0, time.nanos)
            write(offset, value)
        }
        time.onWake((sleptFrom, now) => this.woke(sleptFrom, now))
    }

    private alarmSet(targetMicros: number, nowNanos: number) {
        const ahead = (targetMicros - Math.floor(nowNanos / 1000)) | 0
        if (ahead <= 0) {
            this.lostAlarms++
            this.lostAtNanos = nowNanos
        } else {
            this.lostAtNanos = undefined
        }
    }

    private woke(sleptFromNanos: number, nowNanos: number) {
        if (this.lostAtNanos === undefined || sleptFromNanos < this.lostAtNanos) return
        const ms = (nowNanos - this.lostAtNanos) / 1e6
        if (ms >= this.minMs) this.stalls.push({ at: this.lostAtNanos / 1e6, ms })
        this.lostAtNanos = undefined
    }
}
