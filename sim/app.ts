// DeviceScript's sim/app.ts: the device's surroundings as a Node.js program on the bus of a running
// `devs devtools`. It hosts the board's button and status LED and an auto-replying serial peer, and
// prints what crosses the device's edges, live. Run it with `npm run sim:app` (see sim/README.md).
import { createInterface } from "node:readline"
import { parseArgs } from "node:util"
import { JDBus } from "jacdac-ts"
import {
    connectToDevtools,
    DEVTOOLS_HOST,
    DEVTOOLS_TCP_PORT,
    DevtoolsUnreachableError,
    type DevtoolsConnection,
} from "./jacdac/devtools.js"
import { bytes, parseSent } from "../host/frames.js"
import { autoReply } from "./peer.js"
import { Peripherals } from "./peripherals.js"

const USAGE = `usage: npm run sim:app -- [--press-every MS] [--reply-delay MS] [--no-reply] [--no-peer] [--wait]

Joins a running \`devs devtools\` (${DEVTOOLS_HOST}:${DEVTOOLS_TCP_PORT}) and puts on its bus the board's
button and status LED and a serial peer that answers each REQ with RES,<seq>,ok<seq>. It listens
on no port: it only connects, as a client, to ${DEVTOOLS_HOST}:${DEVTOOLS_TCP_PORT}. A build runs there
the DeviceScript way, e.g.:
  npx devs devtools                                   # terminal 1: the bus
  npx devs run --tcp src/mainAsync.ts                 # terminal 2: the CLI's VM runs a build
  npm run sim:app                                     # terminal 3: this program

  --press-every MS   also press the button every MS milliseconds
  --reply-delay MS   how long the peer waits before it answers (default 120)
  --no-reply         the peer answers nothing (every request times out)
  --no-peer          no serial peer: leave the serial role to \`npm run bridge\`
  --wait             if devs devtools is not running yet, wait for it (VS Code starts both at once)
  --help             this text

Keys: Enter presses the button; a line starting with $ is sent to the device as typed
(\\r\\n added); q quits. Each line printed is: milliseconds since start, then the event.`

const DEFAULT_REPLY_DELAY_MS = 120

interface AppOptions {
    pressEveryMs?: number
    replyDelayMs: number
    reply: boolean
    peer: boolean
    wait: boolean
}

class UsageError extends Error {}

const VALUE_OPTIONS = ["--press-every", "--reply-delay"]

/** `--name value` as `--name=value`, so that a value such as -5 reaches the range check, not the parser. */
function joinValues(args: string[]): string[] {
    const joined: string[] = []
    for (let i = 0; i < args.length; i++) {
        const next = args[i + 1]
        if (VALUE_OPTIONS.includes(args[i]) && next !== undefined && !next.startsWith("--")) joined.push(`${args[i]}=${args[++i]}`)
        else joined.push(args[i])
    }
    return joined
}

