// Rule 10 on the emulated Pico: the VM's floods (floods.ts) on the real DeviceScript RP2040 runtime, in emulated time.
// Every answer is held to the model by the flood checker; the heap is the runtime's own (sim/chip/devsHeap.ts);
// panics and resets are what the chip reports (sim/chip/crashWatch.ts).
import { BUILD_NAMES, type BuildName, frame } from "../../host/index.js"
import { type ChipSimulation, HOLD_MS, type HeapCollection, RUNTIME_FLAVOURS, type RuntimeFlavour, startChip } from "../../sim/index.js"
import { UserError } from "../lib/errors.js"
import type { ChipFloodBuild, ChipFloodFigures, ChipFloodRow } from "../lib/reliability.js"
import { CHUNK_BYTES, driveFlood, type FloodRun, type FloodSpec, floodRow, floodSpecs, LINE_RATE_BYTES_PER_SEC } from "../lib/floods.js"

/** The chip idles this long after RDY before its idle heap is measured and the flood begins (as in the VM). */
const IDLE_BEFORE_MS = 500
/** How long the idle chip may take to come round its main loop, for the idle collection. */
const MAIN_LOOP_WITHIN_MS = 1000

/**
 * What a build may hold on the chip's DeviceScript heap above its idle live bytes under any flood
 * (headers included; a Buffer carries about 12 bytes of them, an array slot 8):
 * - the receive store: 512 bytes of kept chunks, and the chunk being framed (up to 236), each a
 *   Buffer, with the queue's array: about 800;
 * - the outbox: less than a packet (236 bytes) of answer frames, each a Buffer of its own (up to
 *   18 `ERR` frames), their arrays of frames and listeners, the packet being put together and the
 *   one in transit: about 1,300;
 * - 4 requests in flight: about 240 each on the chip (test/sim/chip/devsHeap.test.ts holds four),
 *   so about 950;
 * - what the runtime hands the VM meanwhile: a received report as a packet object with its
 *   236-byte payload, a couple at once: about 600; and the activation records of the fibers
 *   under way (every bytecode call allocates one): about 1,000.
 * About 4,650 in all; the bound leaves a third more, and a build that keeps anything per
 * discarded chunk or per answer breaks it within a second of a flood.
 */
export const CHIP_HEAP_BOUND_OVER_IDLE_BYTES = 6144

/** Rule 10's promise of no loss: at most one chunk of up to 236 bytes per 40 ms, with answers no longer than the input. */
const NO_LOSS_CHUNK_EVERY_MS = 40
/** The same chunks this far apart the chip takes on every build (the async build about a quarter of its time busy). */
export const SUSTAINED_CHUNK_EVERY_MS = 200
/**
 * Replies to a request that is never in flight (a press every 250 ms reaches seq 255 only after
 * 64 s), with a payload long enough that each frame's `ERR,SEQ,255` is a fifth of it.
 */
const NO_LOSS_FRAME = frame(`RES,255,${"p".repeat(60)}`)

/**
 * The load the protocol promises to take without throwing anything away (one chunk per 40 ms), or
 * the same chunks further apart: on the chip a control, which must hold exactly, with nothing
 * discarded, where the floods of floods.ts go past what the chip can answer.
 */
export function noLossSpec(quick: boolean, chunkEveryMs = NO_LOSS_CHUNK_EVERY_MS): FloodSpec {
    return {
        label: `\`RES\` for no request, one chunk per ${chunkEveryMs} ms (nothing may be lost)`,
        pattern: NO_LOSS_FRAME,
        timesLineRate: (CHUNK_BYTES * 1000) / chunkEveryMs / LINE_RATE_BYTES_PER_SEC,
        seconds: quick ? 2 : 10,
    }
}

/**
 * The floods a chip run makes: of the VM's, bad checksums at line rate and bare `$` at 4× line rate
 * (the chip runs floods four times slower than real time: the VM's third, bare `$` at line rate, would
 * add a third to an hour's run and nothing the other two do not show), then the two controls.
 */
export function chipFloodSpecs(quick: boolean): FloodSpec[] {
    const [badChecksums, , bareDollarsAt4x] = floodSpecs(quick)
    return [badChecksums, bareDollarsAt4x, noLossSpec(quick), noLossSpec(quick, SUSTAINED_CHUNK_EVERY_MS)]
}

export interface ChipFloodJob {
    runtime: RuntimeFlavour
    build: BuildName
    spec: FloodSpec
}

