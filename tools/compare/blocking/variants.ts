// The builds with a job that blocks (src/blocking/replyLog.ts): each build's entry point with a few lines added
// where it handles an accepted reply, made in a scratch copy only (src/ is not touched, and no normal build has them).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { build, BUILD_NAMES, type BuildName, buildNamed, programPath, ROOT } from "../../../host/index.js"

/**
 * - `blocked`: every SEAL_EVERY-th reply seals the log in one go, where the build handles the reply;
 * - `sliced`: the seal is cut into slices, and between two the build lets everything else run, in its own style
 *   (superloop: one slice per pass; async: `await ds.sleep(SEAL_PAUSE_MS)`; event loop: a timer as long);
 * - `slicedAtOnce`: the same slices, each resumed at once (async: `await ds.sleep(0)`; event loop: `callSoon`),
 *   which never hands the runtime a turn to read input: the superloop has no such variant.
 */
export const VARIANT_KINDS = ["blocked", "sliced", "slicedAtOnce"] as const
export type VariantKind = (typeof VARIANT_KINDS)[number]

/** An exact piece of an entry point, and what it becomes. */
interface Edit {
    anchor: string
    becomes: string
}

const insertAfter = (anchor: string, text: string): Edit => ({ anchor, becomes: `${anchor}${text}` })
const insertBefore = (anchor: string, text: string): Edit => ({ anchor, becomes: `${text}${anchor}` })
const lines = (...text: string[]) => text.map(line => `${line}\n`).join("")

/** Every variant imports the log and keeps one, next to the request table. */
function withLog(names: string): Edit[] {
    return [
        insertAfter(`import * as ds from "@devicescript/core"\n`, `import { ${names} } from "./blocking/replyLog"\n`),
        insertAfter("const requests = new RequestTable()\n", "const replyLog = new ReplyLog()\n"),
    ]
}

// superloop: in handle(), where a reply closes its request and its ACK is queued
const SUPERLOOP_ACK = "    else if (requests.close(inbound.seq)) outbox.post(ackFrame(inbound.seq, inbound.payload))\n"
const superloopAckThen = (...then: string[]): Edit => ({
    anchor: SUPERLOOP_ACK,
    becomes: lines("    else if (requests.close(inbound.seq)) {", "        outbox.post(ackFrame(inbound.seq, inbound.payload))", ...then, "    }"),
})

// async: at the end of the request's task, once its result is handled
const ASYNC_TASK_END = lines("    led.show(requests.inFlight())", "}")
const asyncTaskEndThen = (line: string): Edit => ({ anchor: ASYNC_TASK_END, becomes: lines("    led.show(requests.inFlight())", line, "}") })
const asyncSealInSlices = (pause: string, why: string): Edit =>
    insertBefore(
        "async function request(seq: number) {",
        lines(
            `/** Seals the log a slice at a time: ${why} */`,
            "async function sealInSlices() {",
            "    replyLog.startSeal()",
            `    while (!replyLog.sealBytes(SEAL_SLICE_BYTES)) await ds.sleep(${pause})`,
            "}",
            "",
        ),
    )

// event loop: in replied(), the callback that queues a reply's ACK
const EVENT_LOOP_ACK = "    outbox.post(ackFrame(seq, payload))\n"
const eventLoopSealSlice = (next: string, why: string): Edit[] => [
    insertAfter(EVENT_LOOP_ACK, lines("    if (replyLog.add(payload)) {", "        replyLog.startSeal()", `        ${next}`, "    }")),
    insertBefore(
        "function timedOut(seq: number) {",
        lines(`/** One slice of the log's seal per callback: ${why} */`, "function sealSlice() {", `    if (!replyLog.sealBytes(SEAL_SLICE_BYTES)) ${next}`, "}", ""),
    ),
]

