// An emulated Raspberry Pi Pico: rp2040js with the flash, USB host and time this project adds.
import { ConsoleLogger, GPIOPinState, LogLevel, Simulator } from "rp2040js"
import { EmulatedTime } from "./emulatedTime.js"
import { SpiNorFlash } from "./spiNorFlash.js"
import { FlashSsi, QspiChipSelect } from "./ssi.js"
import { FLASH_BASE, loadUf2 } from "./uf2Image.js"
import { UsbCdcHost } from "./usbCdcHost.js"
import { XipTiming } from "./xipTiming.js"

/** The peripheral slots rp2040js maps by address (bits 14 and up, times 4). */
const SSI_SLOT = 0x18000
const IO_QSPI_SLOT = 0x40018
const BOOTROM_BYTES = 16 * 1024

export interface PicoImage {
    /** The RP2040 boot ROM (16 KB). */
    bootrom: Uint8Array
    /** What the Pico's boot drive would be given: runtime, board configuration and program. */
    uf2: Uint8Array
    /** The flash chip's unique ID, which the runtime turns into its Jacdac device ID. */
    flashId?: Uint8Array
}

const DEFAULT_FLASH_ID = Uint8Array.from([0xe6, 0x60, 0x58, 0x38, 0x83, 0x4a, 0x2c, 0x2f])

export interface PicoOptions {
    /** Charge reads of the flash what the XIP cache and the QSPI bus cost (off: rp2040js charges them nothing). */
    xip?: boolean
}

export class Pico {
    readonly simulator = new Simulator()
    readonly rp2040 = this.simulator.rp2040
    readonly time = new EmulatedTime(this.simulator)
    readonly flash: SpiNorFlash
    readonly usb: UsbCdcHost
    /** The XIP cache model, when the Pico was made with `xip: true`. */
    readonly xip?: XipTiming

    constructor(image: PicoImage, options: PicoOptions = {}) {
        const { rp2040 } = this
        rp2040.logger = new ConsoleLogger(LogLevel.Error)
        if (image.bootrom.length !== BOOTROM_BYTES) throw new Error(`a boot ROM is ${BOOTROM_BYTES} bytes, not ${image.bootrom.length}`)
        rp2040.loadBootrom(new Uint32Array(image.bootrom.slice().buffer))
        loadUf2(image.uf2, rp2040.flash)
        this.flash = new SpiNorFlash(rp2040.flash, image.flashId ?? DEFAULT_FLASH_ID)
        const ssi = new FlashSsi(rp2040, this.flash)
        rp2040.peripherals[SSI_SLOT] = ssi
        if (options.xip) this.xip = new XipTiming(rp2040, ssi)
        rp2040.peripherals[IO_QSPI_SLOT] = new QspiChipSelect(rp2040, this.flash)
        this.usb = new UsbCdcHost(rp2040.usbCtrl)
        // The second-stage boot loader at the start of flash, as rp2040js's own demos start;
        // the boot ROM stays loaded for the function tables the SDK calls.
        rp2040.core.PC = FLASH_BASE
    }

    /** Drives an input pin from outside (a button, a wire). */
    driveInput(pin: number, high: boolean): void {
        this.rp2040.gpio[pin].setInputValue(high)
    }

    /**
     * Calls `listener` with each change of whether the chip drives `pin` high: an LED
     * from the pin to ground is lit only then (the runtime turns it off by making the
     * pin an input with its pull-down).
     */
    watchOutput(pin: number, listener: (high: boolean) => void): void {
        const gpio = this.rp2040.gpio[pin]
        let last = gpio.value === GPIOPinState.High
        gpio.addListener(state => {
            const high = state === GPIOPinState.High
            if (high !== last) listener(high)
            last = high
        })
    }

    /** Reads a 32-bit word of the chip's memory (RAM, flash, registers). */
    readWord(address: number): number {
        return this.rp2040.readUint32(address) >>> 0
    }
}
