// A press's way through the runtime, from the pin to the host's USB, as stages between stamped function entries.
import type { ElfFunction } from "./elfSymbols.js"
import { type FunctionEntry, FunctionTrace, type TracedFunction } from "./functionTrace.js"
import type { Pico } from "./pico.js"

/** jacdac-c's button event "down" (JD_BUTTON_EV_DOWN). */
const BUTTON_DOWN = 0x01
/** An event packet's command: the event flag, a counter (bits 8-14), the event code (bits 0-7). */
const EVENT_FLAG_AND_CODE = 0x80ff
/** The Serial service's `send` command, which carries the firmware's frames. */
export const SERIAL_SEND = 0x80
/** A light bulb's `intensity` register set (JD_SET | 0x01): the in-flight LED's write. */
export const LED_WRITE = 0x2001
const PACKET_COMMAND_OFFSET = 14

/** The runtime functions a press passes through, and what each entry keeps. */
export const PRESS_TRACE_FUNCTIONS: TracedFunction[] = [
    // the button server's 9 ms poll saw the pin change and queues its event (eventid in r1)
    { name: "jd_send_event_ext", read: e => e.arg(1) },
    // the VM is handed a packet (the event, back from jacdac-c's loopback): its command
    { name: "devs_jd_process_pkt", read: e => e.readUint16(e.arg(2) + PACKET_COMMAND_OFFSET) },
    // a fiber resumes: the superloop's pass, the async build's request or flush fiber
    { name: "devs_fiber_run" },
    // bytecode sends a command (its code in r2): serial `send`, the LED's write; the fiber then yields to the throttle
    { name: "devs_jd_send_cmd", read: e => e.arg(2) },
    // the throttle let the packet go: jacdac-c gets it (its command)
    { name: "jd_send_pkt", read: e => e.readUint16(e.arg(0) + PACKET_COMMAND_OFFSET) },
    // a frame is queued for the USB bridge
    { name: "jd_usb_send_frame" },
]

/** Starts stamping the press path's functions on `pico`; `stop()` it when done. */
export function tracePresses(pico: Pico, functions: ElfFunction[]): FunctionTrace {
    return new FunctionTrace(pico, functions, PRESS_TRACE_FUNCTIONS)
}

export const PRESS_STAGES = ["poll", "event", "wait", "bytecode", "throttle", "flush", "usb"] as const
export type PressStage = (typeof PRESS_STAGES)[number]

export const STAGE_TITLES: Record<PressStage, string> = {
    poll: "pin low → button server's poll sees it (jd_send_event_ext)",
    event: "event → delivered to the VM (devs_jd_process_pkt)",
    wait: "delivered → the fiber that sends resumes (the superloop's pass; async: its flush fiber)",
    bytecode: "that fiber's bytecode → serial.send (devs_jd_send_cmd 0x80)",
    throttle: "send → packet leaves the VM (jd_send_pkt 0x80)",
    flush: "packet → frame queued for USB (jd_usb_send_frame)",
    usb: "USB queue → host has the REQ",
}

export interface PressStamps {
    /** Emulated µs: the pin went low. */
    press: number
    sampled?: number
    delivered?: number
    running?: number
    sendCalled?: number
    sendLeft?: number
    toUsb?: number
    /** The host received the REQ. */
    reqAtHost: number
}

/** Each stage's µs for one press (undefined when a stamp is missing). */
export type PressBreakdown = Record<PressStage, number | undefined> & { totalUs: number }

/** The first entry of `name` at or after `fromUs` (and before `beforeUs`) whose value passes `accept`. */
function firstEntry(entries: FunctionEntry[], name: string, fromUs: number | undefined, beforeUs: number, accept: (value?: number) => boolean = () => true) {
    if (fromUs === undefined) return undefined
    return entries.find(e => e.name === name && e.atUs >= fromUs && e.atUs <= beforeUs && accept(e.value))?.atUs
}

function lastEntry(entries: FunctionEntry[], name: string, fromUs: number | undefined, beforeUs: number | undefined) {
    if (fromUs === undefined || beforeUs === undefined) return undefined
    for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]
        if (e.name === name && e.atUs >= fromUs && e.atUs <= beforeUs) return e.atUs
    }
    return undefined
}

/**
 * The stamps of one press, from the trace's entries (in time order): the poll that
 * saw it, the event's delivery to the VM, the resumption of the fiber that sends
 * (the last before the serial send: the superloop's pass, or the async build's
 * flush fiber), the send, the packet leaving the VM, its frame queued for USB.
 */
export function pressStamps(entries: FunctionEntry[], pressUs: number, reqAtHostUs: number): PressStamps {
    const sampled = firstEntry(entries, "jd_send_event_ext", pressUs, reqAtHostUs, v => v === BUTTON_DOWN)
    const delivered = firstEntry(entries, "devs_jd_process_pkt", sampled, reqAtHostUs, v => ((v ?? 0) & EVENT_FLAG_AND_CODE) === (0x8000 | BUTTON_DOWN))
    const sendCalledAfter = (from: number | undefined) => firstEntry(entries, "devs_jd_send_cmd", from, reqAtHostUs, v => v === SERIAL_SEND)
    const sendCalled = sendCalledAfter(delivered)
    const running = lastEntry(entries, "devs_fiber_run", delivered, sendCalled)
    const sendLeft = firstEntry(entries, "jd_send_pkt", sendCalled, reqAtHostUs, v => v === SERIAL_SEND)
    const toUsb = firstEntry(entries, "jd_usb_send_frame", sendLeft, reqAtHostUs)
    return { press: pressUs, sampled, delivered, running, sendCalled, sendLeft, toUsb, reqAtHost: reqAtHostUs }
}

export function pressBreakdown(s: PressStamps): PressBreakdown {
    const gap = (from?: number, to?: number) => (from === undefined || to === undefined ? undefined : to - from)
    return {
        poll: gap(s.press, s.sampled),
        event: gap(s.sampled, s.delivered),
        wait: gap(s.delivered, s.running),
        bytecode: gap(s.running, s.sendCalled),
        throttle: gap(s.sendCalled, s.sendLeft),
        flush: gap(s.sendLeft, s.toUsb),
        usb: gap(s.toUsb, s.reqAtHost),
        totalUs: s.reqAtHost - s.press,
    }
}

export interface StageSummary {
    median: number
    p99: number
    mean: number
    max: number
}

function nearestRank(sorted: number[], p: number) {
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]
}

function summary(samples: number[]): StageSummary {
    const sorted = [...samples].sort((a, b) => a - b)
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length
    return { median: nearestRank(sorted, 0.5), p99: nearestRank(sorted, 0.99), mean, max: sorted[sorted.length - 1] }
}

/** Per stage (presses with every stamp only) and for the whole press→REQ: median, p99, mean, max in µs; and how many presses lacked a stamp. */
export function summarizeBreakdowns(breakdowns: PressBreakdown[]): { stages: Record<PressStage, StageSummary>; total: StageSummary; complete: number; incomplete: number } {
    const complete = breakdowns.filter(b => PRESS_STAGES.every(stage => b[stage] !== undefined))
    if (complete.length === 0) throw new Error(`none of ${breakdowns.length} presses has every stamp`)
    const stages = Object.fromEntries(PRESS_STAGES.map(stage => [stage, summary(complete.map(b => b[stage]!))])) as Record<PressStage, StageSummary>
    return { stages, total: summary(breakdowns.map(b => b.totalUs)), complete: complete.length, incomplete: breakdowns.length - complete.length }
}
