import * as ds from "@devicescript/core"
import { describe, expect, test } from "@devicescript/test"
import { Replies } from "../../../../src/async/replies"

/** Waits 20 ms for a reply to `seq` that another fiber delivers 20 ms from now; what the wait got (or the reply kept for a later wait). */
async function replyAtTimeout(seq: number, deliverFirst: boolean): Promise<string> {
    const replies = new Replies()
    let got = "nothing yet"
    const wait = async () => {
        const payload = await replies.waitFor(seq, 20)
        got = payload ? payload.toString() : "undefined"
    }
    const deliver = async () => {
        await ds.sleep(20)
        replies.deliver(seq, Buffer.from("edge"))
    }
    // both fibers wake at the same instant, in either order
    if (deliverFirst) deliver.start()
    wait.start()
    if (!deliverFirst) deliver.start()
    await ds.sleep(50)
    if (got === "undefined") got = (await replies.waitFor(seq, 0)).toString()
    return got
}

describe("Replies", () => {
    test("wakes the task waiting for a seq with its payload, at once", async () => {
        const replies = new Replies()
        const deliverLater = async () => {
            await ds.sleep(20)
            replies.deliver(9, Buffer.from("late"))
        }
        deliverLater.start()
        const started = ds.millis()
        const payload = await replies.waitFor(9, 1000)
        expect(payload.toString()).toBe("late")
        expect(ds.millis() - started < 500).toBe(true)
    })
    test("keeps a reply that comes before its task waits, and hands it over without waiting", async () => {
        const replies = new Replies()
        replies.deliver(3, Buffer.from("early"))
        const started = ds.millis()
        const payload = await replies.waitFor(3, 1000)
        expect(payload.toString()).toBe("early")
        expect(ds.millis() - started < 500).toBe(true)
    })
    test("hands a reply over once: the next wait for the same seq gets a new one, or none", async () => {
        const replies = new Replies()
        replies.deliver(7, Buffer.from("first"))
        expect((await replies.waitFor(7, 10)).toString()).toBe("first")
        expect(await replies.waitFor(7, 10)).toBe(undefined)
        replies.deliver(7, Buffer.from("second"))
        expect((await replies.waitFor(7, 10)).toString()).toBe("second")
    })
    test("a reply delivered just as the wait times out is handed over, and delivering it does not fail", async () => {
        for (let round = 0; round < 4; ++round) expect(await replyAtTimeout(round, round % 2 === 0)).toBe("edge")
    })
    test("a second delivery for a seq before its woken task has run does not fail; the task gets the latest", async () => {
        const replies = new Replies()
        let got = "nothing yet"
        const wait = async () => {
            const payload = await replies.waitFor(6, 1000)
            got = payload ? payload.toString() : "undefined"
        }
        wait.start()
        await ds.sleep(10)
        replies.deliver(6, Buffer.from("first"))
        replies.deliver(6, Buffer.from("second"))
        await ds.sleep(10)
        expect(got).toBe("second")
    })
    test("gives undefined after the timeout, and only the matching seq wakes a task", async () => {
        const replies = new Replies()
        const deliverOther = async () => {
            await ds.sleep(5)
            replies.deliver(4, Buffer.from("other"))
        }
        deliverOther.start()
        const started = ds.millis()
        expect(await replies.waitFor(5, 50)).toBe(undefined)
        expect(ds.millis() - started >= 50).toBe(true)
        expect((await replies.waitFor(4, 50)).toString()).toBe("other")
    })
})