const EDITS: Record<BuildName, Partial<Record<VariantKind, Edit[]>>> = {
    superloop: {
        blocked: [...withLog("ReplyLog"), superloopAckThen("        if (replyLog.add(inbound.payload)) replyLog.seal()")],
        sliced: [
            ...withLog("ReplyLog, SEAL_SLICE_BYTES"),
            insertAfter("const replyLog = new ReplyLog()\n", lines("/** A seal of the log is under way: each pass checksums one slice of it. */", "let sealing = false")),
            superloopAckThen("        if (replyLog.add(inbound.payload)) {", "            replyLog.startSeal()", "            sealing = true", "        }"),
            insertAfter("        if (inFlight > 0) expireRequests()\n", "        if (sealing) sealing = !replyLog.sealBytes(SEAL_SLICE_BYTES)\n"),
        ],
    },
    async: {
        blocked: [...withLog("ReplyLog"), asyncTaskEndThen("    if (payload && replyLog.add(payload)) replyLog.seal()")],
        sliced: [
            ...withLog("ReplyLog, SEAL_PAUSE_MS, SEAL_SLICE_BYTES"),
            asyncSealInSlices("SEAL_PAUSE_MS", "while it sleeps, the runtime reads input and other tasks run."),
            asyncTaskEndThen("    if (payload && replyLog.add(payload)) await sealInSlices()"),
        ],
        slicedAtOnce: [
            ...withLog("ReplyLog, SEAL_SLICE_BYTES"),
            asyncSealInSlices("0", "other tasks that are ready run between two slices, but the runtime reads no input."),
            asyncTaskEndThen("    if (payload && replyLog.add(payload)) await sealInSlices()"),
        ],
    },
    eventloop: {
        blocked: [...withLog("ReplyLog"), insertAfter(EVENT_LOOP_ACK, "    if (replyLog.add(payload)) replyLog.seal()\n")],
        sliced: [
            ...withLog("ReplyLog, SEAL_PAUSE_MS, SEAL_SLICE_BYTES"),
            // a timer, not callSoon: the loop sleeps until it is due, and only while it sleeps does the runtime read input
            ...eventLoopSealSlice("loop.callLater(SEAL_PAUSE_MS, sealSlice)", "between two the loop sleeps, the runtime reads input and the handlers see it."),
        ],
        slicedAtOnce: [
            ...withLog("ReplyLog, SEAL_SLICE_BYTES"),
            ...eventLoopSealSlice("loop.callSoon(sealSlice)", "the loop runs what else is ready between two, but never sleeps, so no input comes in."),
        ],
    },
}

/** The variants there are: each build's, in the order of BUILDS. */
export const VARIANTS: { build: BuildName; kind: VariantKind }[] = BUILD_NAMES.flatMap(name =>
    VARIANT_KINDS.filter(kind => EDITS[name][kind]).map(kind => ({ build: name, kind })),
)

/** Applies `edits` to `source` in order; each anchor must occur exactly once, or the variant cannot be made. */
export function applyEdits(source: string, edits: Edit[], file: string): string {
    let result = source
    for (const { anchor, becomes } of edits) {
        const at = result.indexOf(anchor)
        if (at < 0 || result.indexOf(anchor, at + 1) >= 0) {
            throw new Error(`${file} has ${at < 0 ? "no" : "more than one"} ${JSON.stringify(anchor)}: the blocking variants need it exactly once`)
        }
        result = result.slice(0, at) + becomes + result.slice(at + anchor.length)
    }
    return result
}

/** The entry point of `build` with the job, as `kind` runs it. */
export function variantSource(build: BuildName, kind: VariantKind, projectDir = ROOT): string {
    const edits = EDITS[build][kind]
    if (!edits) throw new Error(`the ${build} build has no ${kind} variant`)
    const { entry } = buildNamed(build)
    return applyEdits(readFileSync(join(projectDir, entry), "utf8"), edits, entry)
}

export function variantName(build: BuildName, kind: VariantKind): string {
    return `blocking-${build}-${kind}`
}

/** Compiles a variant for the VM (into built/blocking-<build>-<kind>/) and returns its program. */
export function buildVariant(buildName: BuildName, kind: VariantKind): Uint8Array {
    const name = variantName(buildName, kind)
    const { entry } = buildNamed(buildName)
    build(name, entry, { [entry]: variantSource(buildName, kind) })
    return readFileSync(programPath(name))
}
