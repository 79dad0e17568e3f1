// The cycle profile's parts on hand-made input: counting by address, folding by function, the categories, the shares.
import { Simulator } from "rp2040js"
import { describe, expect, test } from "vitest"
import { CycleCounter, foldByFunction, functionAt, NO_SYMBOL } from "../../../sim/chip/cycleProfile.js"
import { EmulatedTime, type InstructionObserver } from "../../../sim/chip/emulatedTime.js"
import { categorize, isHelper, profileShares, sharesAddingToOne, veneerTarget } from "../../../sim/chip/profileCategories.js"
import { type ElfFunction, readElfFunctions } from "../../../sim/chip/elfSymbols.js"

const FLASH = 0x1000_0000

/** A runtime image as its symbol table would describe it, sorted by address. */
const FUNCTIONS: ElfFunction[] = [
    { name: "devs_vm_exec_opcode", address: FLASH + 0x100, size: 0x40 },
    { name: "lookup", address: FLASH + 0x140, size: 0x20 }, // a local with a generic name
    { name: "devs_map_set", address: FLASH + 0x160, size: 0x20 },
    { name: "mark_block", address: FLASH + 0x200, size: 0x10 },
    { name: "jd_send", address: FLASH + 0x300, size: 0x10 },
    { name: "tud_task", address: FLASH + 0x400, size: 0x10 },
    { name: "__wrap_memset", address: FLASH + 0x500, size: 0 }, // assembly: no size
    { name: "tim_get_micros", address: FLASH + 0x520, size: 0x10 },
    { name: "strlen", address: FLASH + 0x540, size: 0x10 },
    { name: "__tim_get_micros_veneer", address: 0x2000_1000, size: 0x10 },
]

const at = (name: string, offset = 0) => FUNCTIONS.find(f => f.name === name)!.address + offset

/** What the counter needs of the chip, driven by hand: each call runs one "instruction". */
function fakeChip() {
    let observer: InstructionObserver | undefined
    const chip = {
        time: {
            use: { busyCycles: 0, idleCycles: 0 },
            observeInstructions(o: InstructionObserver) {
                observer = o
                return () => (observer = undefined)
            },
        } as unknown as EmulatedTime,
        lr: 0,
        linkRegister: () => chip.lr,
        run(pc: number, cycles = 1) {
            observer?.(pc, cycles)
        },
    }
    return chip
}

describe("finding the function at an address", () => {
    test("within a function's size, in a size-0 (assembly) symbol up to the next one, nowhere in a gap", () => {
        expect(functionAt(FUNCTIONS, at("lookup", 0x1e))?.name).toBe("lookup")
        expect(functionAt(FUNCTIONS, at("__wrap_memset", 0x1e))?.name).toBe("__wrap_memset")
        expect(functionAt(FUNCTIONS, at("mark_block", 0x10))).toBeUndefined()
        expect(functionAt(FUNCTIONS, FLASH)).toBeUndefined()
    })

    test("an alias without a size does not hide the sized symbol at the same address", () => {
        const aliased = [{ name: "alias", address: FLASH, size: 0 }, { name: "real", address: FLASH, size: 8 }, { name: "after", address: FLASH + 0x20, size: 4 }]
        expect(functionAt(aliased, FLASH + 6)?.name).toBe("real")
    })
})

