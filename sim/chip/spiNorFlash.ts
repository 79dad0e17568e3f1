// A SPI NOR flash (W25Q16-like) as the RP2040's boot ROM and the pico-sdk drive it: one command per chip select.

const COMMAND = {
    writeEnable: 0x06,
    writeDisable: 0x04,
    readStatus1: 0x05,
    readStatus2: 0x35,
    read: 0x03,
    fastRead: 0x0b,
    pageProgram: 0x02,
    sectorErase4k: 0x20,
    blockErase32k: 0x52,
    blockErase64k: 0xd8,
    chipErase: 0xc7,
    chipEraseAlt: 0x60,
    readUniqueId: 0x4b,
    readJedecId: 0x9f,
} as const

const STATUS_WRITE_ENABLED = 0x02
/** Status register 2 with the quad-enable bit set, so the second-stage boot loader leaves it alone. */
const STATUS2_QUAD_ENABLED = 0x02
const PAGE_SIZE = 256
const JEDEC_ID = [0xef, 0x40, 0x15]
const UNIQUE_ID_DUMMY_BYTES = 4

export interface FlashCounters {
    sectorErases: number
    pagePrograms: number
}

/**
 * The flash chip's command interface over `memory` (the bytes the XIP window
 * reads): unique ID, read, page program, erase, status. Program and erase take
 * effect at once, so the chip is never busy.
 */
export class SpiNorFlash {
    readonly counters: FlashCounters = { sectorErases: 0, pagePrograms: 0 }
    private selected = false
    private command: number[] = []
    private writeEnabled = false

    constructor(
        private readonly memory: Uint8Array,
        private readonly uniqueId: Uint8Array,
    ) {
        if (uniqueId.length !== 8) throw new RangeError("a flash unique ID has 8 bytes")
    }

    select(): void {
        this.selected = true
        this.command = []
    }

    deselect(): void {
        if (this.selected) this.finish()
        this.selected = false
        this.command = []
    }

    get isSelected(): boolean {
        return this.selected
    }

    /** One byte clocked out to the flash while selected; returns the byte it clocks back. */
    transfer(byte: number): number {
        if (!this.selected) return 0xff
        const index = this.command.length
        this.command.push(byte)
        return this.reply(index)
    }

    private reply(index: number): number {
        const [op] = this.command
        if (index === 0) return 0xff
        switch (op) {
            case COMMAND.readStatus1:
                return this.writeEnabled ? STATUS_WRITE_ENABLED : 0
            case COMMAND.readStatus2:
                return STATUS2_QUAD_ENABLED
            case COMMAND.readJedecId:
                return JEDEC_ID[index - 1] ?? 0xff
            case COMMAND.readUniqueId: {
                const at = index - 1 - UNIQUE_ID_DUMMY_BYTES
                return at >= 0 && at < this.uniqueId.length ? this.uniqueId[at] : 0xff
            }
            case COMMAND.read:
                return index >= 4 ? this.readAt(this.address() + index - 4) : 0xff
            case COMMAND.fastRead:
                return index >= 5 ? this.readAt(this.address() + index - 5) : 0xff
            default:
                return 0xff
        }
    }

    private address(): number {
        const [, a2, a1, a0] = this.command
        return (a2 << 16) | (a1 << 8) | a0
    }

    private readAt(address: number): number {
        return this.memory[address % this.memory.length]
    }

    /** Commands that change the memory act when the chip select goes high, as on a real chip. */
    private finish(): void {
        const [op] = this.command
        if (op === COMMAND.writeEnable) this.writeEnabled = true
        else if (op === COMMAND.writeDisable) this.writeEnabled = false
        else if (this.writeEnabled && this.changesMemory(op)) {
            this.writeEnabled = false
            this.apply(op)
        }
    }

    private changesMemory(op: number): boolean {
        const ops: number[] = [
            COMMAND.pageProgram,
            COMMAND.sectorErase4k,
            COMMAND.blockErase32k,
            COMMAND.blockErase64k,
            COMMAND.chipErase,
            COMMAND.chipEraseAlt,
        ]
        return ops.includes(op)
    }

    private apply(op: number): void {
        if (op === COMMAND.chipErase || op === COMMAND.chipEraseAlt) return void this.memory.fill(0xff)
        if (this.command.length < 4) return
        const address = this.address()
        if (op === COMMAND.pageProgram) return this.program(address, this.command.slice(4))
        const size = op === COMMAND.sectorErase4k ? 4096 : op === COMMAND.blockErase32k ? 32768 : 65536
        const start = address - (address % size)
        this.memory.fill(0xff, start, start + size)
        this.counters.sectorErases += size / 4096
    }

    /** Programming only clears bits; the address wraps within its 256-byte page. */
    private program(address: number, data: number[]): void {
        const pageStart = address - (address % PAGE_SIZE)
        data.forEach((byte, i) => {
            const at = pageStart + ((address + i) % PAGE_SIZE)
            this.memory[at] &= byte
        })
        this.counters.pagePrograms++
    }
}
