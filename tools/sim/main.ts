// `npm run sim`: every build, side by side, in the real DeviceScript VM with a
// simulated button, serial peer and status LED, through one scripted scenario.
import { DROPPED_SEQ, playScenario, printSideBySide, REPLY_DELAY_MS, type Row, Simulation } from "../../sim/index.js"
import { BUILD_NAMES, type BuildName } from "../../host/index.js"
import { buildOrCheck } from "../lib/builds.js"
import { runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"

const SIM_HELP = [
    "Runs every build in the DeviceScript VM through one scripted scenario (presses, a dropped reply, bad frames)",
    "on virtual time and prints what each sent, side by side.",
    "  --verbose    show the VM's own log",
    "  --no-build   use the builds in built/ as they are",
].join("\n")

async function runBuild(build: BuildName, verbose: boolean): Promise<{ rows: Row[]; inputs: Row[]; sim: Simulation }> {
    const sim = await Simulation.start({ build, verbose })
    await sim.untilReady()
    const { rows, inputs } = await playScenario(sim, build, () => sim.led.changes.map(c => ({ at: c.at, on: c.intensity > 0 })))
    sim.stop()
    return { rows, inputs, sim }
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { verbose: "flag", "no-build": "flag" }, "usage: npm run sim -- [--verbose] [--no-build]", SIM_HELP)
    const verbose = options.verbose ?? false
    buildOrCheck(BUILD_NAMES, options["no-build"])
    console.log(`\nscenario: the peer answers each REQ after ${REPLY_DELAY_MS} ms (virtual time) and drops seq ${DROPPED_SEQ}\n`)
    const rows: Row[] = []
    const crashes: string[] = []
    for (const build of BUILD_NAMES) {
        const { rows: buildRows, inputs, sim } = await runBuild(build, verbose)
        if (rows.length === 0) rows.push(...inputs)
        rows.push(...buildRows)
        crashes.push(...sim.crashes().map(c => `${build}: ${c}`))
    }
    printSideBySide(rows, [{ name: "input", title: "input" }, ...BUILD_NAMES.map(b => ({ name: b, title: `${b} sends` }))])
    if (crashes.length) {
        console.error(`\nthe VM crashed:\n${crashes.join("\n")}`)
        process.exit(1)
    }
    console.log("\nEvery build ran the scenario with no crash. `npm test` checks every rule; `--verbose` shows the VM's log.")
}

runMain(main)
