// `npm run typecheck`: tools/, sim/ and test/ with the project's TypeScript (5.9), then src/ with the TypeScript that
// DeviceScript's compiler bundles (4.9). DeviceScript's corelib.d.ts declares `IterableIterator<T>` with one type
// parameter, which TypeScript 5.6 and later reject (they demand three), so 5.9 reports 7 errors inside
// @devicescript/core that no tsconfig setting removes. This folder is an npm workspace with its own TypeScript 4.9,
// so that its `tsc` never shadows the project's.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { build, ROOT } from "../../host/index.js"
import { runMain, UserError } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"

const USAGE = "usage: npm run typecheck"
const HELP = [
    "Type-checks tools/, sim/ and test/ (tsconfig.json) with the project's TypeScript,",
    "then the firmware in src/ (src/tsconfig.json) with the TypeScript DeviceScript's compiler uses (4.9).",
].join("\n")
/** Written by `devs build`, and removed by every npm install (npm does not know these packages). */
const DEVICESCRIPT_CORELIB = join(ROOT, "node_modules/@devicescript/core/src/corelib.d.ts")

function tsc(compiler: string, project: string): boolean {
    console.error(`typecheck: ${project}`)
    const run = spawnSync(process.execPath, [compiler, "-p", join(ROOT, project), "--noEmit"], { cwd: ROOT, stdio: "inherit" })
    return run.status === 0
}

runMain(async () => {
    parseOptions(process.argv.slice(2), {}, USAGE, HELP)
    const projectTsc = createRequire(join(ROOT, "package.json")).resolve("typescript/bin/tsc")
    const devicescriptTsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
    if (devicescriptTsc === projectTsc) throw new UserError("tools/typecheck has no TypeScript 4.9 of its own: run npm install (it is an npm workspace)")
    const hostOk = tsc(projectTsc, "tsconfig.json")
    if (!existsSync(DEVICESCRIPT_CORELIB)) {
        console.error("typecheck: writing DeviceScript's libraries into node_modules/@devicescript/ (devs build of an empty program)")
        build("empty", "tools/compare/programs/empty.ts")
    }
    const firmwareOk = tsc(devicescriptTsc, "src/tsconfig.json")
    if (!hostOk || !firmwareOk) throw new UserError(`type errors in ${[hostOk ? "" : "tools/sim/test", firmwareOk ? "" : "src/"].filter(Boolean).join(" and ")} (above)`)
})
