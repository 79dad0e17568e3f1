// Protocol rules 4-8 (docs/protocol.md) under fuzzed serial input, both builds, against the host-side model.
import fc from "fast-check"
import { afterAll, describe, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { SERIAL_TEST_RUNS, serialProperty, regressionsOf } from "../../../host/checks/index.js"

/** At least 2,000 generated inputs per build in every test run; `npm run fuzz -- --runs N` for long runs. */
const RUNS = Number(process.env.FUZZ_RUNS ?? SERIAL_TEST_RUNS)

describe.each(BUILD_NAMES)("%s build, fuzzed serial input", build => {
    const regressions = regressionsOf("serial")
    const { property, stop } = serialProperty(() => simulateReady(build), undefined, regressions.length)
    afterAll(stop)

    test(`${RUNS} generated inputs agree with the model of the protocol`, async () => {
        await fc.assert(property, {
            numRuns: RUNS,
            seed: Number(process.env.FUZZ_SEED ?? 20261125),
            examples: regressions.map(input => [input]),
        })
    }, 600_000)
})
