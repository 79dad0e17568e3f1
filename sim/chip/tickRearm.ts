// A what-if for the RP2040 runtime: its main loop re-arms the tick timer with the final max sleep before it waits (wfe).
import type { ElfFunction, Symbols } from "./elfSymbols.js"
import type { Pico } from "./pico.js"

const WFE = 0xbf20
const TIMER_ALARM0 = 0x40054010
const TIMER_TIMERAWL = 0x40054028
/** tim_set_timer's floor (µs). */
const MIN_DELAY_US = 10

/**
 * The runtime arms its next wake-up only from the timer interrupt (jacdac-c's
 * `tick`, or the frame flush a sent packet schedules), with `jd_max_sleep` as it is
 * then. `jd_process_everything` sets that to 10 ms (JD_MIN_MAX_SLEEP) when it
 * starts and the VM lowers it only when its handler ends, so an interrupt in the
 * middle of a long VM run arms the wake-up 10 ms ahead, whatever the VM or the
 * main loop (1 ms) asked for. This hook models the fix: each time the main loop
 * executes its `wfe`, a wake-up armed further ahead than `jd_max_sleep` is pulled
 * in to `jd_max_sleep` (at least 10 µs) from now. Returns a function that removes it.
 */
export function rearmTickBeforeSleep(pico: Pico, functions: ElfFunction[], symbols: Symbols): () => void {
    const main = functions.find(f => f.name === "main")
    const maxSleep = symbols.get("jd_max_sleep")
    if (!main || !maxSleep) throw new Error("the runtime's ELF has no main or jd_max_sleep")
    let wfeAt = -1
    for (let at = main.address; at < main.address + main.size; at += 2) if (pico.rp2040.readUint16(at) === WFE) wfeAt = at
    if (wfeAt < 0) throw new Error("no wfe in the runtime's main loop")
    return pico.time.observeInstructions(pc => {
        if (pc !== wfeAt) return
        const now = pico.readWord(TIMER_TIMERAWL)
        const wanted = Math.max(MIN_DELAY_US, pico.readWord(maxSleep.value))
        const armedIn = (pico.readWord(TIMER_ALARM0) - now) | 0
        if (armedIn > wanted) pico.rp2040.writeUint32(TIMER_ALARM0, (now + wanted) >>> 0)
    })
}
