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

    async show(inFlight: number) {
        const lit = inFlight > 0
        if (lit === this.lit) return
        this.lit = lit
        await statusLed.intensity.write(lit ? 1 : 0)
    }
}
