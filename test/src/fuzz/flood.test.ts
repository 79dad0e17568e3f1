// Rule 10 of docs/protocol.md under fuzzed floods, both builds: every answer exactly as the model says, the discarded chunks found from the OVF counts.
import fc from "fast-check"
import { afterAll, describe, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { FLOOD_TEST_RUNS, floodProperty, regressionsOf } from "../../../host/checks/index.js"

/** A few generated floods per build in every test run; `npm run fuzz -- --floods N` for long runs. */
const RUNS = Number(process.env.FLOOD_RUNS ?? FLOOD_TEST_RUNS)

describe.each(BUILD_NAMES)("%s build, fuzzed floods", build => {
    const regressions = regressionsOf("flood")
    const { property, stop } = floodProperty(() => simulateReady(build), undefined, regressions.length)
    afterAll(stop)

    test(`${RUNS} generated floods agree with the model of the protocol (docs/protocol.md), rule 10 included`, async () => {
        await fc.assert(property, {
            numRuns: RUNS,
            seed: Number(process.env.FUZZ_SEED ?? 20261130),
            examples: regressions.map(input => [input]),
        })
    }, 600_000)
})