describe("counting cycles by address", () => {
    test("each instruction's cycles go to its address; helpers (boot ROM, given ones) to the caller, interrupted or not", () => {
        const chip = fakeChip()
        const counter = new CycleCounter(chip, [FUNCTIONS.find(f => f.name === "strlen")!])
        counter.start()
        chip.run(at("devs_vm_exec_opcode"), 2)
        chip.run(at("devs_vm_exec_opcode", 2), 1)
        chip.lr = at("mark_block", 4) | 1
        chip.run(0x2630, 3) // the boot ROM's memset, called from mark_block
        chip.run(0x2632, 3)
        chip.run(at("tud_task"), 5) // an interrupt handler in between: its own cycles
        chip.run(0x2634, 3) // back in the ROM, the link register restored
        chip.run(at("mark_block", 4), 2)
        chip.lr = at("lookup", 8) | 1
        chip.run(at("strlen"), 4)
        chip.run(at("lookup", 10), 1)
        const window = counter.stop()
        expect(window.busyCycles).toBe(2 + 1 + 9 + 5 + 2 + 4 + 1)
        expect(window.helperCalls).toEqual([
            { address: at("mark_block", 4), cycles: 9 },
            { address: at("lookup", 8), cycles: 4 },
        ])
        const folded = foldByFunction(window, FUNCTIONS)
        expect(folded.map(f => [f.name, f.cycles, !!f.inHelpers])).toEqual([
            ["mark_block", 9, true],
            ["tud_task", 5, false],
            ["lookup", 4, true],
            ["devs_vm_exec_opcode", 3, false],
            ["mark_block", 2, false],
            ["lookup", 1, false],
        ])
    })

    test("a window counts only what ran while it was open, and its idle cycles", () => {
        const chip = fakeChip()
        const counter = new CycleCounter(chip)
        chip.run(at("jd_send"), 7)
        counter.start()
        chip.time.use.idleCycles += 90
        chip.run(at("jd_send"), 10)
        const window = counter.stop()
        chip.run(at("jd_send"), 7)
        expect(window).toMatchObject({ busyCycles: 10, idleCycles: 90, samples: [{ address: at("jd_send"), cycles: 10 }] })
    })
})

describe("the categories", () => {
    const category = (name: string, address = at(name)) => categorize({ name, address, cycles: 1 }, FUNCTIONS)

    test("by the rules on the names the runtime runs", () => {
        expect(category("devs_vm_exec_opcode")).toMatchObject({ category: "interpreter", why: "devs_…" })
        expect(category("mark_block")).toMatchObject({ category: "gc", why: "mark_block" })
        expect(category("devs_map_set").category).toBe("interpreter")
        expect(category("jd_send").category).toBe("jacdac")
        expect(category("tud_task").category).toBe("usb")
        expect(category("tim_get_micros").category).toBe("rest")
    })

    test("a veneer counts as the function it jumps to", () => {
        expect(veneerTarget("__tim_get_micros_veneer")).toBe("tim_get_micros")
        expect(veneerTarget("____wrap_memcpy_veneer")).toBe("__wrap_memcpy")
        expect(category("__tim_get_micros_veneer").category).toBe("rest")
        expect(isHelper("____wrap_memcpy_veneer")).toBe(true)
        expect(isHelper("tim_get_micros")).toBe(false)
    })

    test("a local no rule names takes its closest named neighbour's category", () => {
        const functions = [...FUNCTIONS, { name: "update", address: FLASH + 0x310, size: 8 }].sort((a, b) => a.address - b.address)
        expect(categorize({ name: "update", address: FLASH + 0x310, cycles: 1 }, functions)).toMatchObject({ category: "jacdac", why: "next to jd_send (jd_…)" })
        expect(categorize({ name: NO_SYMBOL, address: FLASH, cycles: 1 }, FUNCTIONS)).toMatchObject({ category: "rest" })
    })

    test("the shares, asleep included, add up to 1", () => {
        const functions = [category("mark_block"), category("jd_send"), category("devs_map_set")].map((f, i) => ({ ...f, cycles: [30, 10, 60][i] }))
        const shares = profileShares({ busyCycles: 100, idleCycles: 300 }, functions)
        expect(shares).toEqual({ interpreter: 0.15, gc: 0.075, jacdac: 0.025, usb: 0, rest: 0, asleep: 0.75 })
    })

    test("rounded to 4 decimals, the shares still add up to exactly 1", () => {
        const thirds = { interpreter: 1 / 3, gc: 1 / 3, jacdac: 1 / 3, usb: 0, rest: 0, asleep: 0 }
        const rounded = sharesAddingToOne(thirds)
        expect(Object.values(rounded).reduce((a, b) => a + b, 0) * 10_000).toBe(10_000)
        expect(rounded.interpreter).toBe(0.3334)
    })
})

