// What the XIP cache model saw during a run: the SSI setup it was told at boot, and its reads and misses over a window.
import { type ChipSimulation, type CpuUse, type LineFill, type SsiXipRegisters, type XipTiming, type XipUse } from "../../sim/index.js"
import { round } from "../lib/stats.js"

export interface XipWindow {
    /** Reads of the flash window by the core. */
    reads: number
    /** Those the flash served (misses and uncached reads). */
    flashReads: number
    missRate: number
    /** The share of all cycles in the window the core spent waiting for the flash. */
    stallShare: number
}

export interface XipFigures {
    /** The SSI registers at the end of boot (the last XIP setup), in hex, and the line fill they give. */
    registers: Record<keyof SsiXipRegisters, string>
    lineFill: LineFill
    idle: XipWindow
    load: XipWindow
}

/** The XIP and CPU counters at one moment, when the chip has the XIP model. */
export interface XipMark {
    xip: XipUse
    cpu: CpuUse
}

export function xipMark(sim: ChipSimulation): XipMark | undefined {
    const { xip, time } = sim.pico
    return xip && { xip: xip.snapshot(), cpu: time.snapshot() }
}

export function xipWindow(before: XipMark, after: XipMark): XipWindow {
    const reads = after.xip.reads - before.xip.reads
    const flashReads = after.xip.flashReads - before.xip.flashReads
    const cycles = after.cpu.busyCycles + after.cpu.idleCycles - before.cpu.busyCycles - before.cpu.idleCycles
    return {
        reads,
        flashReads,
        missRate: round(reads ? flashReads / reads : 0, 4),
        stallShare: round(cycles ? (after.xip.stallCycles - before.xip.stallCycles) / cycles : 0, 4),
    }
}

/** What the model was told at the end of boot: the SSI's last XIP setup. */
export function xipSetupAtBoot(xip: XipTiming): Pick<XipFigures, "registers" | "lineFill"> {
    const setup = xip.setups.at(-1)
    if (!setup) throw new Error("the SSI was never set up for XIP reads")
    const hex = (v: number) => `0x${v.toString(16).padStart(8, "0")}`
    const registers = Object.fromEntries(Object.entries(setup.registers).map(([k, v]) => [k, hex(v)])) as XipFigures["registers"]
    return { registers, lineFill: setup.lineFill }
}