/** Every flood on every build and runtime asked for, the longest first (so two workers end together). */
export function chipFloodJobs(runtimes: readonly RuntimeFlavour[], builds: readonly BuildName[], quick: boolean): ChipFloodJob[] {
    const jobs = runtimes.flatMap(runtime => builds.flatMap(build => chipFloodSpecs(quick).map(spec => ({ runtime, build, spec }))))
    return jobs.map((job, order) => ({ job, order })).sort((a, b) => b.job.spec.seconds - a.job.spec.seconds || a.order - b.order).map(j => j.job)
}

/** The method, in words, for docs/reliability.md. */
export function chipFloodMethod(): string {
    return [
        "the same floods on the emulated Pico (the DeviceScript RP2040 runtime in rp2040js; `npm run overload -- --chip`), each on a freshly booted chip, every answer held to the model by the flood checker;",
        `heap: the DeviceScript heap's live bytes (its block headers, added up as the runtime's own \`devs_dump_heap\` does) at the end of each full collection by the runtime's own \`devs_gc\` (breakpoints on its first and last instruction, which change nothing in the runtime's timing), the idle figure from one collection called on the emulated core in its main loop ${IDLE_BEFORE_MS} ms after \`RDY\`; peak: the highest after any collection during the flood, held to idle + ${CHIP_HEAP_BOUND_OVER_IDLE_BYTES.toLocaleString("en-US")} bytes (reports/chip-floods.json has each second's peak, and the peak in use as a collection began, garbage included, of the heap's 65,524 bytes);`,
        "frames the runtime dropped: its `… ovf` log lines (jacdac-c drops a frame when its 2 KB receive queue, which takes the serial reports from USB and a copy of every frame the device sends, is full: the program never sees it);",
        `presses: the button is pressed by driving its pin low for ${HOLD_MS} ms; a press the runtime's button server never saw (it polls the pin only when its main loop comes round) is left out of the model and counted as unseen;`,
        "panics: the runtime's own panic lines in its log (`hw_panic`, `devs_panic`) and breakpoints; resets: a system reset or watchdog, or a second `RDY`.",
        `Beside the floods of the VM, two controls, which must hold exactly with nothing discarded: the load rule 10 promises to take without loss (one 236-byte chunk per ${NO_LOSS_CHUNK_EVERY_MS} ms of \`RES\` frames whose \`ERR,SEQ\` answers are a fifth of them), and the same chunks every ${SUSTAINED_CHUNK_EVERY_MS} ms.`,
    ].join(" ")
}

/**
 * jacdac-c's lines for a frame it dropped because a queue was full (OVF_ERROR, USB_ERROR): `loopback rx ovf`
 * is its receive queue (2 KB), which takes both the frames from USB (the serial reports that carry the
 * input) and a copy of every frame the device sends; the program never sees a frame dropped there.
 */
const RUNTIME_QUEUE_OVERFLOW = /^! .*\bovf$/

/** Told the emulated seconds of the flood done so far, every heap sample (100 ms of emulated time). */
type FloodProgress = (floodSeconds: number) => void

/** One flood on a freshly booted chip: its row of figures. */
export async function chipFlood(job: ChipFloodJob, progress: FloodProgress = () => {}): Promise<ChipFloodRow> {
    const wallStart = Date.now()
    const sim = await startChip({ build: job.build, runtime: job.runtime })
    try {
        const heap = sim.heap
        if (!heap) throw new UserError("the chip floods read the DeviceScript heap through the runtime's symbols: put its ELF beside the runtime's UF2 (or name it with $DEVS_RP2040_ELF)")
        await sim.advance(IDLE_BEFORE_MS)
        if (!(await sim.untilMainLoop(MAIN_LOOP_WITHIN_MS))) throw new Error(`the idle chip's main loop did not turn within ${MAIN_LOOP_WITHIN_MS} ms`)
        const idleHeapBytes = heap.liveBytes()
        sim.watchButtonDowns()
        const start = sim.now
        const liveNow = () => sim.collections.at(-1)?.liveBytes ?? idleHeapBytes
        const run = await driveFlood(
            {
                device: sim,
                onSent: listener => sim.serial.onSend(listener),
                // the runtime's own collections are watched (sim.collections): nothing to wait for, nothing to disturb
                heapSample: async () => {
                    progress((sim.now - start) / 1000)
                    return liveNow()
                },
            },
            job.spec,
        )
        return chipRow(job, run, idleHeapBytes, sim, (Date.now() - wallStart) / 1000)
    } finally {
        sim.stop()
    }
}

