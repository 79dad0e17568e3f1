// test/src/fuzz/regressions.json: inputs the fuzzer once found interesting, replayed first in every run; `npm run fuzz` adds each new failure itself.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "../builds.js"
import type { FloodInput, FuzzCase, FuzzInput } from "./serialFuzz.js"

export const REGRESSIONS_FILE = join(ROOT, "test/src/fuzz/regressions.json")

type Property = "serial" | "flood"

/**
 * One saved failure, for the serial fuzzer (the default, when `property` is
 * absent) or the flood fuzzer: a whole case as `npm run fuzz` records it, or a
 * single `input`, which stands for that input alone on a fresh device.
 */
export type Regression = { why: string; property?: Property } & ({ case: FuzzCase<FuzzInput | FloodInput> } | { input: FuzzInput | FloodInput })

export function readRegressions(): Regression[] {
    return JSON.parse(readFileSync(REGRESSIONS_FILE, "utf8")) as Regression[]
}

/** The saved cases of one property, each to be replayed on a fresh device. */
export function regressionsOf(property: "serial"): FuzzCase<FuzzInput>[]
export function regressionsOf(property: "flood"): FuzzCase<FloodInput>[]
export function regressionsOf(property: Property): FuzzCase<FuzzInput | FloodInput>[] {
    return readRegressions()
        .filter(r => (r.property ?? "serial") === property)
        .map(caseOf)
}

function caseOf(regression: Regression): FuzzCase<FuzzInput | FloodInput> {
    return "case" in regression ? regression.case : { seqFrom: 0, inputs: [regression.input] }
}

/** Appends a shrunk failure (unless the same case is there already); the file keeps its layout, one input a line. */
export function addRegression(regression: Regression): boolean {
    const all = readRegressions()
    const key = JSON.stringify(caseOf(regression))
    if (all.some(r => JSON.stringify(caseOf(r)) === key)) return false
    all.push(regression)
    writeFileSync(REGRESSIONS_FILE, `[\n${all.map(formatRegression).join(",\n")}\n]\n`)
    return true
}

function formatRegression(regression: Regression): string {
    const { why, property } = regression
    const head = property ? `"why": ${JSON.stringify(why)}, "property": ${JSON.stringify(property)},` : `"why": ${JSON.stringify(why)},`
    const body =
        "case" in regression
            ? `"case": {"seqFrom": ${regression.case.seqFrom}, "inputs": [\n${regression.case.inputs.map(i => `            ${JSON.stringify(i)}`).join(",\n")}\n        ]}`
            : `"input": ${JSON.stringify(regression.input)}`
    return `    {\n        ${head}\n        ${body}\n    }`
}
