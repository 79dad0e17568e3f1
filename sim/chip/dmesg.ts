// The runtime's log (DMESG) as it is written: jacdac-c's ring buffer `codalLogStore` in the emulated RAM (source/jd_dmesg.c).
import type { Symbols } from "./elfSymbols.js"
import type { Pico } from "./pico.js"

const RAM_BASE = 0x2000_0000
/** struct CodalLogStore { uint32_t ptr; char buffer[JD_DMESG_BUFFER_SIZE]; } */
const BUFFER_OFFSET = 4

/**
 * Reads the lines the runtime logs, each once, in order. `jd_dmesg_write` appends at
 * `ptr` and, when the buffer is full, writes the rest from its start; so whatever
 * came since the last look lies between the old `ptr` and the new one, wrapping at
 * the end. Looked at more often than the buffer fills (4 KB of log), nothing is lost.
 */
export class DmesgReader {
    private readonly storeAt: number
    private readonly bufferBytes: number
    private readAt: number
    /** The start of a line whose end has not been written yet. */
    private partial = ""

    constructor(
        private readonly pico: Pico,
        symbols: Symbols,
    ) {
        const store = symbols.get("codalLogStore")
        if (!store) throw new Error("the runtime's ELF has no codalLogStore (its DMESG buffer)")
        this.storeAt = store.value
        this.bufferBytes = store.size - BUFFER_OFFSET
        this.readAt = this.writeAt()
    }

    /** Where the runtime writes next (0 when nothing has been written: a fresh RAM reads 0). */
    private writeAt(): number {
        return Math.min(this.pico.readWord(this.storeAt), this.bufferBytes)
    }

    /** Every whole line written since the last call (the first call: since the reader was made). */
    newLines(): string[] {
        const writeAt = this.writeAt()
        if (writeAt === this.readAt) return []
        const text = writeAt > this.readAt ? this.text(this.readAt, writeAt) : this.text(this.readAt, this.bufferBytes) + this.text(0, writeAt)
        this.readAt = writeAt
        const lines = (this.partial + text).split("\n")
        this.partial = lines.pop()!
        return lines
    }

    private text(from: number, to: number): string {
        const start = this.storeAt + BUFFER_OFFSET - RAM_BASE
        const bytes = this.pico.rp2040.sram.subarray(start + from, start + to)
        const end = bytes.indexOf(0)
        return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString("latin1")
    }
}
