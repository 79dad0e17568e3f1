// The bridge's link to a real serial port (or a pseudo-terminal), with the `serialport` package.
import { existsSync } from "node:fs"
import { SerialPort } from "serialport"
import { UserError } from "../lib/errors.js"
import type { ByteLink } from "./link.js"

/** Opens `path` at `baudRate`, 8N1; fails with one line if it cannot. */
export async function openSerialPortLink(path: string, baudRate: number): Promise<ByteLink> {
    if (!existsSync(path)) throw new UserError(`no serial port ${path} (is the adapter plugged in? see ls /dev/ttyUSB* /dev/ttyACM*)`)
    const port = new SerialPort({ path, baudRate, autoOpen: false })
    await new Promise<void>((resolve, reject) =>
        port.open(e => (e ? reject(new UserError(`cannot open ${path}: ${openFailure(e)}`)) : resolve())),
    )
    let closing = false
    const ended = new Promise<string>(resolve => {
        port.on("close", () => {
            if (!closing) resolve(`the serial port ${path} closed (unplugged?)`)
        })
        port.on("error", e => resolve(`serial port ${path}: ${e.message}`))
    })
    return {
        description: `${path} at ${baudRate} baud`,
        write: bytes => void port.write(Buffer.from(bytes)),
        onData: listener => port.on("data", (chunk: Buffer) => listener(new Uint8Array(chunk))),
        ended,
        close: () =>
            new Promise<void>(resolve => {
                closing = true
                if (!port.isOpen) return resolve()
                port.close(() => resolve())
            }),
    }
}

function openFailure(e: Error): string {
    const reason = e.message.replace(/^Error: /, "").replace(/, cannot open .*$/, "")
    return /permission denied/i.test(reason) ? `${reason} (on Linux, join the dialout group)` : reason
}
