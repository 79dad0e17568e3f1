// Panics and resets inside the emulated Pico, each made on purpose by calling the runtime's own function, are reported.
import { readFileSync } from "node:fs"
import { afterEach, describe, expect, test } from "vitest"
import { ChipFiles, findRuntimeElf, readElfSymbols, callWhileIdle, startChip, type ChipSimulation, type Symbols } from "../../../sim/index.js"
import { ROOT } from "../../../host/index.js"

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)
const elf = paths && findRuntimeElf(paths.runtime)
/** The runtime's devs_panic prints the code it is given. */
const PANIC_CODE = 4321

// The functions' addresses need the runtime's symbols, which only a local build has (DeviceScript's releases ship the UF2 alone).
describe.skipIf(!elf)("what goes wrong inside the emulated Pico is reported (async build)", () => {
    let sim: ChipSimulation | undefined
    const symbols: Symbols = elf ? readElfSymbols(readFileSync(elf)) : new Map()
    const address = (name: string) => symbols.get(name)!.value

    afterEach(() => sim?.stop())

    async function idleChip(): Promise<ChipSimulation> {
        sim = await startChip({ build: "async" })
        await sim.advance(20)
        expect(await sim.untilMainLoop(100)).toBe(true)
        expect(sim.crashes()).toEqual([])
        return sim
    }

    /** Makes the waiting core jump into `name` as if its main loop had called it; it never returns. */
    function enter(chip: ChipSimulation, name: string) {
        const core = chip.pico.rp2040.core
        core.LR = core.PC | 1
        core.PC = address(name) & ~1
        core.waiting = false
    }

    test("a panic of the program (devs_panic), then its restart", { timeout: 300_000 }, async () => {
        const chip = await idleChip()
        const ctx = callWhileIdle(chip.pico, address("devsmgr_get_ctx"), [])
        callWhileIdle(chip.pico, address("devs_panic"), [ctx, PANIC_CODE])
        await chip.advance(10)
        expect(chip.crashes()).toEqual([expect.stringMatching(new RegExp(`^panic at .*: the program panicked: "! Exception: Panic_${PANIC_CODE}`))])
        // the runtime's program manager starts it again 5 s later
        await chip.until(() => chip.frames.filter(f => f.type === "RDY").length > 1, 8000, "a second RDY")
        expect(chip.crashRecords().map(c => c.kind)).toEqual(["panic", "reset"])
    })

    test("a panic of the runtime (hw_panic)", { timeout: 300_000 }, async () => {
        const chip = await idleChip()
        enter(chip, "hw_panic")
        await chip.advance(5)
        expect(chip.crashes()).toEqual([expect.stringMatching(/^panic at .*: hw_panic/)])
    })

    test("a system reset (the runtime's target_reset)", { timeout: 300_000 }, async () => {
        const chip = await idleChip()
        enter(chip, "target_reset")
        await chip.advance(5)
        expect(chip.crashes()).toEqual([expect.stringMatching(/^reset at .*: system reset requested/)])
    })
})
