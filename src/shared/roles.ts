import * as ds from "@devicescript/core"

// The device's three edges. Roles bind to any matching service: the board's
// own button and LED servers on hardware, the simulated servers in tests.
export const button = new ds.Button("button")
export const serial = new ds.Serial("serial")
export const statusLed = new ds.LightBulb("statusLed")

/** The Serial service's report that carries received bytes. */
export const SERIAL_RECEIVED = 0x80

/** Opens the serial link; called each time the serial role binds. */
export async function enableSerial() {
    await serial.enabled.write(true)
}
