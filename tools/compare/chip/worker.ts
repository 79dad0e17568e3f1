// A worker process of the on-chip comparison: runs the jobs it is sent, one at a time, and sends back their figures.
import { runChipJob, type ChipJob } from "./run.js"

export type WorkerRequest = { index: number; job: ChipJob }
export type WorkerReply = { index: number; run: Awaited<ReturnType<typeof runChipJob>> } | { index: number; error: string }

process.on("message", (request: WorkerRequest) => {
    runChipJob(request.job)
        .then(run => process.send!({ index: request.index, run } satisfies WorkerReply))
        .catch((e: unknown) => process.send!({ index: request.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply))
})

// the comparison stopped (Ctrl-C, killed, crashed): nobody waits for this worker's figures any more
process.on("disconnect", () => process.exit(1))
