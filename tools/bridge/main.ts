// npm run bridge -- (--port PATH [--baud N] | --stdio | --tcp PORT): the firmware's serial role, carried by the host.
import { runMain, UserError } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { startBridge } from "./bridge.js"
import type { ByteLink } from "./link.js"
import { openSerialPortLink } from "./serialPortLink.js"
import { openStdioLink } from "./stdioLink.js"
import { openTcpLink } from "./tcpLink.js"

const USAGE = "usage: npm run bridge -- --port /dev/ttyUSB0 [--baud 115200] | --stdio | --tcp 7000"
const DEFAULT_BAUD = 115200
const HELP = [
    "Carries the firmware's serial link between `devs devtools` (the board or `devs run --tcp`) and a peer on this machine.",
    "It joins devs devtools as a client, on 127.0.0.1:8082; only --tcp listens, and on this machine only.",
    "  --port PATH   a serial port (a USB adapter wired to the peer), at --baud N (default 115200)",
    "  --stdio       the firmware's bytes on stdout, stdin to the firmware; status lines on stderr",
    "  --tcp PORT    a TCP server on 127.0.0.1 only, not reachable from the network (0 picks a free port);",
    "                a client that sends an HTTP request (a web page, through the browser) is refused",
].join("\n")

const log = (line: string) => console.error(`bridge: ${line}`)

async function openLink(args: string[]): Promise<{ link: ByteLink; baudRate: number }> {
    const options = parseOptions(args, { port: "string", baud: "number", stdio: "flag", tcp: "number" }, USAGE, HELP)
    const chosen = [options.port !== undefined, !!options.stdio, options.tcp !== undefined].filter(Boolean).length
    if (chosen !== 1) throw new UserError(`choose one of --port, --stdio and --tcp; ${USAGE}`)
    const baudRate = options.baud ?? DEFAULT_BAUD
    if (!Number.isInteger(baudRate) || baudRate <= 0) throw new UserError(`--baud takes a positive whole number; ${USAGE}`)
    if (options.baud !== undefined && options.port === undefined) throw new UserError(`--baud goes with --port; ${USAGE}`)
    if (options.port !== undefined) return { link: await openSerialPortLink(options.port, baudRate), baudRate }
    if (options.stdio) return { link: openStdioLink(log), baudRate }
    const port = options.tcp!
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--tcp takes a port number; ${USAGE}`)
    return { link: await openTcpLink(port, log), baudRate }
}

async function main() {
    const { link, baudRate } = await openLink(process.argv.slice(2))
    const bridge = await startBridge(link, { baudRate, log }).catch(async e => {
        await link.close()
        throw e
    })
    log(`${link.description} <-> the Jacdac Serial service on devs devtools; Ctrl-C to stop`)
    const stop = async () => {
        await bridge.stop()
        process.exit(0)
    }
    process.once("SIGINT", stop)
    process.once("SIGTERM", stop)
    const reason = await bridge.ended
    await bridge.stop()
    throw new UserError(reason)
}

runMain(main)
