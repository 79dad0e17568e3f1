// The RP2040 runtime's lost timer wake-up (devicescript-pico src/tim.c, tim_set_timer), reproduced on the emulated Pico.
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ChipFiles, findRuntimeElf, readElfSymbols, type Symbols, callWhileIdle, startChip, type ChipSimulation, TimerStalls, type TimerStall } from "../../../sim/index.js"
import { ROOT } from "../../../host/index.js"

/** What jacdac-c's physical layer passes tim_set_timer for "sleep as long as allowed" (JD_MIN_MAX_SLEEP, µs). */
const MAX_SLEEP_MARKER = 10_000
const TIMER_ALARM0 = 0x40054010
const TIMER_TIMERAWL = 0x40054028

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)
const elf = paths && findRuntimeElf(paths.runtime)

// The call needs the runtime's symbols, which only a local build has (DeviceScript's releases ship the UF2 alone).
describe.skipIf(!elf)("the runtime's tim_set_timer, called as its main loop does, on the emulated Pico", () => {
    let sim: ChipSimulation
    let symbols: Symbols
    let watch: TimerStalls

    beforeAll(async () => {
        symbols = readElfSymbols(readFileSync(elf!))
        sim = await startChip({ build: "superloop" })
        watch = new TimerStalls(sim.pico.rp2040, sim.pico.time)
    }, 400_000)
    afterAll(() => sim?.stop())

    const symbol = (name: string) => symbols.get(name)!.value

    /**
     * Runs on until the core next waits in its main loop, then calls tim_set_timer(delta,
     * the current callback) with `maxSleepUs` as jd_max_sleep; returns when, and how many
     * µs ahead of the timer the alarm was set.
     */
    async function setTimerWhenIdle(delta: number, maxSleepUs: number): Promise<{ at: number; aheadUs: number }> {
        await sim.advance(20)
        const core = sim.pico.rp2040.core
        sim.pico.time.run(sim.pico.time.nanos + 50_000_000, () => core.waiting && core.IPSR === 0)
        const at = sim.now
        sim.pico.rp2040.writeUint32(symbol("jd_max_sleep"), maxSleepUs)
        const callback = sim.pico.readWord(symbol("timer_cb"))
        callWhileIdle(sim.pico, symbol("tim_set_timer"), [delta, callback])
        const aheadUs = (sim.pico.readWord(TIMER_ALARM0) - sim.pico.readWord(TIMER_TIMERAWL)) | 0
        return { at, aheadUs }
    }

    test("the marker is replaced by jd_max_sleep: at 2 ms, the alarm is set 2 ms ahead and the core wakes on time", { timeout: 300_000 }, async () => {
        const { at, aheadUs } = await setTimerWhenIdle(MAX_SLEEP_MARKER, 2000)
        expect(aheadUs).toBeGreaterThan(1900)
        expect(aheadUs).toBeLessThanOrEqual(2000)
        await sim.advance(3)
        // later calls by the released runtime itself may still lose a wake-up: only this one counts here
        expect(watch.stalls.filter(s => s.at >= at && s.at < at + 3)).toEqual([])
    })

    test("with jd_max_sleep at 0, the alarm is set for a time already past: the wake-up is lost", { timeout: 300_000 }, async () => {
        const { aheadUs } = await setTimerWhenIdle(MAX_SLEEP_MARKER, 0)
        expect(aheadUs).toBeLessThanOrEqual(0)
    })

    test("a delay below 10 µs is raised to 10 µs: only the marker's replacement skips that floor", { timeout: 300_000 }, async () => {
        const { aheadUs } = await setTimerWhenIdle(3, 0)
        expect(aheadUs).toBeGreaterThan(0)
        expect(aheadUs).toBeLessThanOrEqual(10)
    })

    test("after a lost wake-up with no other interrupt due, the core sleeps until the host's next packet", { timeout: 600_000 }, async () => {
        // another interrupt (a USB packet) may come at once and hide the loss; within a few tries one does not
        let stall: TimerStall | undefined
        for (let attempt = 0; attempt < 5 && !stall; attempt++) {
            const { at } = await setTimerWhenIdle(MAX_SLEEP_MARKER, 0)
            await sim.advance(600)
            stall = watch.stalls.find(s => s.at >= at && s.ms > 100)
        }
        expect(stall, "no stall in 5 tries").toBeDefined()
        // the superloop wakes every 10 ms; the host bus's packets (jacdac-ts announces every 500 ms) end the stall
        expect(stall!.ms).toBeLessThanOrEqual(520)
    })
})