function chipRow(job: ChipFloodJob, run: FloodRun, idleHeapBytes: number, sim: ChipSimulation, wallSeconds: number): ChipFloodRow {
    const crashes = sim.crashRecords()
    const overflows = sim.log.filter(line => line.at >= run.since && RUNTIME_QUEUE_OVERFLOW.test(line.text)).length
    const collections = sim.collections.filter(c => c.at >= run.since)
    // the model hears the presses the runtime's button server saw; the others are counted apart
    const seen = seenPresses(run.presses, sim.buttonDowns)
    return {
        ...floodRow(job.build, job.spec, { ...run, presses: seen }, idleHeapBytes, CHIP_HEAP_BOUND_OVER_IDLE_BYTES),
        presses: run.presses.length,
        pressesUnseen: run.presses.length - seen.length,
        peakHeapBytes: Math.max(idleHeapBytes, ...collections.map(c => c.liveBytes)),
        peakInUseBytes: Math.max(0, ...collections.map(c => c.inUseBytes)),
        collections: collections.length,
        runtime: job.runtime,
        answers: run.answers.length,
        panics: crashes.filter(c => c.kind === "panic").length,
        resets: crashes.filter(c => c.kind === "reset").length,
        runtimeOverflows: overflows,
        heapPeakBySecond: peakBySecond(collections, run.since),
        emulatedSeconds: Math.round(sim.now - run.since) / 1000,
        wallSeconds: Math.round(wallSeconds),
    }
}

/**
 * The presses (when the pin went down) that the runtime's button server saw: those
 * with a "down" event before the next press began.
 */
export function seenPresses(presses: readonly number[], downs: readonly number[]): number[] {
    return presses.filter((at, i) => downs.some(down => down >= at && down < (presses[i + 1] ?? Infinity)))
}

/** The highest live heap after a collection in each second of the flood (0 for a second with none). */
function peakBySecond(collections: HeapCollection[], since: number): number[] {
    const peaks: number[] = []
    for (const { at, liveBytes } of collections) {
        const second = Math.floor((at - since) / 1000)
        peaks[second] = Math.max(peaks[second] ?? 0, liveBytes)
    }
    return Array.from(peaks, peak => peak ?? 0)
}

/** The rows of a run, by runtime and build, each with its figures over all its floods. */
export function chipFloodFigures(rows: ChipFloodRow[], command: string, wallSeconds: number): ChipFloodFigures {
    const figures: ChipFloodFigures = { command, date: new Date().toISOString().slice(0, 10), method: chipFloodMethod(), wallSeconds: Math.round(wallSeconds) }
    for (const runtime of RUNTIME_FLAVOURS) {
        for (const build of BUILD_NAMES) {
            const floods = rows.filter(r => r.runtime === runtime && r.build === build)
            if (floods.length === 0) continue
            figures[runtime] = { ...figures[runtime], [build]: buildFigures(floods) }
        }
    }
    return figures
}

function buildFigures(floods: ChipFloodRow[]): ChipFloodBuild {
    const sum = (f: (r: ChipFloodRow) => number) => floods.reduce((total, r) => total + f(r), 0)
    const strayed = floods.find(r => r.exact !== "as the model says")
    return {
        // every flood boots the same image and idles alike: the idle heaps are one figure, the lowest kept
        idleHeapBytes: Math.min(...floods.map(r => r.idleHeapBytes)),
        peakHeapBytes: Math.max(...floods.map(r => r.peakHeapBytes)),
        heapBoundBytes: Math.min(...floods.map(r => r.heapBoundBytes)),
        answersChecked: sum(r => r.answers),
        exact: strayed ? `${strayed.flood}: ${strayed.exact}` : "as the model says",
        offeredBytes: sum(r => r.offeredBytes),
        discardedBytes: sum(r => r.discardedBytes),
        resets: sum(r => r.resets),
        panics: sum(r => r.panics),
        runtimeOverflows: sum(r => r.runtimeOverflows),
        floods: [...floods].sort((a, b) => floodOrder(a) - floodOrder(b)),
    }
}

/** Floods in the order floodSpecs gives them, whatever order the workers finished in. */
function floodOrder(row: ChipFloodRow): number {
    return chipFloodSpecs(false).findIndex(spec => spec.label === row.flood)
}

/** Whether a row failed: strayed from the model, crashed, reset, broke its heap bound, or lost input where none may be. */
export function chipFloodFailed(row: ChipFloodRow): boolean {
    const lostUnderPromise = row.flood.includes("nothing may be lost") && row.discardedBytes > 0
    return row.exact !== "as the model says" || row.panics > 0 || row.resets > 0 || row.peakHeapBytes > row.heapBoundBytes || lostUnderPromise
}
