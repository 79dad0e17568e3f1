import * as ds from "@devicescript/core"

/**
 * Hands each reply to the task waiting for it, by `<seq>`. A reply that comes
 * before its task waits is kept until the task asks for it.
 */
export class Replies {
    private readonly waiting: Record<number, ds.Fiber> = {}
    private readonly early: Record<number, Buffer> = {}

    /** Gives `payload` to the task for `seq`. */
    deliver(seq: number, payload: Buffer) {
        const fiber = this.waiting[seq]
        if (fiber && fiber.suspended) fiber.resume(payload)
        else this.early[seq] = payload
    }

    /** The payload of the reply to `seq`, or undefined after `timeoutMs`. */
    async waitFor(seq: number, timeoutMs: number): Promise<Buffer | undefined> {
        const early = this.early[seq]
        if (early) {
            delete this.early[seq]
            return early
        }
        this.waiting[seq] = ds.Fiber.self()
        const payload = await ds.suspend<Buffer>(timeoutMs)
        delete this.waiting[seq]
        return payload
    }
}
