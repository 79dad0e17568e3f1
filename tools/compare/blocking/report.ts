// The blocking comparison as Markdown (tables and findings drawn from the figures) and as the `blocking` key of
// reports/compare.json. Nothing here writes a file.
import { BUILD_NAMES, type BuildName } from "../../../host/index.js"
import { HOLD_MS } from "../../../sim/index.js"
import { ANSWER_WITHIN_MS, REPLY_TIMEOUT_MS, type ScenarioFigures } from "./figures.js"
import type { BlockingReport, HostFigures, Row } from "./measure.js"

const ROW_TITLES: Record<Row, string> = {
    baseline: "as it is",
    blocked: "seal in one go",
    sliced: "seal in slices",
    slicedAtOnce: "slices resumed at once",
}

const HOST_TITLES = { vm: "In the VM", chip: "On the emulated Pico" } as const
type Host = keyof typeof HOST_TITLES

const ms = (x: number) => (Number.isFinite(x) ? `${Number(x.toFixed(1))}` : "–")
const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? ms(xs[0]) : `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`)

/** The `blocking` key of reports/compare.json. */
export function blockingJson(report: BlockingReport) {
    return report
}

function figuresOf(report: BlockingReport, host: Host): HostFigures | undefined {
    const figures = report[host]
    return "skipped" in figures ? undefined : (figures as HostFigures)
}

/** Each row a host measured: build, row, figures. */
function rowsOf(figures: HostFigures): { build: BuildName; row: Row; f: ScenarioFigures }[] {
    return BUILD_NAMES.flatMap(build =>
        Object.entries(figures[build] ?? {}).map(([row, f]) => ({ build, row: row as Row, f: f as ScenarioFigures })),
    )
}

/** The rules a row broke, each with its figure; "none" if it kept them all. */
export function brokenRules(f: ScenarioFigures): string {
    const { pressAnsweredWithin100Ms: press, tmoWithin1000To1100Ms: tmo, replyAckedWithin100Ms: ack } = f.rules
    const broken: string[] = []
    if (f.counts.unansweredPresses > 0) broken.push(`${f.counts.unansweredPresses} of ${f.counts.presses} presses never answered`)
    if (press.worstMs > ANSWER_WITHIN_MS) broken.push(`a press answered after ${ms(press.worstMs)} ms`)
    if (!tmo.held) broken.push(`a TMO ${ms(tmo.worstMs)} ms after its REQ`)
    if (f.counts.missingTmos > 0) broken.push(`${f.counts.missingTmos} TMOs never sent`)
    if (ack.worstMs > ANSWER_WITHIN_MS) broken.push(`an ACK ${ms(ack.worstMs)} ms after its RES`)
    if (f.counts.missingAcks > 0) broken.push(`${f.counts.missingAcks} ACKs never sent`)
    if (f.counts.restarts + f.counts.crashes > 0) broken.push(`${f.counts.restarts + f.counts.crashes} restarts or crashes`)
    return broken.length ? broken.join("; ") : "none"
}