/** A 32-bit little-endian ELF holding only a symbol table and its names. */
function elfWithSymbols(symbols: { name: string; value: number; size: number; type: number }[]): Uint8Array {
    const names = ["", ...symbols.map(s => s.name)].join("\0") + "\0"
    const symtabAt = 52
    const symtabSize = 16 * (symbols.length + 1)
    const strtabAt = symtabAt + symtabSize
    const sectionsAt = strtabAt + names.length + (4 - (names.length % 4))
    const elf = new Uint8Array(sectionsAt + 3 * 40)
    const view = new DataView(elf.buffer)
    elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1])
    view.setUint32(32, sectionsAt, true)
    view.setUint16(46, 40, true)
    view.setUint16(48, 3, true)
    let nameAt = 1
    symbols.forEach((s, i) => {
        const entry = symtabAt + 16 * (i + 1)
        view.setUint32(entry, nameAt, true)
        view.setUint32(entry + 4, s.value, true)
        view.setUint32(entry + 8, s.size, true)
        elf[entry + 12] = s.type
        nameAt += s.name.length + 1
    })
    elf.set(new TextEncoder().encode(names), strtabAt)
    const section = (i: number, type: number, offset: number, size: number, link: number) => {
        const at = sectionsAt + 40 * i
        view.setUint32(at + 4, type, true)
        view.setUint32(at + 16, offset, true)
        view.setUint32(at + 20, size, true)
        view.setUint32(at + 24, link, true)
    }
    section(1, 2, symtabAt, symtabSize, 2)
    section(2, 3, strtabAt, names.length, 0)
    return elf
}

describe("the runtime's functions from its ELF", () => {
    test("functions only (not objects), locals sharing a name kept apart, thumb bit cleared, by address", () => {
        const elf = elfWithSymbols([
            { name: "update", value: 0x1000_0201, size: 8, type: 0x02 },
            { name: "codalLogStore", value: 0x2000_0000, size: 64, type: 0x01 },
            { name: "main", value: 0x1000_0101, size: 16, type: 0x12 },
            { name: "update", value: 0x1000_0181, size: 4, type: 0x02 },
        ])
        expect(readElfFunctions(elf)).toEqual([
            { name: "main", address: 0x1000_0100, size: 16 },
            { name: "update", address: 0x1000_0180, size: 4 },
            { name: "update", address: 0x1000_0200, size: 8 },
        ])
    })
})

describe("observing the emulated core's instructions", () => {
    const SRAM = 0x2000_0000
    const VECTORS = SRAM + 0x1000
    const SVC_HANDLER = SRAM + 0x2000
    const SVC_VECTOR = 11

    test("an interrupt taken before an instruction reports the handler's first instruction, not the interrupted one", () => {
        const simulator = new Simulator()
        const { rp2040 } = simulator
        const core = rp2040.core
        const code = (address: number, halfwords: number[]) => halfwords.forEach((h, i) => rp2040.writeUint16(address + 2 * i, h))
        code(SRAM, [0x2001, 0xdf00, 0xe7fe]) // movs r0, #1; svc 0; b .
        code(SVC_HANDLER, [0x2102, 0xe7fe]) // movs r1, #2; b .
        rp2040.writeUint32(VECTORS + 4 * SVC_VECTOR, SVC_HANDLER | 1)
        core.VTOR = VECTORS
        core.SP = SRAM + 0x4000
        core.PC = SRAM
        const time = new EmulatedTime(simulator)
        const seen: number[] = []
        time.observeInstructions(pc => seen.push(pc))
        while (seen.length < 4) time.run(time.nanos + 8, () => seen.length >= 4)
        expect(seen.slice(0, 4)).toEqual([SRAM, SRAM + 2, SVC_HANDLER, SVC_HANDLER + 2])
    })
})
