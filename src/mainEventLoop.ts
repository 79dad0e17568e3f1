// The event-loop build: the loop async/await hides, written out. Handlers only store what arrived and
// wake the loop; each request is a chain of callbacks the loop runs, where the async build awaits.
import * as ds from "@devicescript/core"
import { EventLoop, type Handle, type Selector } from "./eventLoop/eventLoop"
import { Arrivals, PRESS } from "./polling/arrivals"
import { ackFrame, errFrame, rdyFrame, reqFrame, seqErrFrame, tmoFrame } from "./shared/frame"
import { InFlightLed } from "./shared/led"
import { Outbox, PACKET_GAP_MS } from "./shared/outbox"
import { type Inbound } from "./shared/receiveBuffer"
import { BUSY, RequestTable } from "./shared/requests"
import { button, enableSerial, serial, SERIAL_RECEIVED } from "./shared/roles"

/** Presses and received frames the reader handles per pass at most: the VM stops a fiber that runs ~128K instructions without yielding. */
const MAX_PER_PASS = 32

const loop = new EventLoop()
const requests = new RequestTable()
const arrivals = new Arrivals()
const outbox = new Outbox(serial)
const led = new InFlightLed()
/** For each request whose REQ went out, what to do with its reply: the continuation where the async build awaits. */
const replyWaiters: Record<number, (payload: Buffer) => void> = {}
let ready = false
let serialJustBound = false
/** Set by handlers: something arrived that the reader has not seen. */
let inputArrived = false
/** The reader stopped with input left (no room in the outbox, or its share of the pass used up). */
let readingPaused = false
/** False from a packet until PACKET_GAP_MS later while more frames wait. */
let linkFree = true
/** The requests in flight changed since the LED was last brought up to date. */
let ledBehind = false

// Handlers only store and wake the loop.
button.down.subscribe(() => {
    arrivals.press()
    inputArrived = true
    loop.wake()
})
serial.report().subscribe(pkt => {
    if (pkt.serviceCommand !== SERIAL_RECEIVED) return
    arrivals.receive(pkt.payload)
    inputArrived = true
    loop.wake()
})
serial.binding().subscribe(bound => {
    if (bound) serialJustBound = true
    loop.wake()
})

// A request, as callbacks: the press sends the REQ; once it has gone out, a timer and a reply race.
function request(seq: number) {
    outbox.post(reqFrame(seq), () => awaitReply(seq))
}

function awaitReply(seq: number) {
    if (requests.timeLeft(seq, ds.millis()) < 0) return // its reply came before its REQ went out
    requests.sent(seq, ds.millis())
    // ds.millis() counts whole ms: one more keeps the TMO from coming a fraction of a ms before 1000 ms
    const timeout: Handle = loop.callLater(requests.timeLeft(seq, ds.millis()) + 1, () => timedOut(seq))
    replyWaiters[seq] = payload => {
        timeout.cancel()
        replied(seq, payload)
    }
}

function replied(seq: number, payload: Buffer) {
    delete replyWaiters[seq]
    outbox.post(ackFrame(seq, payload))
}

function timedOut(seq: number) {
    delete replyWaiters[seq]
    requests.close(seq)
    ledBehind = true
    outbox.post(tmoFrame(seq))
}

function onPress() {
    if (!ready) return
    const seq = requests.open(ds.millis())
    ledBehind = true
    if (seq === BUSY) outbox.post(errFrame("BUSY"))
    else request(seq)
}

function onInbound(inbound: Inbound) {
    ledBehind = true
    if (typeof inbound === "string") outbox.post(errFrame(inbound))
    else if (!requests.close(inbound.seq)) outbox.post(seqErrFrame(inbound.seq))
    else if (replyWaiters[inbound.seq]) replyWaiters[inbound.seq](inbound.payload)
    else replied(inbound.seq, inbound.payload)
}

function freeLink() {
    linkFree = true
}

// The selectors: what each pass polls, and the callback it marks ready.

/** The serial link bound: open it, and say RDY the first time. */
const binding: Selector = {
    isReady: () => serialJustBound,
    callback: async () => {
        serialJustBound = false
        await enableSerial()
        if (!ready) outbox.post(rdyFrame("eventloop"))
        ready = true
    },
}

// The reader: presses and received frames in the order they came; bytes are framed only while the outbox has
// room (a backlog stays in the bounded receive buffer), and reading resumes once a packet has made room.
const reader: Selector = {
    isReady: () => inputArrived || (readingPaused && outbox.hasRoom()),
    callback: () => {
        inputArrived = false
        readingPaused = true
        for (let handled = 0; handled < MAX_PER_PASS; handled++) {
            // presses never wait for room
            const arrival = arrivals.next(outbox.hasRoom())
            if (arrival === undefined) {
                readingPaused = !outbox.hasRoom()
                return
            }
            if (arrival === PRESS) onPress()
            else onInbound(arrival)
        }
    },
}

// The writer: one packet when the link is free; while more frames wait, the next no sooner than PACKET_GAP_MS later.
const writer: Selector = {
    isReady: () => linkFree && outbox.waitingBytes() > 0,
    callback: async () => {
        linkFree = false
        await outbox.sendPacket()
        if (outbox.waitingBytes() > 0) loop.callLater(PACKET_GAP_MS, freeLink)
        else freeLink()
    },
}

/** The status LED, brought up to date when the requests in flight changed. */
const ledWriter: Selector = {
    isReady: () => ledBehind,
    callback: async () => {
        ledBehind = false
        led.follow(requests.inFlight())
        await led.writeChanges()
    },
}

loop.addSelector(binding)
loop.addSelector(reader)
loop.addSelector(writer)
loop.addSelector(ledWriter)

const runLoop = async () => await loop.run()
runLoop.start()
