// `npm run chip`: the builds on an emulated Raspberry Pi Pico (the real DeviceScript runtime in rp2040js),
// through the scenario of `npm run sim`, in emulated time, with the CPU's busy share.
import { BOOTROM_ENV, ChipFiles, MissingChipFile, RUNTIME_ENV, startChip, type XipTiming, DROPPED_SEQ, inputRows, playScenario, printSideBySide, REPLY_DELAY_MS, type Row } from "../../sim/index.js"
import { type BuildName, ROOT } from "../../host/index.js"
import { BUILD_CHOICES, chosenBuilds } from "../lib/builds.js"
import { runMain, UserError } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"

const USAGE =
    `usage: npm run chip -- [--build ${BUILD_CHOICES}] [--runtime FILE] [--bootrom FILE] [--xip] [--verbose]\n` +
    `  --runtime  DeviceScript's RP2040 runtime (devicescript-rp2040-pico.uf2); else $${RUNTIME_ENV}, else .devicescript/cache/, else downloaded there\n` +
    `  --bootrom  the RP2040 B1 boot ROM (16 KB; B0 and B2 are taken with a warning); else $${BOOTROM_ENV}, else .devicescript/cache/rp2040-bootrom-b1.bin, else downloaded there\n` +
    "  --xip      charge flash reads what the XIP cache and the QSPI line fills cost (rp2040js charges nothing)\n" +
    "  without --build, every build runs, side by side"
const SPEC = { build: "string", runtime: "string", bootrom: "string", xip: "flag", verbose: "flag" } as const

async function runBuild(build: BuildName, options: { runtime?: string; bootrom?: string; xip?: boolean; verbose?: boolean }) {
    const sim = await startChip({ build, files: { runtime: options.runtime, bootrom: options.bootrom }, verbose: options.verbose, xip: options.xip })
    const readyAt = sim.now
    const before = sim.pico.time.snapshot()
    const rows = await playScenario(sim, build, () => sim.led.changes)
    const busyShare = sim.pico.time.busyShareSince(before)
    sim.stop()
    return { rows, readyAt, busyShare, imageSha256: sim.imageSha256, xip: sim.pico.xip && xipSummary(sim.pico.xip) }
}

function xipSummary(xip: XipTiming): string {
    const { reads, flashReads, stallCycles } = xip.use
    return `XIP: ${flashReads} of ${reads} reads of the flash missed the cache, ${xip.lineFill?.cycles ?? "?"} cycles each; ${stallCycles} cycles stalled since reset`
}

async function main() {
    const args = process.argv.slice(2)
    if (args.includes("--help") || args.includes("-h")) return console.log(USAGE)
    const options = parseOptions(args, SPEC, USAGE.split("\n")[0])
    const builds = chosenBuilds(options.build)
    const files = await new ChipFiles({ projectDir: ROOT, runtime: options.runtime, bootrom: options.bootrom }).find().catch(e => {
        throw e instanceof MissingChipFile ? new UserError(e.message) : e
    })
    console.log(`\nscenario: the peer answers each REQ after ${REPLY_DELAY_MS} ms (emulated time) and drops seq ${DROPPED_SEQ}; presses are 50 ms down, 50 ms up`)
    const rows: Row[] = inputRows()
    const summary: string[] = []
    for (const build of builds) {
        const started = performance.now()
        const run = await runBuild(build, { ...files, xip: options.xip, verbose: options.verbose })
        rows.push(...run.rows)
        const wall = (performance.now() - started) / 1000
        summary.push(
            `${build}: image sha256 ${run.imageSha256}; RDY ${run.readyAt.toFixed(1)} ms after reset; CPU busy ${(run.busyShare * 100).toFixed(1)} % of the scenario's cycles (${wall.toFixed(0)} s of wall time)${run.xip ? `; ${run.xip}` : ""}`,
        )
    }
    console.log("")
    printSideBySide(rows, [{ name: "input", title: "input" }, ...builds.map(b => ({ name: b, title: `${b} sends` }))], 1)
    console.log(`\n${summary.join("\n")}`)
}

runMain(main)
