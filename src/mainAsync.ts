// The async build: each press runs one task that sends its request and awaits its reply.
import * as ds from "@devicescript/core"
import { ackFrame, errFrame, rdyFrame, reqFrame, seqErrFrame, tmoFrame } from "./frame"
import { Outbox } from "./outbox"
import { ReceiveBuffer } from "./receiveBuffer"
import { Replies } from "./replies"
import { BUSY, RequestTable } from "./requests"
import { button, enableSerial, InFlightLed, serial } from "./roles"

const SERIAL_RECEIVED = 0x80

const requests = new RequestTable()
const received = new ReceiveBuffer()
const replies = new Replies()
const outbox = new Outbox(serial)
const led = new InFlightLed()
let ready = false
/** Framing pauses at each reply until its task has sent the ACK, so answers keep the order of their causes. */
let ackPending = false

async function request(seq: number) {
    led.show(requests.inFlight())
    // the REQ may wait behind answers to a flood: its timeout counts from when it goes out
    await outbox.sendAndWait(reqFrame(seq))
    requests.sent(seq, ds.millis())
    const payload = await replies.waitFor(seq, requests.timeLeft(seq, ds.millis()))
    if (payload) {
        outbox.send(ackFrame(seq, payload))
        ackPending = false
        frameReceived()
    } else {
        requests.close(seq)
        outbox.send(tmoFrame(seq))
    }
    led.show(requests.inFlight())
}

/** Frames received bytes until a reply waits for its ACK or the outbox has no room (then the bounded receive buffer holds the rest). */
function frameReceived() {
    while (!ackPending && outbox.hasRoom()) {
        const inbound = received.next()
        if (inbound === undefined) return
        if (typeof inbound === "string") {
            outbox.send(errFrame(inbound))
        } else if (requests.close(inbound.seq)) {
            ackPending = true
            replies.deliver(inbound.seq, inbound.payload)
        } else {
            outbox.send(seqErrFrame(inbound.seq))
        }
    }
}

// Framing resumes as soon as the outbox has sent a packet and has room again.
outbox.onRoom(frameReceived)

// Handlers stay synchronous: a press starts its own task, so none waits for another.
button.down.subscribe(() => {
    if (!ready) return
    const seq = requests.open(ds.millis())
    if (seq === BUSY) outbox.send(errFrame("BUSY"))
    else request.start(seq)
})

serial.report().subscribe(pkt => {
    if (pkt.serviceCommand !== SERIAL_RECEIVED) return
    received.append(pkt.payload)
    frameReceived()
})

serial.binding().subscribe(async bound => {
    if (!bound) return
    await enableSerial()
    if (!ready) outbox.send(rdyFrame("async"))
    ready = true
})
