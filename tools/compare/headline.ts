// The README's headline (one table, one chart) and the finding of docs/comparison.md, from compare.json: every
// number in them is a measured one, and every sentence that compares says which way the figures go.
import { BUILDS, BUILD_NAMES, type BuildName } from "../../host/index.js"
import { ms, msOfUs, number, percent } from "../lib/format.js"
import { SWEEP_CHART_FILE } from "./chip/report.js"

interface ChipBuild {
    idleBusyShare: number
    pressToReqUs: { median: number; p99: number }
    lostPresses: number
    presses: number
}
interface ChipRuntime extends Record<string, unknown> {
    floor: { emptyIdleBusyShare: number; runtimeAloneIdleBusyShare: number; pressToReqUs: { median: number; p99: number } }
}
interface VmBuild {
    bytecodeBytes: number
    sourceLines: number
    sourceDecisionPoints: number
    sourceLinesSharedWithAnother: number
    idleWakeupsPerSec: number
    idleOpsPerSec: number
    loadOpsPerSec: number
}
interface CompareJson {
    generatedAt?: string
    builds?: Record<string, VmBuild>
    chip?: { skipped?: string; runtimes?: Record<string, ChipRuntime>; trace?: Record<BuildName, Record<string, { median: number; p99: number }>> }
}

const chipBuild = (runtime: ChipRuntime, build: BuildName) => runtime[build] as ChipBuild

function row(label: string, cell: (build: BuildName) => string): string {
    return `| ${label} | ${BUILD_NAMES.map(cell).join(" | ")} |`
}

/** The README's headline: what each style costs, on the chip and in the VM. */
export function headlineSection(raw: Record<string, unknown>): string {
    const json = raw as CompareJson
    const vm = json.builds
    const fixed = json.chip?.runtimes?.fixed
    const released = json.chip?.runtimes?.released
    const lines = [`| written by \`npm run compare\`${json.generatedAt ? ` (${json.generatedAt.slice(0, 10)})` : ""} | ${BUILD_NAMES.join(" | ")} |`, `| --- |${BUILD_NAMES.map(() => " ---: |").join("")}`]
    lines.push(row("how it waits for work", b => BUILDS.find(x => x.name === b)!.style))
    if (vm) {
        lines.push(row("own source lines / decision points (+ lines shared with one other build)", b => `${vm[b].sourceLines} / ${vm[b].sourceDecisionPoints}${vm[b].sourceLinesSharedWithAnother ? ` (+${vm[b].sourceLinesSharedWithAnother})` : ""}`))
        lines.push(row("bytecode (bytes)", b => number(vm[b].bytecodeBytes, 0)))
    }
    for (const [name, runtime] of [["runtime with the timer fix", fixed], ["released runtime", released]] as const) {
        if (!runtime) continue
        lines.push(row(`Pico, ${name}: CPU busy while idle (empty program: ${percent(runtime.floor.emptyIdleBusyShare)})`, b => percent(chipBuild(runtime, b).idleBusyShare)))
        lines.push(
            row(`Pico, ${name}: press→REQ median / p99 (floor: ${msOfUs(runtime.floor.pressToReqUs.median)} / ${msOfUs(runtime.floor.pressToReqUs.p99)})`, b => {
                const c = chipBuild(runtime, b)
                return `${msOfUs(c.pressToReqUs.median)} / ${msOfUs(c.pressToReqUs.p99)}${c.lostPresses ? `, ${c.lostPresses} of ${c.presses} lost` : ""}`
            }),
        )
    }
    if (vm) lines.push(row(`VM: bytecode instructions a second, idle / under load`, b => `${number(vm[b].idleOpsPerSec, 0)} / ${number(vm[b].loadOpsPerSec, 0)}`))
    if (json.chip?.skipped) lines.push("", `The emulated Pico's part was skipped: ${json.chip.skipped}`)
    lines.push("", `![Idle CPU against press→REQ p99 on an emulated Pico: the superloop at each LOOP_MS on each runtime, the other builds as points](reports/${SWEEP_CHART_FILE})`)
    return lines.join("\n")
}

/** A difference in percentage points of CPU, signed. */
const points = (a: number, b: number) => `${a >= b ? "+" : "−"}${Math.abs((a - b) * 100).toFixed(1)} points`

