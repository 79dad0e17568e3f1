// The host serial bridge: a Jacdac Serial service on the devtools bus, its bytes carried to and from a link.
import { CHANGE, JDBus, JDServerServiceProvider } from "jacdac-ts"
import { connectToDevtools, SerialServer } from "../../sim/index.js"
import { never, type ByteLink } from "./link.js"

export interface BridgeOptions {
    /** Reported in the Serial service's baud rate register. */
    baudRate?: number
    /** Where status lines go (never the link itself). */
    log: (line: string) => void
}

export interface RunningBridge {
    /** Resolves, with why, when the devtools connection or the link ends by itself. */
    readonly ended: Promise<string>
    stop(): Promise<void>
}

/**
 * Puts a Serial service on the bus that `devs devtools` serves and carries its
 * bytes: what the firmware sends goes out of `link`, what comes in on `link`
 * goes to the firmware once it has opened the serial link (before that, it is
 * dropped, as a UART that is not enabled would).
 */
export async function startBridge(link: ByteLink, options: BridgeOptions): Promise<RunningBridge> {
    const bus = new JDBus([], { disableRoleManager: true })
    const serial = new SerialServer({ baudRate: options.baudRate })
    bus.addServiceProvider(new JDServerServiceProvider("serial bridge", [serial], { deviceDescription: "host serial bridge" }))
    bus.start()
    const devtools = await connectToDevtools(bus).catch(async e => {
        await bus.stop()
        throw e
    })

    reportConnection(serial, options.log)
    serial.onTransmit(bytes => link.write(bytes))
    link.onData(forwardToFirmware(serial, options.log))

    const devtoolsEnded = devtools.closed.then(reason => reason ?? never<string>())
    return {
        ended: Promise.race([devtoolsEnded, link.ended]),
        async stop() {
            devtools.close()
            await link.close()
            await bus.stop()
        },
    }
}

/** Hands incoming bytes to the firmware, in order, in as few reports as fit; drops them while the link is closed. */
function forwardToFirmware(serial: SerialServer, log: (line: string) => void): (bytes: Uint8Array) => void {
    let queue = Promise.resolve()
    let dropping = false
    return bytes => {
        if (!serial.isConnected) {
            if (!dropping) log("dropping input: the firmware has not opened the serial link yet")
            dropping = true
            return
        }
        dropping = false
        queue = queue.then(() => serial.receiveAll(bytes)).catch(e => log(`could not pass bytes to the firmware: ${e}`))
    }
}

function reportConnection(serial: SerialServer, log: (line: string) => void) {
    let wasConnected = false
    serial.connected.on(CHANGE, () => {
        if (serial.isConnected && !wasConnected) log("the firmware opened the serial link")
        if (!serial.isConnected && wasConnected) log("the firmware closed the serial link")
        wasConnected = serial.isConnected
    })
}
