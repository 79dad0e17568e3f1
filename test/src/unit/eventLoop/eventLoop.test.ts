import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { EventLoop, type Handle } from "../../../../src/eventLoop/eventLoop"

/** A loop running in a fiber of its own, as the build runs it. */
function runningLoop() {
    const loop = new EventLoop()
    const run = async () => await loop.run()
    run.start()
    return loop
}

describe("EventLoop", () => {
    test("runs callbacks made ready with callSoon, in order", async () => {
        const loop = runningLoop()
        const seen: string[] = []
        loop.callSoon(() => {
            seen.push("a")
        })
        loop.callSoon(() => {
            seen.push("b")
        })
        loop.wake()
        await ds.sleep(5)
        expect(seen.join(",")).toBe("a,b")
    })
    test("runs timers when due, earliest first, never before", async () => {
        const loop = runningLoop()
        const seen: string[] = []
        const start = ds.millis()
        loop.callLater(40, () => {
            seen.push(`late ${ds.millis() - start >= 40}`)
        })
        loop.callLater(20, () => {
            seen.push(`early ${ds.millis() - start >= 20}`)
        })
        await ds.sleep(10)
        expect(seen.length).toBe(0)
        await ds.sleep(50)
        expect(seen.join(",")).toBe("early true,late true")
    })
    test("never runs a cancelled callback or timer", async () => {
        const loop = runningLoop()
        const seen: string[] = []
        const timer = loop.callLater(10, () => {
            seen.push("timer")
        })
        const soon = loop.callSoon(() => {
            seen.push("soon")
        })
        soon.cancel()
        timer.cancel()
        loop.callLater(20, () => {
            seen.push("kept")
        })
        await ds.sleep(40)
        expect(seen.join(",")).toBe("kept")
    })
    test("a handler's wake ends the sleep: a ready selector's callback runs at once, not at the next timer", async () => {
        const loop = runningLoop()
        let arrived = false
        const seen: number[] = []
        const start = ds.millis()
        loop.addSelector({
            isReady: () => arrived,
            callback: () => {
                arrived = false
                seen.push(ds.millis() - start)
            },
        })
        loop.callLater(1000, () => {})
        await ds.sleep(20)
        arrived = true
        loop.wake()
        await ds.sleep(5)
        expect(seen.length).toBe(1)
        expect(seen[0] < 100).toBe(true)
    })
    test("in one pass, the callbacks of ready selectors run before the timers that are due", async () => {
        const loop = runningLoop()
        const seen: string[] = []
        let arrived = false
        loop.addSelector({
            isReady: () => arrived,
            callback: () => {
                arrived = false
                seen.push("selector")
            },
        })
        loop.callLater(20, () => {
            seen.push("timer")
        })
        await ds.sleep(5)
        // the loop sleeps until its timer; input arrives meanwhile, with no wake: the pass at the timer finds both
        arrived = true
        await ds.sleep(40)
        expect(seen.join(",")).toBe("selector,timer")
    })
    test("a callback that cancels another already ready in the same pass stops it", async () => {
        const loop = runningLoop()
        const seen: string[] = []
        let second: Handle = undefined
        loop.callLater(10, () => {
            seen.push("first")
            second.cancel()
        })
        second = loop.callLater(10, () => {
            seen.push("second")
        })
        await ds.sleep(30)
        expect(seen.join(",")).toBe("first")
    })
    test("a timer set while the loop sleeps until a later one still runs on time", async () => {
        const loop = runningLoop()
        const seen: number[] = []
        const start = ds.millis()
        loop.callLater(500, () => {})
        await ds.sleep(5)
        loop.callLater(10, () => {
            seen.push(ds.millis() - start)
        })
        await ds.sleep(50)
        expect(seen.length).toBe(1)
        expect(seen[0] < 100).toBe(true)
    })
    test("awaits a callback that writes before the next one runs", async () => {
        const loop = runningLoop()
        const seen: string[] = []
        loop.callSoon(async () => {
            seen.push("write starts")
            await ds.sleep(10)
            seen.push("write done")
        })
        loop.callSoon(() => {
            seen.push("next")
        })
        loop.wake()
        await ds.sleep(30)
        expect(seen.join(",")).toBe("write starts,write done,next")
    })
})
