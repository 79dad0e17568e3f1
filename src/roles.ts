import * as ds from "@devicescript/core"

// The device's three edges. Roles bind to any matching service: the board's
// own button and LED servers on hardware, the simulated servers in tests.
export const button = new ds.Button("button")
export const serial = new ds.Serial("serial")
export const statusLed = new ds.LightBulb("statusLed")

/** Opens the serial link; called each time the serial role binds. */
export async function enableSerial() {
    await serial.enabled.write(true)
}

/** Shows on the status LED whether any request is in flight, writing only changes. */
export class InFlightLed {
    private lit = false
    private wanted = false
    private writing = false

    /** Writes the LED now if it must change, and waits until it has. */
    async update(inFlight: number) {
        this.wanted = inFlight > 0
        await this.writeChanges()
    }

    /** Asks for the LED to follow; a background fiber writes the changes, the latest state last. */
    show(inFlight: number) {
        this.wanted = inFlight > 0
        if (this.writing || this.wanted === this.lit) return
        const led = this
        const writeInBackground = async () => await led.writeChanges()
        writeInBackground.start()
    }

    private async writeChanges() {
        if (this.writing) return
        this.writing = true
        try {
            while (this.lit !== this.wanted) {
                const lit = this.wanted
                await statusLed.intensity.write(lit ? 1 : 0)
                this.lit = lit
            }
        } finally {
            this.writing = false
        }
    }
}
