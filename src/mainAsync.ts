// The async build: each press runs one task that sends its request and awaits its reply.
import * as ds from "@devicescript/core"
import { LedInBackground } from "./async/ledInBackground"
import { Replies } from "./async/replies"
import { Sender } from "./async/sender"
import { ackFrame, errFrame, rdyFrame, reqFrame, seqErrFrame, tmoFrame } from "./shared/frame"
import { InFlightLed } from "./shared/led"
import { Outbox } from "./shared/outbox"
import { ReceiveBuffer } from "./shared/receiveBuffer"
import { BUSY, RequestTable } from "./shared/requests"
import { button, enableSerial, serial, SERIAL_RECEIVED } from "./shared/roles"

const requests = new RequestTable()
const received = new ReceiveBuffer()
const replies = new Replies()
const outbox = new Outbox(serial)
const sender = new Sender(outbox)
const led = new LedInBackground(new InFlightLed())
let ready = false
/** Framing, and presses, wait at each reply until its task has queued the ACK, so answers keep the order of their causes. */
let ackPending = false
/** Presses that came while an ACK was pending, answered right after it. */
let pressesWaiting = 0

async function request(seq: number) {
    // BUSY too is answered here, so that the answers to presses handled together keep the order of the presses
    if (seq === BUSY) {
        sender.send(errFrame("BUSY"))
        return
    }
    led.show(requests.inFlight())
    // the REQ may wait behind answers to a flood: its timeout counts from when it goes out
    await sender.sendAndWait(reqFrame(seq))
    requests.sent(seq, ds.millis())
    // ds.millis() counts whole ms: one more keeps the TMO from coming a fraction of a ms before 1000 ms (seen on an RP2040)
    const payload = await replies.waitFor(seq, requests.timeLeft(seq, ds.millis()) + 1)
    if (payload) {
        sender.send(ackFrame(seq, payload))
        ackPending = false
        for (; pressesWaiting > 0; pressesWaiting--) startRequest()
        frameReceived()
    } else {
        requests.close(seq)
        sender.send(tmoFrame(seq))
    }
    led.show(requests.inFlight())
}

/** Frames received bytes until a reply waits for its ACK or the outbox has no room (then the bounded receive buffer holds the rest). */
function frameReceived() {
    while (!ackPending && outbox.hasRoom()) {
        const inbound = received.next()
        if (inbound === undefined) return
        if (typeof inbound === "string") {
            sender.send(errFrame(inbound))
        } else if (requests.close(inbound.seq)) {
            ackPending = true
            replies.deliver(inbound.seq, inbound.payload)
        } else {
            sender.send(seqErrFrame(inbound.seq))
        }
    }
}

// Framing resumes as soon as a packet has gone out and the outbox has room again.
sender.onRoom(frameReceived)

function startRequest() {
    request.start(requests.open(ds.millis()))
}

// Handlers stay synchronous: a press starts its own task, so none waits for another.
button.down.subscribe(() => {
    if (!ready) return
    if (ackPending) pressesWaiting++
    else startRequest()
})

serial.report().subscribe(pkt => {
    if (pkt.serviceCommand !== SERIAL_RECEIVED) return
    received.append(pkt.payload)
    frameReceived()
})

serial.binding().subscribe(async bound => {
    if (!bound) return
    await enableSerial()
    if (!ready) sender.send(rdyFrame("async"))
    ready = true
})
