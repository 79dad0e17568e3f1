import * as ds from "@devicescript/core"

/**
 * Hands each reply to the task waiting for it, by `<seq>`. A reply that comes
 * before its task waits, or just as its wait times out, is kept for the task.
 */
export class Replies {
    private readonly arrived: Record<number, Buffer> = {}
    private readonly waiting: Record<number, ds.Fiber> = {}

    /** Gives `payload` to the task for `seq`, waking it if it waits. */
    deliver(seq: number, payload: Buffer) {
        this.arrived[seq] = payload
        const fiber = this.waiting[seq]
        if (fiber && fiber.suspended) fiber.resume(undefined)
    }

    /** The payload of the reply to `seq`, or undefined if none came within `timeoutMs`. */
    async waitFor(seq: number, timeoutMs: number): Promise<Buffer | undefined> {
        if (!this.arrived[seq]) {
            this.waiting[seq] = ds.Fiber.self()
            await ds.suspend(timeoutMs)
            delete this.waiting[seq]
        }
        const payload = this.arrived[seq]
        delete this.arrived[seq]
        return payload
    }
}
