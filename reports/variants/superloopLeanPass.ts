// A candidate fix of src/mainSuperloop.ts (see reports/chip-trace.md): measured as a variant entry, not committed to src/.
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
/** Received bytes may wait to be framed: set by the serial handler, cleared once the buffer yields nothing. */
let receivedWaiting = false
/** Frames wait in the outbox. */
let outboxWaiting = false
/** The request table changed this pass: the LED may have to follow. */
let requestsChanged = false
/** `requests.inFlight()` as of the last pass that changed it, so that an idle pass reads a variable instead of calling. */
let inFlight = 0
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
    if (pkt.serviceCommand !== SERIAL_RECEIVED) return
    received.append(pkt.payload)
    receivedWaiting = true
})

function startRequest() {
    if (!ready) return
    requestsChanged = true
    outboxWaiting = true
    const seq = requests.open(ds.millis())
    if (seq === BUSY) outbox.post(errFrame("BUSY"))
    // the REQ may wait behind answers to a flood: its timeout counts from when it goes out
    else outbox.post(reqFrame(seq), () => requests.sent(seq, ds.millis()))
}

function handle(inbound: Inbound) {
    requestsChanged = true
    outboxWaiting = true
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
        if (heldInbound === undefined && receivedWaiting && outbox.hasRoom()) {
            heldInbound = received.next()
            heldChunk = received.currentChunk()
            if (heldInbound === undefined) receivedWaiting = false
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
        requestsChanged = true
        outboxWaiting = true
    }
}

async function superloop() {
    while (true) {
        if (serialJustBound) {
            serialJustBound = false
            await enableSerial()
            if (!ready) outbox.post(rdyFrame("superloop"))
            outboxWaiting = true
            ready = true
        }
        // A pass with nothing to do calls nothing: each call allocates (the runtime then fills the
        // free heap), and a pass over the runtime's 1 ms tick makes the chip sleep 10 ms.
        if (receivedWaiting || pressesPending.length > 0 || heldInbound !== undefined) handleArrivals()
        if (inFlight > 0) expireRequests()
        // one packet per pass keeps each pass short under the runtime's packet throttle
        if (outboxWaiting) {
            await outbox.sendPacket()
            outboxWaiting = outbox.waitingBytes() > 0
        }
        if (requestsChanged) {
            requestsChanged = false
            inFlight = requests.inFlight()
            await led.update(inFlight)
        }
        await ds.sleep(LOOP_MS)
    }
}

superloop.start()
