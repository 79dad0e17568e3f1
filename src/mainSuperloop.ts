// The superloop build: handlers only raise flags or store bytes; one loop does all the work.
import * as ds from "@devicescript/core"
import { Arrivals, PRESS } from "./polling/arrivals"
import { ackFrame, errFrame, rdyFrame, reqFrame, seqErrFrame, tmoFrame } from "./shared/frame"
import { InFlightLed } from "./shared/led"
import { Outbox } from "./shared/outbox"
import { type Inbound } from "./shared/receiveBuffer"
import { BUSY, RequestTable } from "./shared/requests"
import { button, enableSerial, serial, SERIAL_RECEIVED } from "./shared/roles"

/** One pass of the loop every LOOP_MS: a press waits at most this long for its `REQ`. */
const LOOP_MS = 10
/** Presses and received frames handled per pass at most: the VM stops a fiber that runs ~128K instructions without yielding. */
const MAX_PER_PASS = 32

const requests = new RequestTable()
const arrivals = new Arrivals()
const outbox = new Outbox(serial)
const led = new InFlightLed()

// Set by handlers, cleared by the loop.
let serialJustBound = false
/** Presses or received bytes wait to be handled. */
let inputWaiting = false

// Kept by the loop, so that a pass with nothing to do calls nothing (see superloop()).
let ready = false
/** The request table changed: the LED may have to follow. */
let requestsChanged = false
/** Frames wait in the outbox. */
let framesToSend = false
let inFlight = 0

button.down.subscribe(() => {
    arrivals.press()
    inputWaiting = true
})
serial.binding().subscribe(bound => {
    if (bound) serialJustBound = true
})
serial.report().subscribe(pkt => {
    if (pkt.serviceCommand !== SERIAL_RECEIVED) return
    arrivals.receive(pkt.payload)
    inputWaiting = true
})

function startRequest() {
    if (!ready) return
    requestsChanged = true
    framesToSend = true
    const seq = requests.open(ds.millis())
    if (seq === BUSY) outbox.post(errFrame("BUSY"))
    // the REQ may wait behind answers to a flood: its timeout counts from when it goes out
    else outbox.post(reqFrame(seq), () => requests.sent(seq, ds.millis()))
}

function handle(inbound: Inbound) {
    requestsChanged = true
    framesToSend = true
    if (typeof inbound === "string") outbox.post(errFrame(inbound))
    else if (requests.close(inbound.seq)) outbox.post(ackFrame(inbound.seq, inbound.payload))
    else outbox.post(seqErrFrame(inbound.seq))
}

/** Presses and received frames, in the order they arrived; received bytes are framed only while the outbox has room. */
function handleArrivals() {
    for (let handled = 0; handled < MAX_PER_PASS; handled++) {
        const arrival = arrivals.next(outbox.hasRoom())
        if (arrival === undefined) {
            // received bytes may still wait for room in the outbox
            inputWaiting = !outbox.hasRoom()
            return
        }
        if (arrival === PRESS) startRequest()
        else handle(arrival)
    }
}

function expireRequests() {
    const now = ds.millis()
    for (let seq = requests.firstExpired(now); seq >= 0; seq = requests.firstExpired(now)) {
        requests.close(seq)
        outbox.post(tmoFrame(seq))
        requestsChanged = true
        framesToSend = true
    }
}

async function superloop() {
    while (true) {
        if (serialJustBound) {
            serialJustBound = false
            await enableSerial()
            if (!ready) outbox.post(rdyFrame("superloop"))
            ready = true
            framesToSend = true
        }
        // A pass with nothing to do calls nothing: on a board every call allocates (and the runtime
        // then clears the free heap), and a pass that outlasts the runtime's 1 ms tick makes it sleep
        // 10 ms before the next one (docs/chip.md). So each step is behind a flag or a count.
        if (inputWaiting) handleArrivals()
        if (inFlight > 0) expireRequests()
        // one packet per pass keeps each pass short under the runtime's packet throttle
        if (framesToSend) {
            await outbox.sendPacket()
            framesToSend = outbox.waitingBytes() > 0
        }
        if (requestsChanged) {
            requestsChanged = false
            inFlight = requests.inFlight()
            led.follow(inFlight)
            await led.writeChanges()
        }
        await ds.sleep(LOOP_MS)
    }
}

superloop.start()
