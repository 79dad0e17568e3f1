// The figures' own arithmetic: steady rates press exactly rate × seconds, floods offer exactly their rate.
import { describe, expect, test } from "vitest"
import { flood, LINE_RATE_BYTES_PER_SEC } from "../../../tools/lib/floods.js"
import { steadyRate } from "../../../tools/compare/scenarios.js"
import type { Instrumentation } from "../../../tools/lib/vmRun.js"

/** No instrumented VM: the counts here do not need it. */
const plain: Instrumentation = { options: () => ({}), work: () => ({ instructions: 0, fiberRuns: 0 }), heapLiveBytes: async () => 0 }

describe("steady rates", () => {
    test("60 presses a second for 2 s are 120 presses, not 121", async () => {
        const result = await steadyRate("superloop", plain, 60, 2)
        expect(result.presses).toBe(120)
        expect(result.reqs + result.busy).toBe(120)
    })
})

describe("floods", () => {
    test("one second at line rate offers 49 chunks of 236 bytes, and the peer's replies to 3 presses", async () => {
        expect(LINE_RATE_BYTES_PER_SEC).toBe(11_520)
        const row = await flood("async", plain, { label: "bad-checksum frames", pattern: "$A*00\n", timesLineRate: 1, seconds: 1 })
        expect(row.presses).toBe(3)
        // chunk k goes at k × 236 / 11,520 s: k = 0 … 48 fall within the second; each reply `$RES,<seq>,ok*HH\r\n` is 14 bytes
        expect(row.offeredBytes).toBe(49 * 236 + row.reqs * 14)
        expect(row.crashes).toEqual([])
    })
})
