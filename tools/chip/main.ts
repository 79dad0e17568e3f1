// `npm run chip`: the builds on an emulated Raspberry Pi Pico (the real DeviceScript runtime in rp2040js),
// through the scenario of `npm run sim`, in emulated time, with the CPU's busy share.
import { BOOTROM_ENV, ChipFiles, type ChipFileSources, findRuntimeElf, FIXED_RUNTIME_ENV, HOLD_MS, MIN_PRESS_GAP_MS, MissingChipFile, RUNTIME_ENV, RUNTIME_FLAVOURS, type RuntimeFlavour, startChip, type XipTiming, DROPPED_SEQ, playScenario, printSideBySide, REPLY_DELAY_MS, type Row } from "../../sim/index.js"
import { PROFILE_WINDOW_MS, profileBuild, sharesTable, topFunctionsTable } from "../lib/chipProfile.js"
import { type BuildName, ROOT } from "../../host/index.js"
import { BUILD_CHOICES, chosenBuilds } from "../lib/builds.js"
import { runMain, UserError } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import { chosenRuntimes, RUNTIME_NAMES } from "../lib/runtimes.js"

const USAGE = [
    `usage: npm run chip -- [--build ${BUILD_CHOICES}] [--runtimes released|fixed|both] [--runtime FILE] [--fixed-runtime FILE] [--bootrom FILE] [--xip] [--profile] [--verbose]`,
    "  without --build, every build runs, side by side",
    "  --runtimes       the runtime to play the scenario on: released (the default, what `devs flash` installs), fixed (the same",
    "                   runtime with the timer fix of patches/), or both, one after the other",
    `  --runtime        DeviceScript's RP2040 runtime (devicescript-rp2040-pico.uf2); else $${RUNTIME_ENV}, else .devicescript/cache/,`,
    "                   else downloaded there",
    `  --fixed-runtime  the runtime built with the timer fix (docs/chip.md says how); else $${FIXED_RUNTIME_ENV}`,
    `  --bootrom        the RP2040 B1 boot ROM (16 KB; B0 and B2 are taken with a warning); else $${BOOTROM_ENV},`,
    "                   else .devicescript/cache/rp2040-bootrom-b1.bin, else downloaded there",
    "  --xip            charge flash reads what the XIP cache and the QSPI line fills cost (rp2040js charges nothing)",
    `  --profile        instead of the scenario: where the cycles go, ${PROFILE_WINDOW_MS} ms idle and ${PROFILE_WINDOW_MS} ms under load, by kind of work`,
    "                   and by function (needs the runtime's ELF beside it, or $DEVS_RP2040_ELF)",
    "  --verbose        show the runtime's own log",
].join("\n")
const SPEC = { build: "string", runtime: "string", "fixed-runtime": "string", runtimes: "string", bootrom: "string", xip: "flag", profile: "flag", verbose: "flag" } as const

async function runBuild(build: BuildName, options: { runtime?: string; bootrom?: string; xip?: boolean; verbose?: boolean }) {
    const sim = await startChip({ build, files: { runtime: options.runtime, bootrom: options.bootrom }, verbose: options.verbose, xip: options.xip })
    const readyAt = sim.now
    const before = sim.pico.time.snapshot()
    const { rows, inputs } = await playScenario(sim, build, () => sim.led.changes)
    const busyShare = sim.pico.time.busyShareSince(before)
    sim.stop()
    return { rows, inputs, readyAt, busyShare, imageSha256: sim.imageSha256, xip: sim.pico.xip && xipSummary(sim.pico.xip) }
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
    const flavours = chosenRuntimes(options.runtimes, ["released"])
    const files = await findFiles({ runtime: options.runtime, bootrom: options.bootrom })
    if (options.profile) return printProfiles(builds, files)
    // every runtime is found before the first one plays, so that a missing one fails at once
    const runtimes = new Map<RuntimeFlavour, string>()
    for (const flavour of flavours) {
        runtimes.set(flavour, flavour === "released" ? files.runtime : (await findFiles({ flavour, fixedRuntime: options["fixed-runtime"], bootrom: options.bootrom })).runtime)
    }
    for (const [flavour, runtime] of runtimes) {
        await playOnRuntime(builds, { runtime, bootrom: files.bootrom, xip: options.xip, verbose: options.verbose }, flavour)
    }
}

async function findFiles(sources: Omit<ChipFileSources, "projectDir">) {
    return new ChipFiles({ projectDir: ROOT, ...sources }).find().catch(e => {
        throw e instanceof MissingChipFile ? new UserError(e.message) : e
    })
}

async function playOnRuntime(builds: BuildName[], options: { runtime: string; bootrom: string; xip?: boolean; verbose?: boolean }, flavour: RuntimeFlavour) {
    console.log(`\non ${RUNTIME_NAMES[flavour]}: the peer answers each REQ after ${REPLY_DELAY_MS} ms (emulated time) and drops seq ${DROPPED_SEQ}`)
    console.log(`a press is ${HOLD_MS} ms down; presses closer than ${MIN_PRESS_GAP_MS} ms (the burst) go down ${MIN_PRESS_GAP_MS} ms apart, as a real button needs: the input column shows when the pin went low`)
    const rows: Row[] = []
    const summary: string[] = []
    for (const build of builds) {
        const started = performance.now()
        const run = await runBuild(build, options)
        // the inputs reach every build at the same times: the finger does not depend on the firmware
        if (!rows.some(r => r.column === "input")) rows.push(...run.inputs)
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

/** `--profile`: for each build, the shares of the idle and the load window, then each window's busiest functions. */
async function printProfiles(builds: BuildName[], files: { runtime: string; bootrom: string }) {
    const elf = findRuntimeElf(files.runtime)
    if (!elf) throw new UserError(`--profile needs the runtime's ELF (its symbols): put it beside ${files.runtime} or set DEVS_RP2040_ELF`)
    console.log(`\nprofile: every instruction's cycles by address, folded by the runtime's functions (${elf}), then by kind of work`)
    console.log(`idle: ${PROFILE_WINDOW_MS} ms with nothing happening; load: ${PROFILE_WINDOW_MS} ms of a press every 200 ms, answered after 50 ms`)
    for (const build of builds) {
        const started = performance.now()
        const profile = await profileBuild(build, { elf, files })
        console.log(`\n${build} (${((performance.now() - started) / 1000).toFixed(0)} s of wall time)\n`)
        console.log(sharesTable([{ label: `${build}, idle`, shares: profile.idle.shares }, { label: `${build}, load`, shares: profile.load.shares }]))
        for (const window of ["idle", "load"] as const) {
            console.log(`\n${build}, ${window}: the busiest functions (share of busy cycles; "+ helpers": the memset, memcpy, strlen... it called)\n`)
            console.log(topFunctionsTable(profile[window]))
        }
    }
}

runMain(main)
