// The chip floods in parallel: each job in a process of its own (chipWorker.ts), at most `workers` at a time.
import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { ChipFloodRow } from "../lib/reliability.js"
import type { ChipFloodJob } from "./chipFloods.js"

export type WorkerMessage = { type: "progress"; seconds: number } | { type: "row"; row: ChipFloodRow } | { type: "error"; message: string }

const WORKER = fileURLToPath(new URL("./chipWorker.ts", import.meta.url))

/** What the run says as it goes: a job started, made progress (emulated seconds), or ended with its row. */
export interface WorkerEvents {
    started(job: ChipFloodJob): void
    progress(job: ChipFloodJob, seconds: number): void
    done(job: ChipFloodJob, row: ChipFloodRow): void
}

/** Runs every job, `workers` at a time, in the order given; the rows come back in that order. Fails with the first job that fails. */
export async function runChipFloods(jobs: ChipFloodJob[], workers: number, events: WorkerEvents): Promise<ChipFloodRow[]> {
    const rows: ChipFloodRow[] = new Array(jobs.length)
    const running = new Set<ChildProcess>()
    let next = 0
    let failed = false
    async function worker() {
        while (next < jobs.length && !failed) {
            const at = next++
            events.started(jobs[at])
            rows[at] = await runOne(jobs[at], events, running)
            events.done(jobs[at], rows[at])
        }
    }
    try {
        await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, worker))
    } catch (e) {
        failed = true
        for (const child of running) child.kill()
        throw e
    }
    return rows
}

function runOne(job: ChipFloodJob, events: WorkerEvents, running: Set<ChildProcess>): Promise<ChipFloodRow> {
    return new Promise((resolve, reject) => {
        // tsx's loader comes with the parent's execArgv
        const child = fork(WORKER, [JSON.stringify(job)], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
        running.add(child)
        let row: ChipFloodRow | undefined
        let failure: string | undefined
        child.on("message", (message: WorkerMessage) => {
            if (message.type === "progress") events.progress(job, message.seconds)
            else if (message.type === "row") row = message.row
            else failure = message.message
        })
        child.on("error", reject)
        child.on("exit", code => {
            running.delete(child)
            if (row) resolve(row)
            else reject(new Error(`${job.runtime}/${job.build}, ${job.spec.label}: ${failure ?? `the worker exited with code ${code}`}`))
        })
    })
}
