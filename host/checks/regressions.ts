// test/src/fuzz/regressions.json: inputs the fuzzer once found interesting, replayed first in every run; `npm run fuzz` adds each new failure itself.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "../builds.js"
import type { FloodInput, FuzzInput } from "./serialFuzz.js"

export const REGRESSIONS_FILE = join(ROOT, "test/src/fuzz/regressions.json")

/** Which property an input is for: the serial fuzzer's (the default, when `property` is absent) or the flood fuzzer's. */
export type Regression = { why: string } & ({ property?: "serial"; input: FuzzInput } | { property: "flood"; input: FloodInput })

export function readRegressions(): Regression[] {
    return JSON.parse(readFileSync(REGRESSIONS_FILE, "utf8")) as Regression[]
}

export function regressionsOf(property: "serial"): FuzzInput[]
export function regressionsOf(property: "flood"): FloodInput[]
export function regressionsOf(property: "serial" | "flood"): (FuzzInput | FloodInput)[] {
    return readRegressions()
        .filter(r => (r.property ?? "serial") === property)
        .map(r => r.input)
}

/** Appends a shrunk failure (unless the same input is there already); one regression per line, like the file's own. */
export function addRegression(regression: Regression): boolean {
    const all = readRegressions()
    const key = JSON.stringify(regression.input)
    if (all.some(r => JSON.stringify(r.input) === key)) return false
    all.push(regression)
    const lines = all.map(r => {
        const { why, property, input } = r
        const head = property ? `"why": ${JSON.stringify(why)}, "property": ${JSON.stringify(property)},` : `"why": ${JSON.stringify(why)},`
        return `    {\n        ${head}\n        "input": ${JSON.stringify(input)}\n    }`
    })
    writeFileSync(REGRESSIONS_FILE, `[\n${lines.join(",\n")}\n]\n`)
    return true
}
