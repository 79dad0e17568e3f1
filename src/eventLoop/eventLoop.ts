import * as ds from "@devicescript/core"

/** A callback scheduled on the loop, to run once, soon or at `when`; its owner may cancel it. */
export class Handle {
    cancelled = false

    constructor(
        readonly callback: ds.Callback,
        /** For a timer, the `ds.millis()` it is due at. */
        readonly when = 0,
    ) {}

    cancel() {
        this.cancelled = true
    }
}

/**
 * What the loop polls on each pass for an event (asyncio's selector): input
 * has arrived, the link can take a packet. While `isReady()`, the pass marks
 * `callback` ready to run.
 */
export interface Selector {
    isReady(): boolean
    readonly callback: ds.Callback
}

/**
 * The loop that async/await hides, written out in the shape of asyncio's
 * `BaseEventLoop._run_once`. Each pass:
 *
 * 1. drops the cancelled callbacks;
 * 2. polls the selectors and marks the callbacks of those ready;
 * 3. moves the timers that are due to the ready queue;
 * 4. runs every ready callback, in order (a callback that writes to the link
 *    is awaited: the loop does nothing else meanwhile).
 *
 * Between passes it sleeps until the next timer is due, or until an event
 * handler calls `wake()`; when a callback or selector is ready already, it
 * does not sleep at all. A pass allocates nothing of its own: on a board every
 * allocation costs time (the runtime clears the free heap each time).
 */
export class EventLoop {
    private readonly ready: Handle[] = []
    /** Ordered by `when`, the earliest first. */
    private readonly timers: Handle[] = []
    private readonly selectors: Selector[] = []
    private fiber: ds.Fiber = undefined
    private sleeping = false

    /** Runs `callback` on the next pass. */
    callSoon(callback: ds.Callback): Handle {
        const handle = new Handle(callback)
        this.ready.push(handle)
        this.wake()
        return handle
    }

    /** Runs `callback` on the first pass at least `delayMs` from now. */
    callLater(delayMs: number, callback: ds.Callback): Handle {
        const handle = new Handle(callback, ds.millis() + delayMs)
        let at = this.timers.length
        while (at > 0 && this.timers[at - 1].when > handle.when) at--
        this.timers.insert(at, 1)
        this.timers[at] = handle
        // the loop may be asleep until a later timer
        if (at === 0) this.wake()
        return handle
    }

    addSelector(selector: Selector) {
        this.selectors.push(selector)
    }

    /** Ends the loop's sleep, so that the next pass polls at once: event handlers call it. */
    wake() {
        if (this.sleeping && this.fiber.suspended) this.fiber.resume(undefined)
    }

    async run() {
        this.fiber = ds.Fiber.self()
        while (true) {
            this.dropCancelled()
            this.pollSelectors()
            this.moveDueTimers()
            await this.runReady()
            await this.sleepUntilNextEvent()
        }
    }

    private dropCancelled() {
        dropCancelledFrom(this.ready)
        dropCancelledFrom(this.timers)
    }

    private pollSelectors() {
        for (let i = 0; i < this.selectors.length; i++) if (this.selectors[i].isReady()) this.callSoon(this.selectors[i].callback)
    }

    private anySelectorReady(): boolean {
        for (let i = 0; i < this.selectors.length; i++) if (this.selectors[i].isReady()) return true
        return false
    }

    private moveDueTimers() {
        const now = ds.millis()
        while (this.timers.length > 0 && this.timers[0].when <= now) this.ready.push(this.timers.shift())
    }

    /** Runs the callbacks ready now; those they schedule run on the next pass. */
    private async runReady() {
        const count = this.ready.length
        for (let i = 0; i < count; i++) if (!this.ready[i].cancelled) await this.ready[i].callback()
        this.ready.insert(0, -count)
    }

    private async sleepUntilNextEvent() {
        if (this.ready.length > 0 || this.anySelectorReady()) return
        const next = this.timers[0]
        if (next && next.when <= ds.millis()) return
        this.sleeping = true
        if (next) await ds.suspend(next.when - ds.millis())
        else await ds.suspend()
        this.sleeping = false
    }
}

function dropCancelledFrom(handles: Handle[]) {
    for (let i = handles.length - 1; i >= 0; i--) if (handles[i].cancelled) handles.insert(i, -1)
}
