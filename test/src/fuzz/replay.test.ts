// A failure the fuzzer finds replays from what it records, on a fresh device, even when it needed the state earlier input left.
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { beforeAll, describe, expect, test } from "vitest"
import { Simulation } from "../../../sim/index.js"
import { build, ROOT } from "../../../host/index.js"
import { type FuzzCase, type FuzzInput, fuzzToFailure, serialProperty } from "../../../host/checks/index.js"

/**
 * The superloop build, broken where only a device that has taken in 70 serial
 * chunks goes: from then on it drops every chunk. Bringing the seq up (one
 * chunk per 4 seqs, 64 at most) and any one input (5 chunks at most) take in
 * fewer: the failure needs the inputs before it in its case.
 */
const BROKEN = "superloop-broken-after-70-chunks"
const BREAKS: [string, string][] = [
    ["serial.report().subscribe(pkt => {", "let chunksSoFar = 0\nserial.report().subscribe(pkt => {"],
    ["if (pkt.serviceCommand !== SERIAL_RECEIVED) return", "if (pkt.serviceCommand !== SERIAL_RECEIVED || ++chunksSoFar >= 70) return"],
]

function buildBroken() {
    let source = readFileSync(join(ROOT, "src/mainSuperloop.ts"), "utf8")
    for (const [good, broken] of BREAKS) {
        if (!source.includes(good)) throw new Error(`src/mainSuperloop.ts has no \`${good}\` to break`)
        source = source.replace(good, broken)
    }
    const entry = join("src", `.${BROKEN}.ts`)
    writeFileSync(join(ROOT, entry), source)
    try {
        build(BROKEN, entry)
    } finally {
        rmSync(join(ROOT, entry), { force: true })
    }
}

async function startBroken() {
    const sim = await Simulation.start({ build: BROKEN })
    await sim.untilReady()
    return sim
}

describe("a failure the fuzzer finds", () => {
    beforeAll(buildBroken, 120_000)

    test("on a build broken after 70 chunks, the fuzzer fails, and the case it records fails on its own as a saved regression", async () => {
        const { failure } = await fuzzToFailure(serialProperty, { start: startBroken, inputs: 2000, shrinkMs: 10_000 }, 22)
        expect(failure, "the fuzzer found nothing wrong with the broken build").toBeDefined()
        expect(failure!.replayed).toBe(true)
        // as test/fuzz/regressions.json keeps it, and as test/fuzz/serial.test.ts replays it
        const recorded = JSON.parse(JSON.stringify(failure!.shrunk)) as FuzzCase<FuzzInput>
        const replaying = serialProperty({ start: startBroken, regressions: [recorded] })
        const replayed = await fc.check(replaying.property, { ...replaying.parameters, endOnFailure: true })
        expect(replayed.failed, `the recorded case passed on its own: ${JSON.stringify(recorded)}`).toBe(true)
        expect(replaying.counts.regressions).toBe(1)

        // what a long-lived device made of it before: its last input alone, on a fresh device, passes
        const lastInputAlone = { seqFrom: 0, inputs: recorded.inputs.slice(-1) }
        const alone = serialProperty({ start: startBroken, regressions: [lastInputAlone] })
        expect((await fc.check(alone.property, { ...alone.parameters, endOnFailure: true })).failed).toBe(false)
    }, 600_000)
})
