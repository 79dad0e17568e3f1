// Floods on the emulated Pico, short. The load rule 10 promises to take without loss (a chunk per 40 ms) is more than
// the chip answers (npm run overload -- --chip measures that); a chunk every 200 ms it takes on every build exactly as
// the model says, with nothing lost; and a line-rate flood neither crashes it nor takes its heap past the bound.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, ROOT } from "../../../host/index.js"
import { ChipFiles, findRuntimeElf, type RuntimeFlavour } from "../../../sim/index.js"
import { CHIP_HEAP_BOUND_OVER_IDLE_BYTES, chipFlood, noLossSpec, seenPresses, SUSTAINED_CHUNK_EVERY_MS } from "../../../tools/overload/chipFloods.js"
import { floodSpecs } from "../../../tools/lib/floods.js"

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)
const elf = paths && findRuntimeElf(paths.runtime)
/** As the contract tests on the chip: the firmware, not the released runtime's lost wake-ups (test/support/devices.ts). */
const runtime: RuntimeFlavour = process.env.DEVS_RP2040_RUNTIME_FIXED ? "fixed" : "released"
const SECONDS = 2

// The heap, the button server and the runtime's log need its symbols, which only a local build has (DeviceScript's releases ship the UF2 alone).
describe.skipIf(!elf)("floods on the emulated Pico", () => {
    test.each(BUILD_NAMES)(`%s: a chunk of RES frames every ${SUSTAINED_CHUNK_EVERY_MS} ms for ${SECONDS} s: every answer as the model says, nothing lost, no crash, the heap within its bound`, { timeout: 300_000 }, async build => {
        const row = await chipFlood({ runtime, build, spec: { ...noLossSpec(true, SUSTAINED_CHUNK_EVERY_MS), seconds: SECONDS } })
        expect(row.exact).toBe("as the model says")
        expect(row.answers).toBeGreaterThan(SECONDS * 15)
        expect({ discardedBytes: row.discardedBytes, runtimeOverflows: row.runtimeOverflows, resets: row.resets, panics: row.panics }).toEqual({ discardedBytes: 0, runtimeOverflows: 0, resets: 0, panics: 0 })
        expect(row.collections).toBeGreaterThan(SECONDS)
        expect(row.peakHeapBytes).toBeGreaterThan(row.idleHeapBytes)
        expect(row.peakHeapBytes).toBeLessThanOrEqual(row.idleHeapBytes + CHIP_HEAP_BOUND_OVER_IDLE_BYTES)
    })

    test(`async: bad-checksum frames at line rate for ${SECONDS} s: no reset, no panic, the heap within its bound`, { timeout: 300_000 }, async () => {
        const badChecksum = floodSpecs(true).find(spec => spec.label.startsWith("bad-checksum"))!
        const row = await chipFlood({ runtime, build: "async", spec: { ...badChecksum, seconds: SECONDS } })
        expect({ resets: row.resets, panics: row.panics, crashes: row.crashes }).toEqual({ resets: 0, panics: 0, crashes: [] })
        expect(row.collections).toBeGreaterThan(SECONDS)
        expect(row.peakHeapBytes).toBeGreaterThan(row.idleHeapBytes)
        expect(row.peakHeapBytes).toBeLessThanOrEqual(row.idleHeapBytes + CHIP_HEAP_BOUND_OVER_IDLE_BYTES)
    })
})

describe("the presses the runtime's button server saw", () => {
    test("a press is seen when a down event comes before the next press begins", () => {
        expect(seenPresses([100, 350, 600, 850], [104, 612, 860])).toEqual([100, 600, 850])
        expect(seenPresses([100, 350], [])).toEqual([])
        // a down event late enough to fall after the next press belongs to that one
        expect(seenPresses([100, 350], [351])).toEqual([350])
    })
})
