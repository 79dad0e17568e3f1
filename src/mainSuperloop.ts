// The superloop build: handlers only raise flags or store bytes; one loop does all the work.
import * as ds from "@devicescript/core"
import { ackFrame, errFrame, rdyFrame, reqFrame, seqErrFrame, tmoFrame } from "./frame"
import { Outbox } from "./outbox"
import { type Inbound, ReceiveBuffer } from "./receiveBuffer"
import { BUSY, RequestTable } from "./requests"
import { button, enableSerial, InFlightLed, serial } from "./roles"

/** One pass of the loop every LOOP_MS: a press waits at most this long for its `REQ`. */
const LOOP_MS = 10
/** Presses, and received frames, handled per pass at most: the VM stops a fiber that runs ~128K instructions without yielding. */
const MAX_PER_PASS = 32
const SERIAL_RECEIVED = 0x80

const requests = new RequestTable()
const received = new ReceiveBuffer()
const outbox = new Outbox(serial)
const led = new InFlightLed()

// Set by handlers, cleared by the loop.
/** For each press not handled yet, how many received items came before it: answers keep the order of arrival. */
const pressesPending: number[] = []
let serialJustBound = false
let ready = false
/** A received result taken from the buffer but not handled yet (a press came before it), and the chunk it ends in. */
let heldInbound: Inbound | undefined = undefined
let heldChunk = 0

button.down.subscribe(() => {
    pressesPending.push(received.appendedChunks())
})
serial.binding().subscribe(bound => {
    if (bound) serialJustBound = true
})
serial.report().subscribe(pkt => {
    if (pkt.serviceCommand === SERIAL_RECEIVED) received.append(pkt.payload)
})

function startRequest() {
    if (!ready) return
    const seq = requests.open(ds.millis())
    if (seq === BUSY) outbox.post(errFrame("BUSY"))
    // the REQ may wait behind answers to a flood: its timeout counts from when it goes out
    else outbox.post(reqFrame(seq), () => requests.sent(seq, ds.millis()))
}

function handle(inbound: Inbound) {
    if (typeof inbound === "string") outbox.post(errFrame(inbound))
    else if (requests.close(inbound.seq)) outbox.post(ackFrame(inbound.seq, inbound.payload))
    else outbox.post(seqErrFrame(inbound.seq))
}

/**
 * Presses and received frames, in the order they arrived; at most MAX_PER_PASS of each per pass.
 * Received bytes are framed only while the outbox has room (a backlog stays in the bounded
 * receive buffer); presses never wait for that.
 */
function handleArrivals() {
    let presses = 0
    for (let frames = 0; frames < MAX_PER_PASS; frames++) {
        if (heldInbound === undefined && outbox.hasRoom()) {
            heldInbound = received.next()
            heldChunk = received.currentChunk()
        }
        // the presses that came before the input this result ends in (all of them when none is held)
        while (pressesPending.length > 0 && (heldInbound === undefined || pressesPending[0] < heldChunk)) {
            if (presses++ >= MAX_PER_PASS) return
            pressesPending.shift()
            startRequest()
        }
        if (heldInbound === undefined) return
        handle(heldInbound)
        heldInbound = undefined
    }
}

function expireRequests() {
    const now = ds.millis()
    for (let seq = requests.firstExpired(now); seq >= 0; seq = requests.firstExpired(now)) {
        requests.close(seq)
        outbox.post(tmoFrame(seq))
    }
}

async function superloop() {
    while (true) {
        if (serialJustBound) {
            serialJustBound = false
            await enableSerial()
            if (!ready) outbox.post(rdyFrame("superloop"))
            ready = true
        }
        handleArrivals()
        expireRequests()
        // one packet per pass keeps each pass short under the runtime's packet throttle
        await outbox.sendPacket()
        await led.update(requests.inFlight())
        await ds.sleep(LOOP_MS)
    }
}

superloop.start()
