// One chip flood in a process of its own (forked by chipWorkers.ts): the job comes as JSON in argv, the row goes back over IPC.
import { oneLine } from "../lib/errors.js"
import { chipFlood, type ChipFloodJob } from "./chipFloods.js"
import type { WorkerMessage } from "./chipWorkers.js"

/** Progress goes to the parent about this often, in emulated seconds of the flood. */
const PROGRESS_EVERY_SECONDS = 10

// a parent that stops (Ctrl-C, a kill) takes its floods with it
process.on("disconnect", () => process.exit(1))

const send = (message: WorkerMessage) => new Promise<void>(resolve => process.send!(message, () => resolve()))

async function work() {
    const job = JSON.parse(process.argv[2]) as ChipFloodJob
    let reported = 0
    const row = await chipFlood(job, seconds => {
        if (seconds - reported < PROGRESS_EVERY_SECONDS) return
        reported = seconds
        void send({ type: "progress", seconds })
    })
    await send({ type: "row", row })
}

work().then(
    () => process.exit(0),
    async e => {
        await send({ type: "error", message: oneLine(e) })
        process.exit(1)
    },
)
