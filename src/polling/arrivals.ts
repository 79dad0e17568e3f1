import { type Inbound, ReceiveBuffer } from "../shared/receiveBuffer"

/** What `Arrivals.next` yields for a button press. */
export const PRESS = "press"
export type Arrival = Inbound | typeof PRESS

/**
 * Presses and received bytes, for a build whose handlers only store them and
 * whose loop handles them later (the superloop, the event loop): the loop gets
 * them back in the order they arrived, so answers keep the order of their
 * causes. The async build needs none of this: its handlers act at once.
 *
 * Received bytes go to a ReceiveBuffer, which decides at once what it keeps
 * (rule 10). A press remembers how many stored items (chunks, runs of
 * discarded chunks) came before it; a result comes before a press when the
 * item it ends in came before the press.
 */
export class Arrivals {
    private readonly received = new ReceiveBuffer()
    /** For each press not handled yet, how many items had been stored before it. */
    private readonly presses: number[] = []
    private itemsStored = 0
    /** A result taken from the buffer and not handed out yet (a press came before it), and the item it ends in. */
    private held: Inbound | undefined = undefined
    private heldItem = 0

    /** Called by the button handler. */
    press() {
        this.presses.push(this.itemsStored)
    }

    /** Called by the serial handler: the buffer keeps the chunk or counts it as discarded. */
    receive(chunk: Buffer) {
        const before = this.received.storedItems()
        this.received.append(chunk)
        if (this.received.storedItems() > before) this.itemsStored++
    }

    /**
     * The press or received result that arrived first, or undefined. Received
     * bytes are framed only while `mayFrame` (a backlog stays in the bounded
     * buffer); presses never wait for that.
     */
    next(mayFrame: boolean): Arrival | undefined {
        if (this.held === undefined && mayFrame) {
            this.held = this.received.next()
            this.heldItem = this.itemsStored - this.received.storedItems()
        }
        if (this.presses.length > 0 && (this.held === undefined || this.presses[0] < this.heldItem)) {
            this.presses.shift()
            return PRESS
        }
        const held = this.held
        this.held = undefined
        return held
    }
}
