// `npm run sim`: both builds, side by side, in the real DeviceScript VM with a
// simulated button, serial peer and status LED, through one scripted scenario.
import { readFileSync } from "node:fs"
import { autoReply, buildAll, type BuildName, frame, programPath, Simulation } from "../sim/index.js"
import { runMain } from "./errors.js"
import { parseOptions } from "./options.js"

const BUILDS: BuildName[] = ["superloop", "async"]
const REPLY_DELAY_MS = 120
const DROPPED_SEQ = 2

type Action = { at: number; what: string; run: (sim: Simulation) => Promise<void> }

const press: Action["run"] = sim => sim.press()
const scenario: Action[] = [
    { at: 0, what: "press", run: press },
    { at: 400, what: "press", run: press },
    { at: 800, what: `press (the peer drops seq ${DROPPED_SEQ})`, run: press },
    { at: 1200, what: "corrupted frame", run: sim => sim.inject(frame("RES,1,x", "00")) },
    { at: 1300, what: "reply to no request", run: sim => sim.inject(frame("RES,77,stray")) },
    ...Array.from({ length: 6 }, (_, i) => ({ at: 2200 + i, what: "press (burst)", run: press })),
    { at: 2600, what: "garbage, then a frame too long", run: sim => sim.inject(`noise$${"x".repeat(90)}\r\n`) },
]
const END_MS = 4000
const SIM_HELP = [
    "Runs both builds in the DeviceScript VM through one scripted scenario (presses, a dropped reply, bad frames)",
    "on virtual time and prints what each sent, side by side.",
    "  --verbose    show the VM's own log",
    "  --no-build   use the builds in built/ as they are",
].join("\n")

interface Row {
    at: number
    build: BuildName | "input"
    text: string
}

async function runBuild(build: BuildName, verbose: boolean): Promise<{ rows: Row[]; sim: Simulation }> {
    const sim = await Simulation.start({ program: readFileSync(programPath(build)), verbose })
    await sim.untilReady()
    autoReply(sim, { replyDelayMs: REPLY_DELAY_MS, drops: seq => seq === DROPPED_SEQ })
    const start = sim.now
    for (const action of scenario) {
        await sim.advance(start + action.at - sim.now)
        await action.run(sim)
    }
    await sim.advance(start + END_MS - sim.now)
    const rows: Row[] = sim.frames
        .filter(f => f.at >= start && f.type !== "RDY")
        .map(f => ({ at: f.at - start, build, text: `→ ${f.body}` }))
    for (const change of sim.led.changes) rows.push({ at: change.at - start, build, text: change.intensity > 0 ? "LED on" : "LED off" })
    sim.stop()
    return { rows, sim }
}

function printSideBySide(rows: Row[]) {
    const width = 28
    console.log(`${"ms".padStart(6)}  ${"input".padEnd(width)}${"superloop sends".padEnd(width)}async sends`)
    const times = [...new Set(rows.map(r => r.at))].sort((a, b) => a - b)
    for (const at of times) {
        const column = (build: Row["build"]) => rows.filter(r => r.at === at && r.build === build).map(r => r.text)
        const cells = [column("input"), column("superloop"), column("async")]
        const height = Math.max(...cells.map(c => c.length))
        for (let line = 0; line < height; line++) {
            const time = line === 0 ? String(at).padStart(6) : "".padStart(6)
            console.log(`${time}  ${cells.map((c, i) => (c[line] ?? "").padEnd(i < 2 ? width : 0)).join("")}`)
        }
    }
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { verbose: "flag", "no-build": "flag" }, "usage: npm run sim -- [--verbose] [--no-build]", SIM_HELP)
    const verbose = options.verbose ?? false
    if (!options["no-build"]) buildAll()
    console.log(`\nscenario: the peer answers each REQ after ${REPLY_DELAY_MS} ms (virtual time) and drops seq ${DROPPED_SEQ}\n`)
    const rows: Row[] = scenario.map(a => ({ at: a.at, build: "input", text: a.what }))
    const crashes: string[] = []
    for (const build of BUILDS) {
        const { rows: buildRows, sim } = await runBuild(build, verbose)
        rows.push(...buildRows)
        crashes.push(...sim.crashes().map(c => `${build}: ${c}`))
    }
    printSideBySide(rows)
    if (crashes.length) {
        console.error(`\nthe VM crashed:\n${crashes.join("\n")}`)
        process.exit(1)
    }
    console.log("\nBoth builds ran the scenario with no crash. `npm test` checks every rule; `--verbose` shows the VM's log.")
}

runMain(main)
