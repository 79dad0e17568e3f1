// The what-if of a runtime that re-arms its tick before it sleeps, on a hand-made chip.
import { describe, expect, test } from "vitest"
import type { InstructionObserver } from "../../../sim/chip/emulatedTime.js"
import type { Pico } from "../../../sim/chip/pico.js"
import { rearmTickBeforeSleep } from "../../../sim/chip/tickRearm.js"

const MAIN = 0x1000_0100
const WFE_AT = MAIN + 6
const MAX_SLEEP_AT = 0x2000_0400
const ALARM0 = 0x40054010
const TIMERAWL = 0x40054028

/** A chip with the runtime's main loop (its `wfe` at WFE_AT), its timer at 5000 µs and an alarm `armedIn` µs ahead. */
function chip(armedIn: number, maxSleepUs: number) {
    let observer: InstructionObserver = () => {}
    const memory = new Map<number, number>([
        [TIMERAWL, 5000],
        [ALARM0, 5000 + armedIn],
        [MAX_SLEEP_AT, maxSleepUs],
    ])
    const code = new Map<number, number>([[WFE_AT, 0xbf20]])
    const pico = {
        time: { observeInstructions: (o: InstructionObserver) => ((observer = o), () => {}) },
        rp2040: { readUint16: (a: number) => code.get(a) ?? 0x4600, writeUint32: (a: number, v: number) => memory.set(a, v) },
        readWord: (a: number) => memory.get(a) ?? 0,
    } as unknown as Pico
    rearmTickBeforeSleep(pico, [{ name: "main", address: MAIN, size: 16 }], new Map([["jd_max_sleep", { value: MAX_SLEEP_AT, size: 4 }]]))
    return { run: (pc: number) => observer(pc, 1), alarmIn: () => memory.get(ALARM0)! - 5000 }
}

describe("re-arming the runtime's tick before its wfe", () => {
    test("a wake-up armed 10 ms ahead while the VM asked for 1 ms is pulled in when the main loop waits", () => {
        const c = chip(10_000, 1000)
        c.run(MAIN)
        expect(c.alarmIn()).toBe(10_000)
        c.run(WFE_AT)
        expect(c.alarmIn()).toBe(1000)
    })

    test("an earlier wake-up (a frame's flush) stays; no wait below tim_set_timer's 10 µs floor", () => {
        const early = chip(150, 1000)
        early.run(WFE_AT)
        expect(early.alarmIn()).toBe(150)
        const now = chip(10_000, 0)
        now.run(WFE_AT)
        expect(now.alarmIn()).toBe(10)
    })
})