/** docs/comparison.md: the three side by side, and what the measurement says about the seed's claim. */
export function findingSection(raw: Record<string, unknown>): string {
    const json = raw as CompareJson
    const vm = json.builds
    const runtime = json.chip?.runtimes?.fixed ?? json.chip?.runtimes?.released
    if (!vm || !runtime) return "Not measured: the latest run had no on-chip part (see docs/chip.md)."
    const which = json.chip?.runtimes?.fixed ? "the runtime with the timer fix" : "the released runtime"
    const c = (b: BuildName) => chipBuild(runtime, b)
    const empty = runtime.floor.emptyIdleBusyShare
    const own = (b: BuildName) => c(b).idleBusyShare - empty
    const lines: string[] = []
    lines.push(
        `On an emulated Pico with ${which}, idle, the superloop keeps the core busy ${percent(c("superloop").idleBusyShare)} of cycles, the event loop ${percent(c("eventloop").idleBusyShare)} and async ${percent(c("async").idleBusyShare)}; ` +
            `the empty program (the same three roles, no behaviour) ${percent(empty)}, the runtime with no program at all ${percent(runtime.floor.runtimeAloneIdleBusyShare)}. ` +
            `What each build adds to the empty program: superloop ${points(c("superloop").idleBusyShare, empty)}, event loop ${points(c("eventloop").idleBusyShare, empty)}, async ${points(c("async").idleBusyShare, empty)}.`,
        "",
    )
    const pollingCost = own("superloop") - own("eventloop")
    const loopStyleCost = own("eventloop") - own("async")
    lines.push(
        `**The seed's claim, "the superloop doesn't waste cycles".** The event loop is a loop like the superloop, written in the same firmware, but it runs a pass only when a handler or a timer wakes it. ` +
            `Idle, the difference between the superloop and the event loop is the cost of polling on a fixed period: ${points(c("superloop").idleBusyShare, c("eventloop").idleBusyShare)}; ` +
            `the difference between the event loop and async is the cost of writing the loop out in bytecode rather than leaving it to the runtime's scheduler: ${points(c("eventloop").idleBusyShare, c("async").idleBusyShare)}. ` +
            (pollingCost > Math.abs(loopStyleCost)
                ? "So idle, the cost is in polling on a fixed period, not in the loop style: a loop that sleeps until an event costs about what async does."
                : "So idle, polling on a fixed period costs no more than writing the loop out."),
        "",
    )
    lines.push(
        `**Latency.** Press→REQ median / p99 on the chip: async ${msOfUs(c("async").pressToReqUs.median)} / ${msOfUs(c("async").pressToReqUs.p99)}, event loop ${msOfUs(c("eventloop").pressToReqUs.median)} / ${msOfUs(c("eventloop").pressToReqUs.p99)}, ` +
            `superloop ${msOfUs(c("superloop").pressToReqUs.median)} / ${msOfUs(c("superloop").pressToReqUs.p99)}; a handler that sends at once (the floor program) ${msOfUs(runtime.floor.pressToReqUs.median)} / ${msOfUs(runtime.floor.pressToReqUs.p99)}.`,
    )
    const trace = json.chip?.trace
    if (trace) {
        const bytecode = (b: BuildName) => ms(trace[b].bytecode.median / 1000)
        const wait = (b: BuildName) => ms(trace[b].wait.median / 1000)
        lines.push(
            `The trace (docs/chip.md) says where: from the press's event reaching the VM to the fiber that sends, async waits ${wait("async")}, the event loop ${wait("eventloop")} and the superloop ${wait("superloop")} (its next pass); ` +
                `from there to \`serial.send\`, async runs ${bytecode("async")} of bytecode, the event loop ${bytecode("eventloop")} (its own passes: poll the selectors, run the reader, poll again, run the writer) and the superloop ${bytecode("superloop")}. ` +
                "On this runtime every bytecode call allocates an activation record and the allocator clears the free heap each time, so bookkeeping written in bytecode is slow; the runtime's own scheduler, in C, is not.",
        )
    }
    lines.push(
        "",
        `**Size.** Own source lines (and decision points): superloop ${vm.superloop.sourceLines} (${vm.superloop.sourceDecisionPoints}), async ${vm.async.sourceLines} (${vm.async.sourceDecisionPoints}), event loop ${vm.eventloop.sourceLines} (${vm.eventloop.sourceDecisionPoints}), ` +
            `the superloop and the event loop each also using the ${vm.superloop.sourceLinesSharedWithAnother} lines of the arrival order they share; bytecode ${BUILD_NAMES.map(b => `${b} ${number(vm[b].bytecodeBytes, 0)}`).join(", ")} bytes. ` +
            "Writing the loop out is the event loop's extra code: the rest of its requests read as the async build's tasks cut at each `await`.",
        "",
        `**In the VM**, idle, the three run ${BUILD_NAMES.map(b => `${b} ${number(vm[b].idleOpsPerSec, 0)}`).join(", ")} bytecode instructions a second, with ${BUILD_NAMES.map(b => `${number(vm[b].idleWakeupsPerSec, 1)}`).join(", ")} host wakeups a second: the runtime's own housekeeping wakes the VM as often for each.`,
    )
    return lines.join("\n")
}
