// The pico_button_led board around the chip: a push-button on GP15 (to ground) and the LED on GP25.
import type { SimClock } from "../clock.js"
import type { Pico } from "./pico.js"

export const BUTTON_PIN = 15
export const LED_PIN = 25

/**
 * How long the finger holds the button down, and keeps it up before the next press. The runtime's
 * button server samples its pin every 9 ms, but only when its main loop comes round: while the VM
 * runs a long piece of bytecode it samples nothing, and 20 ms presses were missed now and then
 * (2 of 200 in the superloop on the runtime with the timer fix). 30 ms down is a quick tap that
 * every build sees; 20 ms up makes the next a press of its own. Presses closer than that are one
 * press on real hardware too: a burst is one every 50 ms.
 */
export const HOLD_MS = 30
export const RELEASE_MS = 20
/** The closest two presses can follow each other. */
export const MIN_PRESS_GAP_MS = HOLD_MS + RELEASE_MS

/**
 * The button as a finger presses it: down (the pin low) for HOLD_MS, then up.
 * A press asked for while one is under way follows it, MIN_PRESS_GAP_MS after
 * the one before, so a burst of presses stays a burst of distinct presses.
 */
export class GpioButton {
    /** When each press went down, in emulated ms. */
    readonly pressedAt: number[] = []
    private busyUntil = 0

    constructor(
        private readonly pico: Pico,
        private readonly clock: SimClock,
    ) {
        pico.driveInput(BUTTON_PIN, true)
    }

    /** Schedules one press; it starts now, or as soon as the one before it is over; returns when it starts (emulated ms). */
    press(): number {
        const start = Math.max(this.clock.now, this.busyUntil)
        this.busyUntil = start + HOLD_MS + RELEASE_MS
        this.clock.setTimeout(() => {
            this.pressedAt.push(this.pico.time.millis)
            this.pico.driveInput(BUTTON_PIN, false)
        }, start - this.clock.now)
        this.clock.setTimeout(() => this.pico.driveInput(BUTTON_PIN, true), start + HOLD_MS - this.clock.now)
        return start
    }
}

export interface PinChange {
    /** Emulated ms. */
    at: number
    on: boolean
}

/** The LED pin as the chip drives it. */
export class LedPin {
    readonly changes: PinChange[] = []

    constructor(pico: Pico) {
        pico.watchOutput(LED_PIN, on => this.changes.push({ at: pico.time.millis, on }))
    }

    get isOn(): boolean {
        return this.changes.at(-1)?.on ?? false
    }
}
