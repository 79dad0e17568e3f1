// Calls one of the runtime's own functions on the emulated core, between two instructions, and puts the core back as it was.
import type { Pico } from "./pico.js"

/** Where the called function "returns" to: never executed, the call stops when the core gets there. */
const RETURN_ADDRESS = 0x00000200
const CALL_LIMIT_NS = 10_000_000

/**
 * Calls the thumb function at `address` with `args` (r0-r3) while the core sleeps
 * in its main loop (`wfe`), as if the main loop had called it, and returns r0. The
 * registers are restored afterwards and the core goes back to its wait. What the
 * function did to memory and peripherals stays.
 */
export function callWhileIdle(pico: Pico, address: number, args: number[]): number {
    const core = pico.rp2040.core
    if (!core.waiting || core.IPSR !== 0) throw new Error("the core must be waiting in thread mode (its main loop's wfe)")
    return callInThreadMode(pico, address, args)
}

/**
 * Calls the thumb function at `address` with `args` (r0-r3) from where the core is
 * now, in thread mode, and returns r0; the registers (and a wait the core was in)
 * are restored afterwards. The caller chooses a moment where the runtime itself
 * could have made the call: its main loop's `wfe`, or its main loop about to take
 * the next received frame (see ChipSimulation.untilMainLoop).
 */
export function callInThreadMode(pico: Pico, address: number, args: number[]): number {
    const core = pico.rp2040.core
    if (core.IPSR !== 0) throw new Error("the core must be in thread mode, not in an interrupt handler")
    if (args.length > 4) throw new Error("at most 4 arguments (r0-r3)")
    const saved = { registers: core.registers.slice(), apsr: core.APSR, pm: core.PM, waiting: core.waiting }
    args.forEach((value, i) => (core.registers[i] = value >>> 0))
    core.LR = RETURN_ADDRESS | 1
    core.PC = address & ~1
    core.waiting = false
    const end = pico.time.nanos + CALL_LIMIT_NS
    pico.time.run(end, () => core.PC === RETURN_ADDRESS && core.IPSR === 0)
    if (core.PC !== RETURN_ADDRESS) throw new Error(`the function at 0x${address.toString(16)} did not return within ${CALL_LIMIT_NS / 1e6} ms`)
    const result = core.registers[0]
    core.registers.set(saved.registers)
    core.APSR = saved.apsr
    core.PM = saved.pm
    core.waiting = saved.waiting
    return result
}
