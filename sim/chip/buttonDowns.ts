// When the runtime's button server saw the button go down: its "down" event, caught as it is sent.
import type { ElfFunction, Symbols } from "./elfSymbols.js"
import type { FlashBreakpoints } from "./flashBreakpoints.js"
import type { Pico } from "./pico.js"

/** jacdac-c's JD_BUTTON_EV_DOWN. */
const BUTTON_DOWN = 0x01

/**
 * Calls `listener` each time jacdac-c's button server (services/button.c) sends its
 * "down" event: `jd_send_event_ext(state, JD_BUTTON_EV_DOWN, …)` with a service state
 * whose table is `button_vt`. The server samples its pin only when the runtime's main
 * loop comes round (about every 9 ms when idle): a press shorter than the longest turn
 * of that loop may never be seen.
 */
export function watchButtonDowns(pico: Pico, breakpoints: FlashBreakpoints, symbols: Symbols, functions: ElfFunction[], listener: () => void): void {
    const sendEvent = functions.filter(f => f.name === "jd_send_event_ext")
    const buttonTable = symbols.get("button_vt")
    if (sendEvent.length !== 1 || !buttonTable) throw new Error("the runtime's ELF has no single jd_send_event_ext, or no button_vt")
    const registers = pico.rp2040.core.registers
    breakpoints.add(sendEvent[0].address, () => {
        if (registers[1] === BUTTON_DOWN && pico.readWord(registers[0]) === buttonTable.value) listener()
    })
}
