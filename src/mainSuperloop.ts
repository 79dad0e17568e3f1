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
let pressesPending = 0
let serialJustBound = false
let ready = false

button.down.subscribe(() => {
    pressesPending++
})
serial.binding().subscribe(bound => {
    if (bound) serialJustBound = true
})
serial.report().subscribe(pkt => {
    if (pkt.serviceCommand === SERIAL_RECEIVED) received.append(pkt.payload)
})

function startRequests() {
    for (let handled = 0; pressesPending > 0 && handled < MAX_PER_PASS; handled++, pressesPending--) {
        if (!ready) continue
        const seq = requests.open(ds.millis())
        outbox.post(seq === BUSY ? errFrame("BUSY") : reqFrame(seq))
    }
}

function handle(inbound: Inbound) {
    if (typeof inbound === "string") outbox.post(errFrame(inbound))
    else if (requests.close(inbound.seq)) outbox.post(ackFrame(inbound.seq, inbound.payload))
    else outbox.post(seqErrFrame(inbound.seq))
}

/** Frames received bytes only while the outbox has room: a backlog stays in the bounded receive buffer. */
function handleReceived() {
    for (let handled = 0; handled < MAX_PER_PASS && outbox.hasRoom(); handled++) {
        const inbound = received.next()
        if (inbound === undefined) return
        handle(inbound)
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
        startRequests()
        handleReceived()
        expireRequests()
        // one packet per pass keeps each pass short under the runtime's packet throttle
        await outbox.sendPacket()
        await led.update(requests.inFlight())
        await ds.sleep(LOOP_MS)
    }
}

superloop.start()
