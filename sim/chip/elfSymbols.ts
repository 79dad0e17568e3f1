// The symbol table of the runtime's ELF (32-bit little-endian), for RAM figures read from the running chip.

export type Symbols = Map<string, { value: number; size: number }>

const SHT_SYMTAB = 2

/** Every named symbol of a 32-bit little-endian ELF file. */
export function readElfSymbols(elf: Uint8Array): Symbols {
    const symbols: Symbols = new Map()
    for (const { name, value, size } of elfSymbolEntries(elf)) symbols.set(name, { value, size })
    return symbols
}

export interface ElfFunction {
    name: string
    /** Its first instruction's address (the thumb bit cleared). */
    address: number
    size: number
}

const STT_FUNC = 2

/** The functions of a 32-bit little-endian ELF file, local ones included (several may share a name), by address. */
export function readElfFunctions(elf: Uint8Array): ElfFunction[] {
    return elfSymbolEntries(elf)
        .filter(s => s.type === STT_FUNC)
        .map(s => ({ name: s.name, address: s.value & ~1, size: s.size }))
        .sort((a, b) => a.address - b.address)
}

interface ElfSymbolEntry {
    name: string
    value: number
    size: number
    /** STT_*: the low 4 bits of st_info. */
    type: number
}

function elfSymbolEntries(elf: Uint8Array): ElfSymbolEntry[] {
    const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength)
    const magicOk = elf[0] === 0x7f && elf[1] === 0x45 && elf[2] === 0x4c && elf[3] === 0x46 && elf[4] === 1 && elf[5] === 1
    if (!magicOk) throw new Error("not a 32-bit little-endian ELF file")
    const sectionsAt = view.getUint32(32, true)
    const sectionSize = view.getUint16(46, true)
    const sectionCount = view.getUint16(48, true)
    const section = (i: number) => {
        const at = sectionsAt + i * sectionSize
        return { type: view.getUint32(at + 4, true), offset: view.getUint32(at + 16, true), size: view.getUint32(at + 20, true), link: view.getUint32(at + 24, true) }
    }
    const entries: ElfSymbolEntry[] = []
    const decoder = new TextDecoder()
    for (let i = 0; i < sectionCount; i++) {
        const table = section(i)
        if (table.type !== SHT_SYMTAB) continue
        const names = section(table.link)
        for (let at = table.offset; at + 16 <= table.offset + table.size; at += 16) {
            const nameAt = names.offset + view.getUint32(at, true)
            let end = nameAt
            while (elf[end] !== 0) end++
            const name = decoder.decode(elf.subarray(nameAt, end))
            if (name) entries.push({ name, value: view.getUint32(at + 4, true), size: view.getUint32(at + 8, true), type: elf[at + 12] & 0xf })
        }
    }
    return entries
}

export interface RamUse {
    /** .data and .bss: RAM the runtime reserves at link time. */
    staticBytes: number
    /** The C heap (newlib's sbrk break above the static data), the DeviceScript heap included. */
    heapBytes: number
}

/** RAM in use now, from the linker's symbols and the sbrk break the runtime keeps in RAM. */
export function ramUse(symbols: Symbols, readWord: (address: number) => number): RamUse {
    const get = (name: string) => {
        const symbol = symbols.get(name)
        if (!symbol) throw new Error(`the runtime's ELF has no symbol ${name}`)
        return symbol.value
    }
    const end = get("__end__")
    const brk = readWord(get("heap_end.0"))
    return { staticBytes: get("__bss_end__") - get("__data_start__"), heapBytes: brk ? brk - end : 0 }
}