function readOptions(args: string[]): AppOptions | "help" {
    let parsed
    try {
        parsed = parseArgs({
            args: joinValues(args),
            strict: true,
            options: {
                "press-every": { type: "string" },
                "reply-delay": { type: "string" },
                "no-reply": { type: "boolean" },
                "no-peer": { type: "boolean" },
                wait: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }).values
    } catch (e) {
        const reason = (e as Error).message.split("\n")[0].replace(/\.$/, "")
        throw new UsageError(`${reason.charAt(0).toLowerCase()}${reason.slice(1)}; run with --help for usage`)
    }
    if (parsed.help) return "help"
    return {
        pressEveryMs: parsed["press-every"] === undefined ? undefined : milliseconds("--press-every", parsed["press-every"], 1),
        replyDelayMs:
            parsed["reply-delay"] === undefined ? DEFAULT_REPLY_DELAY_MS : milliseconds("--reply-delay", parsed["reply-delay"], 0),
        reply: !parsed["no-reply"],
        peer: !parsed["no-peer"],
        wait: !!parsed.wait,
    }
}

function milliseconds(option: string, text: string, least: number): number {
    const value = Number(text)
    if (!/^\d+$/.test(text) || value < least || value > 3_600_000) {
        throw new UsageError(`${option} takes whole milliseconds from ${least} to 3600000, not ${text}`)
    }
    return value
}

/** One line of the transcript: milliseconds since start, then what happened. */
function say(at: number, what: string) {
    console.log(`${Math.round(at).toString().padStart(8)}  ${what}`)
}

/** Prints each frame the device sends, whatever the chunking; a malformed one is shown as it came. */
function printDeviceFrames(peripherals: Peripherals) {
    let pending = ""
    peripherals.serial.onSend(chunk => {
        pending += String.fromCharCode(...chunk.bytes)
        let end: number
        while ((end = pending.indexOf("\r\n")) >= 0) {
            const text = pending.slice(0, end + 2)
            pending = pending.slice(end + 2)
            try {
                for (const sent of parseSent([{ at: chunk.at, bytes: bytes(text) }])) say(chunk.at, `device → ${sent.body}`)
            } catch {
                say(chunk.at, `device → (malformed) ${JSON.stringify(text)}`)
            }
        }
    })
}

function printLed(peripherals: Peripherals) {
    peripherals.led.onChange(change => say(change.at, change.intensity > 0 ? "LED on" : "LED off"))
}

/** Enter presses, `$…` lines go to the device, `q` quits; stdin ending leaves the app running. */
function readKeys(press: () => void, send: (text: string) => void, quit: () => void) {
    const lines = createInterface({ input: process.stdin })
    lines.on("line", line => {
        const text = line.trim()
        if (text === "q" || text === "quit") quit()
        else if (text.startsWith("$")) send(`${text}\r\n`)
        else press()
    })
}

const RETRY_MS = 500

/** Connects as soon as `devs devtools` answers, trying again every RETRY_MS. */
async function waitForDevtools(bus: JDBus): Promise<DevtoolsConnection> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await connectToDevtools(bus)
        } catch (e) {
            if (!(e instanceof DevtoolsUnreachableError)) throw e
            if (attempt === 0) console.error(`sim/app: waiting for devs devtools on ${DEVTOOLS_HOST}:${DEVTOOLS_TCP_PORT}...`)
            await new Promise(resolve => setTimeout(resolve, RETRY_MS))
        }
    }
}

async function main(args: string[]) {
    const options = readOptions(args)
    if (options === "help") {
        console.log(USAGE)
        return
    }

    const bus = new JDBus([], { disableRoleManager: true })
    const peripherals = new Peripherals(bus, () => bus.timestamp)
    peripherals.plugBoard()
    if (options.peer) peripherals.plugSerial()
    bus.start()
    let devtools: DevtoolsConnection
    try {
        devtools = await (options.wait ? waitForDevtools(bus) : connectToDevtools(bus))
    } catch (e) {
        await bus.stop()
        throw e
    }

    printDeviceFrames(peripherals)
    printLed(peripherals)
    const send = (text: string, who: string) => {
        say(bus.timestamp, `${who} → ${text.replace(/\r?\n$/, "")}`)
        void peripherals.inject(text)
    }
    if (options.peer && options.reply) {
        autoReply(
            { serial: peripherals.serial, clock: bus.scheduler, inject: async text => send(text, "peer  ") },
            { replyDelayMs: options.replyDelayMs },
        )
    }
    const press = () => {
        say(bus.timestamp, "press")
        void peripherals.press()
    }

    let stopping = false
    const stop = async (code: number, reason?: string) => {
        if (stopping) return
        stopping = true
        if (reason) console.error(`error: ${reason}`)
        devtools.close()
        await bus.stop()
        process.exit(code)
    }
    const peer = !options.peer ? "no serial peer" : options.reply ? `a serial peer answering after ${options.replyDelayMs} ms` : "a serial peer that never answers"
    console.error(`sim/app: on the devs devtools bus (${DEVTOOLS_HOST}:${DEVTOOLS_TCP_PORT}): button, status LED, ${peer}`)
    console.error("sim/app: Enter presses the button, a $… line is sent to the device, q quits")
    const typed = (text: string) => {
        if (options.peer) send(text, "you   ")
        else console.error("sim/app: no serial peer here (--no-peer): type frames into the bridge instead")
    }
    readKeys(press, typed, () => void stop(0))
    if (options.pressEveryMs !== undefined) setInterval(press, options.pressEveryMs)
    process.once("SIGINT", () => void stop(0))
    process.once("SIGTERM", () => void stop(0))
    const reason = await devtools.closed
    await stop(reason ? 1 : 0, reason)
}

main(process.argv.slice(2)).catch(e => {
    console.error(`error: ${(e as Error).message.split("\n")[0]}`)
    process.exit(1)
})
