// The RP2040 runtime's lost timer wake-up (devicescript-pico src/tim.c, tim_set_timer), reproduced with the superloop build.
import { afterAll, expect, test } from "vitest"
import { startChip, type ChipSimulation } from "../../sim/chip/index.js"
import { TimerStalls } from "../../sim/chip/timerStalls.js"

let sim: ChipSimulation | undefined
afterAll(() => sim?.stop())

test(
    "idle, the superloop build loses a timer wake-up and the core sleeps until the host's next packet",
    { timeout: 900_000 },
    async () => {
        sim = await startChip({ build: "superloop" })
        const watch = new TimerStalls(sim.pico.rp2040, sim.pico.time)
        const since = sim.now
        // A pass every LOOP_MS (10 ms) should wake the core at least that often; a lost wake-up
        // needs a timer due at the instant the runtime goes to sleep, about one in 10 s idle here.
        await sim.until(() => watch.stalls.some(s => s.ms > 100), 12_000, "a timer stall")
        const [stall] = watch.stalls.filter(s => s.ms > 100)
        expect(watch.lostAlarms).toBeGreaterThanOrEqual(1)
        expect(stall.at).toBeGreaterThan(since)
        // The host's jacdac-ts bus announces itself every 500 ms; its packet's USB interrupt ends the stall.
        expect(stall.ms).toBeGreaterThan(100)
        expect(stall.ms).toBeLessThanOrEqual(520)
    },
)
