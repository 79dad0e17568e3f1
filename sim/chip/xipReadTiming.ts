// What a cache miss costs: the QSPI transfer the SSI makes for one 8-byte line, as its registers describe it.
import { XIP_CACHE } from "./xipCache.js"

export const SSI_REGISTER = {
    CTRLR0: 0x00,
    SSIENR: 0x08,
    BAUDR: 0x14,
    RX_SAMPLE_DLY: 0xf0,
    SPI_CTRLR0: 0xf4,
} as const

/** The SSI registers that shape an XIP read, as last written. */
export interface SsiXipRegisters {
    ctrlr0: number
    ssienr: number
    baudr: number
    rxSampleDelay: number
    spiCtrlr0: number
}

export function readSsiXipRegisters(register: (offset: number) => number): SsiXipRegisters {
    return {
        ctrlr0: register(SSI_REGISTER.CTRLR0),
        ssienr: register(SSI_REGISTER.SSIENR),
        baudr: register(SSI_REGISTER.BAUDR),
        rxSampleDelay: register(SSI_REGISTER.RX_SAMPLE_DLY),
        spiCtrlr0: register(SSI_REGISTER.SPI_CTRLR0),
    }
}

/** One line fill on the serial bus, in SCK clocks per phase, and in system clock cycles. */
export interface LineFill {
    /** SPI_FRF: 1 (standard), 2 (dual) or 4 (quad) data lines. */
    lanes: number
    /** BAUDR.SCKDV: system clocks per SCK. */
    clockDivider: number
    instructionClocks: number
    /** Address and mode bits (in continuous-read mode, the mode bits stand in for the command). */
    addressClocks: number
    waitClocks: number
    dataClocks: number
    serialClocks: number
    /** RX_SAMPLE_DLY, in system clocks. */
    sampleDelayCycles: number
    /** What the core waits on a miss: serialClocks x clockDivider + the sample delay. */
    cycles: number
}

const TMOD_EEPROM_READ = 3
const TRANS_TYPE_1C2A = 1
const TRANS_TYPE_2C2A = 2
const INSTRUCTION_BITS = [0, 4, 8, 16]
const LANES = [1, 2, 4]

const field = (value: number, lsb: number, bits: number) => (value >>> lsb) & ((1 << bits) - 1)

/**
 * The transfer the SSI makes for a miss: the instruction (none in continuous-read
 * mode), the address and mode bits, the wait cycles, then one line of data in frames
 * of DFS_32 + 1 bits. Undefined when the SSI is not set up for XIP reads (disabled,
 * not in EEPROM-read mode, or no clock): then the flash is being programmed, or boot
 * has not set it up yet. Chip-select and bus handshakes are left out, so this is a
 * lower bound of a real miss.
 */
export function lineFillTiming(registers: SsiXipRegisters): LineFill | undefined {
    const { ctrlr0, spiCtrlr0 } = registers
    const clockDivider = registers.baudr & 0xffff
    if (!(registers.ssienr & 1) || field(ctrlr0, 8, 2) !== TMOD_EEPROM_READ || clockDivider === 0) return undefined
    const lanes = LANES[field(ctrlr0, 21, 2)] ?? 1
    const frameBits = field(ctrlr0, 16, 5) + 1
    const transType = field(spiCtrlr0, 0, 2)
    const instructionLanes = transType === TRANS_TYPE_2C2A ? lanes : 1
    const addressLanes = transType === TRANS_TYPE_1C2A || transType === TRANS_TYPE_2C2A ? lanes : 1
    const instructionClocks = Math.ceil(INSTRUCTION_BITS[field(spiCtrlr0, 8, 2)] / instructionLanes)
    const addressClocks = Math.ceil((field(spiCtrlr0, 2, 4) * 4) / addressLanes)
    const waitClocks = field(spiCtrlr0, 11, 5)
    const frames = Math.ceil((XIP_CACHE.lineBytes * 8) / frameBits)
    const dataClocks = Math.ceil((frames * frameBits) / lanes)
    const serialClocks = instructionClocks + addressClocks + waitClocks + dataClocks
    const sampleDelayCycles = registers.rxSampleDelay & 0xff
    return {
        lanes,
        clockDivider,
        instructionClocks,
        addressClocks,
        waitClocks,
        dataClocks,
        serialClocks,
        sampleDelayCycles,
        cycles: serialClocks * clockDivider + sampleDelayCycles,
    }
}
