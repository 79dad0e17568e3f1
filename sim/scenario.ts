// The scripted scenario `npm run sim` and `npm run chip` play, and its side-by-side transcript.
import { frame, type SentFrame } from "../host/frames.js"
import { MIN_PRESS_GAP_MS } from "./chip/board.js"
import { autoReply, type PeerHost } from "./peer.js"

/** Longer than the burst, so that its fifth and sixth presses find four requests in flight. */
export const REPLY_DELAY_MS = 300
export const DROPPED_SEQ = 2
export const END_MS = 4000

/** What the scenario drives: a device in the simulator or on the emulated chip. */
export interface ScenarioTarget extends PeerHost {
    readonly now: number
    advance(ms: number): Promise<void>
    press(): Promise<void>
    /** When each press went down: on the chip a press may wait for the one before it to be over. */
    readonly pressedAt: readonly number[]
    readonly frames: readonly SentFrame[]
}

type Action = { at: number; what: string; run: (target: ScenarioTarget) => Promise<void> }

const press: Action["run"] = target => target.press()
export const scenario: Action[] = [
    { at: 0, what: "press", run: press },
    { at: 400, what: "press", run: press },
    { at: 800, what: `press (the peer drops seq ${DROPPED_SEQ})`, run: press },
    { at: 1200, what: "corrupted frame", run: target => target.inject(frame("RES,1,x", "00")) },
    { at: 1300, what: "reply to no request", run: target => target.inject(frame("RES,77,stray")) },
    // as fast as a finger can press: presses closer than the button's 9 ms polling would be one press on a real board
    ...Array.from({ length: 6 }, (_, i) => ({ at: 2200 + i * MIN_PRESS_GAP_MS, what: "press (burst)", run: press })),
    { at: 2600, what: "garbage, then a frame too long", run: target => target.inject(`noise$${"x".repeat(90)}\r\n`) },
]

export interface Row {
    at: number
    /** "input", or the build whose device sent it. */
    column: string
    text: string
}

/**
 * Plays the scenario on a ready target whose peer answers each REQ after
 * REPLY_DELAY_MS (and drops DROPPED_SEQ). Returns what the device sent, and when
 * its LED changed, as rows timed from the scenario's start; and the inputs at the
 * times the device got them (a press on the chip may wait for the one before it
 * to be over, as a real button needs).
 */
export async function playScenario(target: ScenarioTarget, column: string, ledChanges: () => { at: number; on: boolean }[]): Promise<{ rows: Row[]; inputs: Row[] }> {
    autoReply(target, { replyDelayMs: REPLY_DELAY_MS, drops: seq => seq === DROPPED_SEQ })
    const start = target.now
    const pressesBefore = target.pressedAt.length
    const done: { action: Action; at: number }[] = []
    for (const action of scenario) {
        if (start + action.at > target.now) await target.advance(start + action.at - target.now)
        done.push({ action, at: target.now - start })
        await action.run(target)
    }
    await target.advance(start + END_MS - target.now)
    const pressTimes = target.pressedAt.slice(pressesBefore)
    const inputs = done.map(({ action, at }) => ({ at: action.run === press ? pressTimes.shift()! - start : at, column: "input", text: action.what }))
    const rows: Row[] = target.frames
        .filter(f => f.at >= start && f.type !== "RDY")
        .map(f => ({ at: f.at - start, column, text: `→ ${f.body}` }))
    for (const change of ledChanges()) {
        if (change.at >= start) rows.push({ at: change.at - start, column, text: change.on ? "LED on" : "LED off" })
    }
    return { rows, inputs }
}

/** Prints the rows in columns: input, then one per build, by time (`decimals` for emulated fractions of a ms). */
const MIN_COLUMN = 16

export function printSideBySide(rows: Row[], columns: { name: string; title: string }[], decimals = 0) {
    // each column as wide as its widest text, and at least MIN_COLUMN, with two spaces after it
    const widths = columns.map(c => Math.max(MIN_COLUMN, c.title.length, ...rows.filter(r => r.column === c.name).map(r => r.text.length)) + 2)
    const timeWidth = 6 + (decimals ? decimals + 1 : 0)
    console.log(`${"ms".padStart(timeWidth)}  ${columns.map((c, i) => (i < columns.length - 1 ? c.title.padEnd(widths[i]) : c.title)).join("")}`)
    const stamp = (at: number) => at.toFixed(decimals)
    const times = [...new Set(rows.map(r => stamp(r.at)))].sort((a, b) => Number(a) - Number(b))
    for (const at of times) {
        const cells = columns.map(c => rows.filter(r => stamp(r.at) === at && r.column === c.name).map(r => r.text))
        const height = Math.max(...cells.map(c => c.length))
        for (let line = 0; line < height; line++) {
            const time = (line === 0 ? at : "").padStart(timeWidth)
            console.log(`${time}  ${cells.map((c, i) => (c[line] ?? "").padEnd(i < cells.length - 1 ? widths[i] : 0)).join("").trimEnd()}`)
        }
    }
}