function hostTable(figures: HostFigures, title: string): string {
    const lines = [
        `| ${title} | press→REQ p50 / p99 / max (ms) | RES→ACK max | TMO late, max | longest silence | rules broken (docs/protocol.md) |`,
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for (const { build, row, f } of rowsOf(figures)) {
        const press = `${ms(f.pressToReqMs.p50)} / ${ms(f.pressToReqMs.p99)} / ${ms(f.pressToReqMs.max)}`
        lines.push(`| ${build}, ${ROW_TITLES[row]} | ${press} | ${ms(f.resToAckMs.max)} | ${ms(f.tmoLateMs.max)} | ${ms(f.longestSilenceMs)} | ${brokenRules(f)} |`)
    }
    return lines.join("\n")
}

/** Findings that hold for the figures of one host; each names its figures. */
function hostFindings(figures: HostFigures, host: Host): string[] {
    const rows = rowsOf(figures)
    const of = (row: Row) => rows.filter(r => r.row === row)
    const where = host === "vm" ? "in the VM" : "on the emulated Pico"
    const findings: string[] = []
    const [baseline, blocked, sliced, atOnce] = [of("baseline"), of("blocked"), of("sliced"), of("slicedAtOnce")]
    const silence = (rs: typeof rows) => range(rs.map(r => r.f.longestSilenceMs))

    if (blocked.length && baseline.length) {
        const allBroke = blocked.every(r => brokenRules(r.f) !== "none")
        findings.push(
            `**One go blocks every build alike** ${where}: the device sends nothing at all for up to ${silence(blocked)} ms ` +
                `(longest silence; as it is: ${silence(baseline)} ms), whichever style runs it` +
                (allBroke ? `, and every build breaks the timing rules: ACKs up to ${range(blocked.map(r => r.f.resToAckMs.max))} ms after their RES, TMOs up to ${range(blocked.map(r => r.f.tmoLateMs.max))} ms late.` : "."),
        )
    }
    const lost = blocked.filter(r => r.f.counts.unansweredPresses > 0)
    if (lost.length) {
        findings.push(
            `**Presses lost** ${where}: with the seal in one go, ${lost.map(r => `${r.build} ${r.f.counts.unansweredPresses}`).join(", ")} of ${lost[0].f.counts.presses} presses ` +
                `never got an answer: the runtime reads the button between runs of the VM, and a ${HOLD_MS} ms press that begins and ends within one is never seen.`,
        )
    }
    if (sliced.length && baseline.length) {
        const worst = (rs: typeof rows) => range(rs.map(r => r.f.pressToReqMs.max))
        const kept = sliced.filter(r => r.f.rules.pressAnsweredWithin100Ms.held && r.f.rules.replyAckedWithin100Ms.held && r.f.counts.unansweredPresses === 0)
        findings.push(
            `**Slices remedy it** ${where}: cut into ${"slices"} that yield between them, the same job keeps the longest silence to ${silence(sliced)} ms ` +
                `and press→REQ to ${worst(sliced)} ms at most (as it is: ${worst(baseline)} ms)` +
                (kept.length === sliced.length ? "; every press and every reply is answered within 100 ms." : `; ${kept.map(r => r.build).join(", ") || "no build"} answer every press and reply within 100 ms.`),
        )
        const early = sliced.filter(r => r.f.tmoLateMs.min < 0)
        if (early.length) {
            findings.push(
                `**But timeouts come early** ${where} in ${early.map(r => `${r.build} (a TMO ${ms(REPLY_TIMEOUT_MS + r.f.tmoLateMs.min)} ms after its REQ)`).join(", ")}: ` +
                    "a REQ leaves the device only when the VM's run ends, and a slice that runs after the send in the same run delays it, while the firmware counts the timeout from when its send returned.",
            )
        }
    }
    if (atOnce.length) {
        findings.push(
            `**Slices resumed at once are no remedy** ${where}: with \`await ds.sleep(0)\` (async) or \`callSoon\` (event loop) between slices, ` +
                `the longest silence is ${silence(atOnce)} ms, as in one go (${silence(blocked.filter(r => atOnce.some(a => a.build === r.build)))} ms): ` +
                "the runtime runs ready fibers back to back and reads no input until none is ready.",
        )
    }
    return findings
}

/** The section: what was measured, a table per host, and the findings; under its own heading unless `heading` is false. */
export function renderBlockingMarkdown(report: BlockingReport, heading = true): string {
    const { job, settings } = report
    const parts = [
        ...(heading ? ["## Don't block the loop", ""] : []),
        `Every build runs on one thread: work that does not yield holds up every press, reply, timeout and LED. The job here is a ` +
            `real firmware's: every ${job.sealEvery}th accepted reply, the firmware seals its ${job.logBytes / 1024} KB log of replies (a Fletcher-16 ` +
            `checksum of all of it, src/blocking/replyLog.ts), in one go where it handles the reply, or in ${job.sliceBytes}-byte slices that yield between them ` +
            `(superloop: one per pass; async: \`await ds.sleep\`; event loop: a timer). Each build and variant runs the same rounds of ` +
            `presses timed around the seal (each round ${ROUND_DESCRIPTION}; ${roundsInWords(settings)}), in the VM on virtual time (each bytecode instruction ` +
            `taking ${settings.vmUsPerInstruction} µs, as on an RP2040) and on the emulated Pico (the runtime with the timer fix, so that the figures show the style, ` +
            `not the released runtime's lost wake-ups). Both repeat exactly from run to run.`,
    ]
    for (const host of ["vm", "chip"] as const) {
        const figures = figuresOf(report, host)
        parts.push("")
        if (!figures) {
            parts.push(`${HOST_TITLES[host]}: skipped (${(report[host] as { skipped: string }).skipped}).`)
            continue
        }
        const title = host === "vm" ? `in the VM (${settings.vmUsPerInstruction} µs an instruction)` : "on the emulated Pico (timer fix)"
        parts.push(hostTable(figures, title), "", ...hostFindings(figures, host).map(f => `- ${f}`))
    }
    return parts.join("\n")
}

function roundsInWords(settings: BlockingReport["settings"]): string {
    const chipRounds = settings.chipRounds ?? settings.rounds
    return chipRounds === settings.rounds || chipRounds === 0 ? `${settings.rounds} rounds` : `${settings.rounds} rounds in the VM, ${chipRounds} on the emulated Pico`
}

const ROUND_DESCRIPTION = "five replied presses, one press whose timeout falls due during the seal, one press made while it runs"

/** What a reader should take from it, in a few lines, from the emulated Pico's figures (the VM's when the chip was skipped). */
export function blockingSummary(report: BlockingReport): string {
    const host: Host = figuresOf(report, "chip") ? "chip" : "vm"
    const figures = figuresOf(report, host)
    if (!figures) return "Not measured in the latest run."
    const rows = rowsOf(figures)
    const of = (row: Row) => rows.filter(r => r.row === row)
    const silence = (row: Row) => range(of(row).map(r => r.f.longestSilenceMs))
    const where = host === "chip" ? "on the emulated Pico" : "in the VM"
    const lines = [
        `A job that does not yield stops everything else, whatever the style: sealing a ${report.job.logBytes / 1024} KB log in one go, ` +
            `every build ${where} went silent for up to ${silence("blocked")} ms (as it is: ${silence("baseline")} ms) and broke the timing rules of docs/protocol.md.`,
    ]
    if (of("sliced").length) {
        lines.push(
            `Cut into ${report.job.sliceBytes}-byte slices that yield between them (a step per pass in the superloop, \`await ds.sleep\` in async, a timer in the event loop), ` +
                `the longest silence fell to ${silence("sliced")} ms. Yielding is the remedy in every style; the style only decides how it is written.`,
        )
    }
    lines.push("The figures, both hosts and every variant: [docs/comparison.md](docs/comparison.md#dont-block-the-loop).")
    return lines.join("\n")
}
