// Protocol rules 4-8 (docs/protocol.md) under fuzzed serial input, both builds, against the host-side model.
import fc from "fast-check"
import { describe, test } from "vitest"
import { BUILD_NAMES, startReady } from "../../support/simulate.js"
import { SERIAL_INPUTS_PER_CASE, SERIAL_TEST_RUNS, serialProperty, regressionsOf } from "../../../host/checks/index.js"

/** At least 2,000 generated inputs per build in every test run; `npm run fuzz -- --runs N` for long runs. */
const RUNS = Number(process.env.FUZZ_RUNS ?? SERIAL_TEST_RUNS)

describe.each(BUILD_NAMES)("%s build, fuzzed serial input", build => {
    test(`${RUNS} generated inputs, in cases of 1 to ${SERIAL_INPUTS_PER_CASE} on a fresh device each, agree with the model of the protocol`, async () => {
        const { property, parameters } = serialProperty({ start: () => startReady(build), regressions: regressionsOf("serial"), inputs: RUNS })
        await fc.assert(property, { ...parameters, seed: Number(process.env.FUZZ_SEED ?? 20261125) })
    }, 600_000)
})
