import { ButtonEvent, ButtonReg, JDServiceServer, Packet, SRV_BUTTON } from "jacdac-ts"

/**
 * A push button that sends each event exactly once. (jacdac-ts 1.33.7's
 * ButtonServer re-sends events through a mis-sorted queue, which a client
 * sees as phantom presses.)
 */
export class SimButton extends JDServiceServer {
    constructor() {
        super(SRV_BUTTON)
        this.addRegister<[number]>(ButtonReg.Pressure, [0])
        this.addRegister<[boolean]>(ButtonReg.Analog, [false])
    }

    async press(): Promise<void> {
        await this.sendEventOnce(ButtonEvent.Down)
    }

    async release(): Promise<void> {
        await this.sendEventOnce(ButtonEvent.Up, new Uint8Array(4))
    }

    async hold(): Promise<void> {
        await this.sendEventOnce(ButtonEvent.Hold, new Uint8Array(4))
    }

    private async sendEventOnce(event: ButtonEvent, data = new Uint8Array(0)) {
        if (!this.device?.bus) return
        await this.sendPacketAsync(Packet.from(this.device.createEventCmd(event), data))
    }
}
