// What a device offers to a test or a tool, whatever runs it: the VM in this process, the CLI's VM, an emulated Pico.
import { checksumHex, type SentFrame } from "./frames.js"

/** Where a build runs: the DeviceScript VM in this process (virtual time), the CLI's own VM (`devs run --tcp`, real time), or the RP2040 runtime on an emulated Pico (emulated time). */
export type HostName = "vm" | "cli-vm" | "chip"

/**
 * A running build, seen from its edges (docs/protocol.md): the button, the serial
 * link and the status LED, on the host's clock. Times are milliseconds on that
 * clock: virtual, emulated or real.
 */
export interface Device {
    /** The build it runs (or, for a program that is no build, such as a variant or the empty program, its name). */
    readonly build: string
    readonly host: HostName
    /** The host's clock, in ms since the device started. */
    readonly now: number
    /** Lets `ms` pass: the device, its parts and any timers run meanwhile. */
    advance(ms: number): Promise<void>
    /** Lets time pass until `done()` holds; fails, naming `what`, after `withinMs`. */
    until(done: () => boolean, withinMs: number, what?: string): Promise<void>
    /** Lets time pass until the device has sent RDY, and returns it. */
    untilReady(): Promise<SentFrame>
    /** A button press (down, then up); the device's clock time it went down is added to `pressedAt`. */
    press(): Promise<void>
    /** When each press went down, on the device's clock. */
    readonly pressedAt: readonly number[]
    /** Sends `data` over serial, cut into chunks of `chunkSize` bytes (or of the given sizes, in turn), at this instant. */
    inject(data: string | Uint8Array, chunkSize?: number | number[]): Promise<void>
    /** Every frame the device has sent, stamped when it reached the serial peer. */
    readonly frames: readonly SentFrame[]
    /** The frames sent since `since`, except RDY, as their bodies. */
    bodies(since?: number): string[]
    /** Whether the status LED is lit now. */
    readonly ledIsOn: boolean
    /** Each time the LED went on or off, on the device's clock. */
    readonly ledSwitches: readonly LedSwitch[]
    /** What the host saw go wrong inside the device: panics, crashes, resets. */
    crashes(): string[]
    stop(): void | Promise<void>
}

/** The status LED going on or off. */
export interface LedSwitch {
    at: number
    on: boolean
}

/** The LED's switches from a record of its brightness changes: each change of on/off once. */
export function switchesOf(changes: readonly { at: number; intensity: number }[]): LedSwitch[] {
    const switches: LedSwitch[] = []
    for (const { at, intensity } of changes) {
        const on = intensity > 0
        if ((switches.at(-1)?.on ?? false) !== on) switches.push({ at, on })
    }
    return switches
}

/** The first frame of `type` sent at or after `since`, if any. */
export function firstFrameSince(device: Device, since: number, type: string): SentFrame | undefined {
    return device.frames.find(f => f.at >= since && f.type === type)
}

/** What answered a press: its REQ or ERR,BUSY, or nothing within the time allowed. */
export interface PressAnswer {
    /** When the press went down, on the device's clock. */
    pressedAt: number
    answer?: SentFrame
}

/**
 * Presses the button and lets time pass, `stepMs` at a time, until the REQ or
 * ERR,BUSY that answers the press has come, or `withinMs` have passed.
 */
export async function pressAndAwaitAnswer(device: Device, withinMs: number, stepMs = 1): Promise<PressAnswer> {
    const since = device.now
    // frames sent in the same ms as the press, but before it, are not its answer
    const seen = device.frames.length
    await device.press()
    const answer = () => device.frames.slice(seen).find(f => f.type === "REQ" || f.body === "ERR,BUSY")
    while (!answer() && device.now - since < withinMs) await device.advance(stepMs)
    return { pressedAt: device.pressedAt.at(-1) ?? since, answer: answer() }
}

/** One request as a peer sees it: the press, its REQ, the reply, its ACK. */
export interface RequestCycle {
    pressedAt: number
    /** Press→REQ on the device's clock; undefined when the press got no REQ in time. */
    pressToReqMs?: number
    /** RES→ACK, when a reply was sent. */
    resToAckMs?: number
}

export interface RequestCycleOptions {
    /** How long a REQ may take before the press counts as unanswered. */
    withinMs: number
    /** How finely time advances while waiting. */
    stepMs?: number
    /** Answer the REQ this long after it came (undefined: do not answer). */
    replyAfterMs?: number
    payload?: string
}

/** Presses, waits for the REQ and, if asked, answers it and waits (at most 2 s) for the ACK. */
export async function requestCycle(device: Device, options: RequestCycleOptions): Promise<RequestCycle> {
    const { withinMs, stepMs = 1, replyAfterMs, payload = "p" } = options
    const { pressedAt, answer } = await pressAndAwaitAnswer(device, withinMs, stepMs)
    if (answer?.type !== "REQ") return { pressedAt }
    const cycle: RequestCycle = { pressedAt, pressToReqMs: answer.at - pressedAt }
    if (replyAfterMs === undefined) return cycle
    if (replyAfterMs > 0) await device.advance(replyAfterMs)
    const seen = device.frames.length
    const repliedAt = device.now
    await device.inject(`$RES,${answer.fields[1]},${payload}*${checksumHex(`RES,${answer.fields[1]},${payload}`)}\r\n`)
    const ack = () => device.frames.slice(seen).find(f => f.type === "ACK")
    await device.until(() => ack() !== undefined, 2000, `the ACK of REQ,${answer.fields[1]}`)
    return { ...cycle, resToAckMs: ack()!.at - repliedAt }
}
