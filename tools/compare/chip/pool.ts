// Runs on-chip jobs in worker processes, as many at once as the machine has cores: each job is a fresh
// emulated chip in emulated time, so where and beside what it runs changes none of its figures.
import { fork, type ChildProcess } from "node:child_process"
import { availableParallelism } from "node:os"
import { fileURLToPath } from "node:url"
import { imageOf, programName } from "./programs.js"
import type { ChipJob, ChipRun } from "./run.js"
import type { WorkerReply } from "./worker.js"

const WORKER = fileURLToPath(new URL("./worker.ts", import.meta.url))

/** Bundles every image the jobs need, one after another (bundling takes a machine-wide lock), so that the workers only read them. */
async function bundleAll(jobs: ChipJob[], progress: (line: string) => void) {
    const seen = new Set<string>()
    for (const job of jobs) {
        const key = `${programName(job.program)} ${job.runtime.path}`
        if (seen.has(key)) continue
        seen.add(key)
        progress(`  bundling ${programName(job.program)} with the ${job.runtime.flavour} runtime`)
        await imageOf(job.program, job.runtime.path)
    }
}

/** Runs `jobs` and returns their runs in the same order; `done` is called as each one ends. */
export async function runChipJobs(jobs: ChipJob[], progress: (line: string) => void, done: (job: ChipJob, run: ChipRun, finished: number) => void, workers = availableParallelism()): Promise<ChipRun[]> {
    await bundleAll(jobs, progress)
    const runs: ChipRun[] = new Array(jobs.length)
    let nextJob = 0
    let finished = 0
    const children: ChildProcess[] = []
    try {
        await Promise.all(
            Array.from({ length: Math.min(workers, jobs.length) }, () => {
                const child = fork(WORKER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })
                children.push(child)
                return new Promise<void>((resolve, reject) => {
                    const sendNext = () => {
                        if (nextJob >= jobs.length) return resolve()
                        const index = nextJob++
                        child.send({ index, job: jobs[index] })
                    }
                    child.on("message", (reply: WorkerReply) => {
                        if ("error" in reply) return reject(new Error(`on the chip, ${programName(jobs[reply.index].program)}: ${reply.error}`))
                        runs[reply.index] = reply.run
                        done(jobs[reply.index], reply.run, ++finished)
                        sendNext()
                    })
                    child.on("exit", code => (code ? reject(new Error(`a chip worker exited with code ${code}`)) : undefined))
                    sendNext()
                })
            }),
        )
    } finally {
        for (const child of children) child.kill()
    }
    return runs
}
