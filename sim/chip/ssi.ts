// The RP2040's flash interface (SSI, 0x18000000) with the flash chip behind it, and the QSPI chip-select pin.
import { BasePeripheral, type RP2040 } from "rp2040js"
import type { SpiNorFlash } from "./spiNorFlash.js"

const SSI_SSIENR = 0x08
const SSI_TXFLR = 0x20
const SSI_RXFLR = 0x24
const SSI_SR = 0x28
const SSI_DR0 = 0x60
const SSI_IDR = 0x58
const SSI_VERSION_ID = 0x5c
const SR_TFNF = 0x02
const SR_TFE = 0x04
const SR_RFNE = 0x08
const RX_FIFO_DEPTH = 16

/**
 * The SSI in its plain SPI use: every byte written to DR0 is clocked to the
 * flash at once and the byte clocked back waits in the receive FIFO. The
 * transmit FIFO is always empty, so software that counts FIFO levels (the
 * boot ROM's `flash_put_get`) never waits. Bytes sent while the chip select is
 * not forced low (the second-stage boot loader's XIP setup) get 0 back, which
 * tells it the flash is idle.
 */
export class FlashSsi extends BasePeripheral {
    private readonly registers = new Map<number, number>()
    private readonly rxFifo: number[] = []
    private readonly configureListeners: (() => void)[] = []

    constructor(
        rp2040: RP2040,
        private readonly flash: SpiNorFlash,
    ) {
        super(rp2040, "SSI")
    }

    override readUint32(offset: number): number {
        switch (offset) {
            case SSI_TXFLR:
                return 0
            case SSI_RXFLR:
                return this.rxFifo.length
            case SSI_SR:
                return SR_TFE | SR_TFNF | (this.rxFifo.length ? SR_RFNE : 0)
            case SSI_DR0:
                return this.rxFifo.shift() ?? 0
            case SSI_IDR:
                return 0x51535049
            case SSI_VERSION_ID:
                return 0x3430312a
            default:
                return this.registers.get(offset) ?? 0
        }
    }

    override writeUint32(offset: number, value: number): void {
        if (offset === SSI_DR0) return this.transmit(value & 0xff)
        if (offset === SSI_SSIENR && !(value & 1)) this.rxFifo.length = 0
        this.registers.set(offset, value)
        for (const listener of this.configureListeners) listener()
    }

    /** The value last written to a configuration register (0 when never written). */
    register(offset: number): number {
        return this.registers.get(offset) ?? 0
    }

    /** Calls `listener` after each write to a configuration register (anything but the data register). */
    onConfigure(listener: () => void): void {
        this.configureListeners.push(listener)
    }

    private transmit(byte: number): void {
        const reply = this.flash.isSelected ? this.flash.transfer(byte) : 0
        if (this.rxFifo.length < RX_FIFO_DEPTH) this.rxFifo.push(reply)
    }
}

const GPIO_QSPI_SS_CTRL = 0x0c
const OUTOVER_SHIFT = 8
const OUTOVER_LOW = 2

/** IO_QSPI (0x40018000): its registers as plain storage; forcing the SS pin low selects the flash. */
export class QspiChipSelect extends BasePeripheral {
    private readonly registers = new Map<number, number>()

    constructor(
        rp2040: RP2040,
        private readonly flash: SpiNorFlash,
    ) {
        super(rp2040, "IO_QSPI")
    }

    override readUint32(offset: number): number {
        return this.registers.get(offset) ?? 0
    }

    override writeUint32(offset: number, value: number): void {
        this.registers.set(offset, value)
        if (offset !== GPIO_QSPI_SS_CTRL) return
        const forcedLow = ((value >>> OUTOVER_SHIFT) & 3) === OUTOVER_LOW
        if (forcedLow && !this.flash.isSelected) this.flash.select()
        else if (!forcedLow && this.flash.isSelected) this.flash.deselect()
    }
}
