import { type InFlightLed } from "../shared/led"

/** Lets the status LED follow the requests in flight from a background fiber, so no task waits for a write. */
export class LedInBackground {
    private writing = false

    constructor(private readonly led: InFlightLed) {}

    show(inFlight: number) {
        this.led.follow(inFlight)
        if (this.writing || this.led.isUpToDate()) return
        this.writing = true
        const self = this
        const writeInBackground = async () => {
            try {
                await self.led.writeChanges()
            } finally {
                self.writing = false
            }
        }
        writeInBackground.start()
    }
}
