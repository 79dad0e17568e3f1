// Rule 10 of docs/protocol.md under fuzzed floods, both builds: every answer exactly as the model says, the discarded chunks found from the OVF counts.
import fc from "fast-check"
import { describe, test } from "vitest"
import { BUILD_NAMES, simulateReady, startReady } from "../../support/simulate.js"
import { FLOOD_TEST_RUNS, FLOODS_PER_CASE, type FloodInput, FuzzedDevice, floodProperty, regressionsOf } from "../../../host/checks/index.js"

/** A few generated floods per build in every test run; `npm run fuzz -- --floods N` for long runs. */
const RUNS = Number(process.env.FLOOD_RUNS ?? FLOOD_TEST_RUNS)

/**
 * Issue #22's flood, on a fresh device: `$\n`, then a 21-byte reply and an
 * 83-byte one (seqs written with two leading zeros), cut 1 byte before that
 * reply's `\n`. The flood ends 82 bytes into a frame.
 */
const ENDS_82_BYTES_INTO_A_FRAME: FloodInput = {
    presses: 3,
    pattern: [
        { kind: "reply", seqOffset: 0, zeros: 2, payload: "   2    ", lf: "\n" },
        { kind: "reply", seqOffset: 0, zeros: 2, payload: " ".repeat(69), lf: "\r\n" },
    ],
    bytes: 105,
    chunkSize: 2,
    spreadMs: 0,
    pressesDuring: [],
}

describe.each(BUILD_NAMES)("%s build, fuzzed floods", build => {
    test(`${RUNS} generated floods, in cases of 1 to ${FLOODS_PER_CASE} on a fresh device each, agree with the model of the protocol (docs/protocol.md), rule 10 included`, async () => {
        const { property, parameters } = floodProperty({ start: () => startReady(build), regressions: regressionsOf("flood"), inputs: RUNS })
        await fc.assert(property, { ...parameters, seed: Number(process.env.FUZZ_SEED ?? 20261130) })
    }, 600_000)

    test("a flood that ends 82 bytes into a frame: the `$` that resynchronises is that frame's 83rd byte (ERR,LEN, rule 5)", async () => {
        const device = new FuzzedDevice(await simulateReady(build))
        await device.runFlood(ENDS_82_BYTES_INTO_A_FRAME)
    })
})
