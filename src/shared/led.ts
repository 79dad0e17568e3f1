import { statusLed } from "./roles"

/** Shows on the status LED whether any request is in flight, writing only changes. */
export class InFlightLed {
    private lit = false
    private wanted = false

    /** Sets what the LED must show; a write under way, or the next, picks it up. */
    follow(inFlight: number) {
        this.wanted = inFlight > 0
    }

    /** Whether the LED already shows what it must. */
    isUpToDate(): boolean {
        return this.lit === this.wanted
    }

    /** Writes until the LED shows what it must (the latest state last); returns at once if it does. */
    async writeChanges() {
        while (this.lit !== this.wanted) {
            const lit = this.wanted
            await statusLed.intensity.write(lit ? 1 : 0)
            this.lit = lit
        }
    }
}
