// `npx tsx tools/chip/trace.ts`: presses traced through the runtime on the emulated Pico, stage by stage (sim/chip/pressTrace.ts).
import { writeFileSync } from "node:fs"
import { ChipFiles, MissingChipFile } from "../../sim/index.js"
import { type BuildName, ROOT } from "../../host/index.js"
import { runsTable, stagesTable, traceRun, type TraceResult } from "../lib/pressTraces.js"
import { runMain, UserError } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"

const USAGE =
    "usage: npx tsx tools/chip/trace.ts [--build superloop|async] [--loop-ms N] [--entry FILE] [--runtime FILE[,FILE]] [--presses N] [--rearm] [--json FILE]\n" +
    "  --build    the build to trace (default superloop)\n" +
    "  --loop-ms  the superloop's LOOP_MS for this run (a temporary variant entry); a list (1,2,10) runs each\n" +
    "  --entry    a variant entry (a .ts file importing ./frame, ./outbox... as src/main*.ts do), bundled from a temporary copy in src/\n" +
    "  --runtime  the RP2040 runtime(s), its ELF beside it; a list runs each (default: as npm run chip finds it)\n" +
    "  --presses  presses at varied phases, each answered (default 100)\n" +
    "  --rearm    what if the runtime re-armed its tick with the final max sleep before each wfe (sim/chip/tickRearm.ts)\n" +
    "  --json     write every run's figures there"
const SPEC = { build: "string", "loop-ms": "string", entry: "string", runtime: "string", presses: "number", rearm: "flag", json: "string" } as const
const list = (text: string | undefined) => (text === undefined ? [undefined] : text.split(",").map(s => s.trim()))

async function main() {
    const options = parseOptions(process.argv.slice(2), SPEC, USAGE.split("\n")[0], USAGE)
    const build = (options.build ?? "superloop") as BuildName
    if (build !== "superloop" && build !== "async") throw new UserError(`unknown build "${build}"; use superloop or async`)
    const found = await new ChipFiles({ projectDir: ROOT }).find().catch(e => {
        throw e instanceof MissingChipFile ? new UserError(e.message) : e
    })
    const runtimes = list(options.runtime).map(r => r ?? found.runtime)
    const loops = list(options["loop-ms"]).map(l => (l === undefined ? undefined : Number(l)))
    const presses = options.presses ?? 100
    const results: TraceResult[] = []
    for (const runtime of runtimes) {
        for (const loopMs of loops) {
            const result = await traceRun({ build, runtime, loopMs, entry: options.entry, rearmTick: options.rearm }, presses, m => console.error(m))
            results.push(result)
            console.log(`\n${stagesTable(result)}\n\nidle busy ${(result.idleBusyShare * 100).toFixed(1)} %; ${result.lostPresses} of ${presses} presses got no REQ; ${result.lostAlarms} alarms set in the past\n`)
        }
    }
    if (results.length > 1) console.log(runsTable(results))
    if (options.json) writeFileSync(options.json, JSON.stringify(results.map(({ breakdowns, ...r }) => ({ ...r, breakdowns })), null, 1))
}

runMain(main)
