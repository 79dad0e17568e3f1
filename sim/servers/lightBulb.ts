import { CHANGE, JDServiceServer, LightBulbReg, SRV_LIGHT_BULB } from "jacdac-ts"

export interface LedChange {
    at: number
    intensity: number
}

/** The status LED: a light bulb whose every brightness change is recorded with its time. */
export class SimLightBulb extends JDServiceServer {
    readonly changes: LedChange[] = []
    private readonly brightness
    private readonly changeListeners: ((change: LedChange) => void)[] = []

    constructor(private readonly now: () => number) {
        super(SRV_LIGHT_BULB)
        this.brightness = this.addRegister<[number]>(LightBulbReg.Brightness, [0])
        this.addRegister<[boolean]>(LightBulbReg.Dimmable, [true])
        this.brightness.on(CHANGE, () => {
            const change = { at: this.now(), intensity: this.intensity }
            this.changes.push(change)
            for (const listener of this.changeListeners) listener(change)
        })
    }

    /** Calls `listener` with each brightness change from now on. */
    onChange(listener: (change: LedChange) => void) {
        this.changeListeners.push(listener)
    }

    get intensity(): number {
        return this.brightness.values()[0]
    }

    get isOn(): boolean {
        return this.intensity > 0
    }
}
