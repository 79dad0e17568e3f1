// The runtime's Jacdac, over its USB serial port, onto a jacdac-ts bus, with jacdac-ts's own USB framing.
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"
import {
    createProxyBridge,
    crc,
    JD_DEVICE_IDENTIFIER_BROADCAST_HIGH_MARK,
    JD_FRAME_FLAG_COMMAND,
    JD_FRAME_FLAG_IDENTIFIER_IS_SERVICE_CLASS,
    JD_FRAME_FLAG_LOOPBACK,
    JD_SERVICE_INDEX_BROADCAST,
    jdpack,
    SRV_USB_BRIDGE,
    UsbBridgeCmd,
    type JDBridge,
    type JDBus,
} from "jacdac-ts"
import type { UsbCdcHost } from "./usbCdcHost.js"

/** What this bridge uses of jacdac-ts's JdUsbProto (src/jdom/transport/jdusb.ts). */
interface JdUsbFraming {
    onJDMessage(handler: (frame: Uint8Array) => void): void
    sendJDMessageAsync(frame: Uint8Array): Promise<void>
}

/** The I/O side JdUsbProto talks to (jacdac-ts's HF2_IO), here the emulated USB host. */
interface FramingIo {
    isFreeFlowing?: boolean
    onData: (bytes: Uint8Array) => void
    onError: (e: Error) => void
    log(msg: string): void
    error(msg: string): void
    sendPacketAsync(packet: Uint8Array): Promise<void>
    connectAsync(): Promise<never>
    disconnectAsync(): Promise<void>
}

type JdUsbProtoClass = new (io: FramingIo) => JdUsbFraming

let framingClass: Promise<JdUsbProtoClass> | undefined

/**
 * jacdac-ts implements the USB bridge framing (0xFE quoting, FE FC ... FE FD) in
 * JdUsbProto, which its Web Serial transports use but its package does not
 * export; it ships its sources, so the class is loaded from there.
 */
function loadFraming(): Promise<JdUsbProtoClass> {
    framingClass ??= (async () => {
        const require = createRequire(import.meta.url)
        const source = join(dirname(require.resolve("jacdac-ts")), "../src/jdom/transport/jdusb.ts")
        const module = (await import(pathToFileURL(source).href)) as { JdUsbProto: JdUsbProtoClass }
        return module.JdUsbProto
    })()
    return framingClass
}

/**
 * JdUsbProto prints the bytes a device sends outside frames (its log: the boot
 * messages, and DMESG when enabled) with console.debug, as "DEV: ..." lines,
 * some from a timer of its own; unless asked for, they are left out.
 */
function hideDeviceLog() {
    if (deviceLogHidden) return
    deviceLogHidden = true
    const debug = console.debug
    console.debug = (...args: unknown[]) => {
        if (typeof args[0] === "string" && /^DEV(-[NS])?: /.test(args[0])) return
        debug(...args)
    }
}
let deviceLogHidden = false

/** A command to the USB bridge service itself (jacdac-c's usb bridge), broadcast by service class. */
function bridgeCommand(command: number): Uint8Array {
    const flags = JD_FRAME_FLAG_IDENTIFIER_IS_SERVICE_CLASS | JD_FRAME_FLAG_COMMAND | JD_FRAME_FLAG_LOOPBACK
    const frame = jdpack<[number, number, number, number, number, number, number, number]>("u16 u8 u8 u32 u32 u8 u8 u16", [
        0,
        4,
        flags,
        SRV_USB_BRIDGE,
        JD_DEVICE_IDENTIFIER_BROADCAST_HIGH_MARK,
        0,
        JD_SERVICE_INDEX_BROADCAST,
        command,
    ])
    const sum = crc(frame.slice(2))
    frame[0] = sum & 0xff
    frame[1] = sum >> 8
    return frame
}

/**
 * Joins the device to `bus`: Jacdac frames the device sends on its CDC port go
 * onto the bus, and the bus's frames go to the device. The device's packets are
 * handed over by `deliver()`, so that the caller decides when (and at which
 * emulated instant) the host sees them.
 */
export class JacdacUsbBridge {
    private readonly fromDevice: Uint8Array[] = []
    private readonly bridge: JDBridge
    private readonly io: FramingIo

    private constructor(
        private readonly usb: UsbCdcHost,
        Framing: JdUsbProtoClass,
        bus: JDBus,
    ) {
        this.io = {
            onData: () => {},
            onError: e => {
                throw e
            },
            log: () => {},
            error: msg => {
                throw new Error(`USB bridge: ${msg}`)
            },
            sendPacketAsync: async packet => usb.send(packet),
            connectAsync: () => Promise.reject(new Error("the emulated USB port is always connected")),
            disconnectAsync: async () => {},
        }
        const framing = new Framing(this.io)
        this.bridge = createProxyBridge(frame => void framing.sendJDMessageAsync(frame.slice()))
        framing.onJDMessage(frame => this.bridge.receiveFrameOrPacket(frame))
        usb.onReceive(bytes => this.fromDevice.push(bytes))
        this.framing = framing
        this.bridge.bus = bus
    }

    private readonly framing: JdUsbFraming

    static async connect(usb: UsbCdcHost, bus: JDBus): Promise<JacdacUsbBridge> {
        return new JacdacUsbBridge(usb, await loadFraming(), bus)
    }

    /** Whether the device has sent bytes the host has not taken yet. */
    get hasPending(): boolean {
        return this.fromDevice.length > 0
    }

    /** Hands what the device sent so far to the framing, and so to the bus. */
    deliver(): void {
        for (const chunk of this.fromDevice.splice(0)) this.io.onData(chunk)
    }

    /** Asks the device to send its Jacdac packets (and, with `log`, its DMESG lines) over USB. */
    async enablePackets(log = false): Promise<void> {
        if (!log) hideDeviceLog()
        await this.framing.sendJDMessageAsync(bridgeCommand(UsbBridgeCmd.EnablePackets))
        if (log) await this.framing.sendJDMessageAsync(bridgeCommand(UsbBridgeCmd.EnableLog))
    }

    /** Whether the host is connected to the device's port. */
    get deviceConnected(): boolean {
        return this.usb.isConnected
    }
}
