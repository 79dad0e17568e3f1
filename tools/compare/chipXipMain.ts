// `npx tsx tools/compare/chipXipMain.ts [--quick] [--fixed-runtime FILE]`: the on-chip figures of both builds without and
// with the XIP cache model, on the runtime ChipFiles finds and, when given, the runtime with the timer fix.
// Writes reports/chip-xip.json (reports/quick/ with --quick) and prints the figures side by side.
import { mkdirSync, writeFileSync } from "node:fs"
import { join, relative } from "node:path"
import { ChipFiles } from "../../sim/index.js"
import { ROOT } from "../../host/index.js"
import { runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"
import type { ChipBuildFigures } from "./chip.js"
import { type XipRuntimeFigures, xipComparison } from "./chipXip.js"

const USAGE = "usage: npx tsx tools/compare/chipXipMain.ts [--quick] [--fixed-runtime FILE]"

const percent = (x: number) => `${(x * 100).toFixed(2)} %`
const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`

function line(label: string, f: ChipBuildFigures): string {
    const xip = f.xip ? `; flash reads missed ${percent(f.xip.idle.missRate)} idle, ${percent(f.xip.load.missRate)} loaded; stalled ${percent(f.xip.idle.stallShare)} / ${percent(f.xip.load.stallShare)} of cycles` : ""
    return (
        `  ${label.padEnd(4)} busy ${percent(f.idleBusyShare)} idle, ${percent(f.loadBusyShare)} loaded; press->REQ median ${ms(f.pressToReqUs.median)}, max ${ms(f.pressToReqUs.max)}; ` +
        `lost presses ${f.lostPresses}; ${f.wallSeconds} s wall for ${f.emulatedMs} ms${xip}`
    )
}

function summary(figures: Record<string, XipRuntimeFigures>): string {
    const lines: string[] = []
    for (const [runtime, builds] of Object.entries(figures)) {
        for (const [build, { off, on }] of Object.entries(builds)) lines.push(`${runtime} runtime, ${build}:`, line("off", off), line("on", on))
        const setup = builds.async.on.xip
        if (setup) lines.push(`  SSI at the end of boot: ${Object.entries(setup.registers).map(([k, v]) => `${k} ${v}`).join(", ")}: ${setup.lineFill.serialClocks} SCK, ${setup.lineFill.cycles} cycles a miss`)
    }
    return lines.join("\n")
}

async function main() {
    const options = parseOptions(process.argv.slice(2), { quick: "flag", "fixed-runtime": "string" }, USAGE)
    const quick = options.quick ?? false
    const runtimes: Record<string, string> = { released: (await new ChipFiles({ projectDir: ROOT }).find()).runtime }
    if (options["fixed-runtime"]) runtimes.timfix = options["fixed-runtime"]
    const started = Date.now()
    const progress = (message: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`)
    const figures = await xipComparison(quick, runtimes, progress)
    const out = join(ROOT, "reports", ...(quick ? ["quick"] : []))
    mkdirSync(out, { recursive: true })
    const path = join(out, "chip-xip.json")
    writeFileSync(path, JSON.stringify({ generated: new Date().toISOString(), quick, runtimes, xip: figures }, null, 2) + "\n")
    console.log(summary(figures))
    progress(`done: ${relative(ROOT, path)}`)
}

runMain(main)
