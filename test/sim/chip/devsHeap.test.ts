// The DeviceScript heap read from the emulated RAM agrees with the runtime's own accounting, and follows the program's objects.
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ChipFiles, findRuntimeElf, readElfSymbols, callWhileIdle, DmesgReader, startChip, type ChipSimulation, type Symbols } from "../../../sim/index.js"
import { ROOT } from "../../../host/index.js"

const paths = await new ChipFiles({ projectDir: ROOT }).find().catch(() => undefined)
const elf = paths && findRuntimeElf(paths.runtime)

/** The chunk devs_gc_create adds: JD_GC_KB (64) KB, less its header (next, end) and its FINAL block's header. */
const HEAP_CAPACITY_BYTES = 64 * 1024 - 8 - 4

// The heap's address needs the runtime's symbols, which only a local build has (DeviceScript's releases ship the UF2 alone).
describe.skipIf(!elf)("the DeviceScript heap on the emulated Pico (async build)", () => {
    let sim: ChipSimulation
    let symbols: Symbols
    let log: DmesgReader

    beforeAll(async () => {
        symbols = readElfSymbols(readFileSync(elf!))
        sim = await startChip({ build: "async" })
        log = new DmesgReader(sim.pico, symbols)
    }, 400_000)
    afterAll(() => sim?.stop())

    async function idle() {
        await sim.advance(20)
        expect(await sim.untilMainLoop(100)).toBe(true)
    }

    /** The runtime's own heap statistics (devs_dump_heap, which walks the same headers and logs one line). */
    function runtimeStats() {
        const ctx = callWhileIdle(sim.pico, symbols.get("devsmgr_get_ctx")!.value, [])
        callWhileIdle(sim.pico, symbols.get("devs_dump_heap")!.value, [ctx, -1 >>> 0, 0])
        const line = log.newLines().find(l => l.startsWith("stats: "))
        const m = /(\d+) B used, (\d+) B free \((\d+) B max block\)/.exec(line ?? "")
        expect(m, `devs_dump_heap logged ${line}`).not.toBeNull()
        return { usedBytes: Number(m![1]), freeBytes: Number(m![2]), largestFreeBytes: Number(m![3]) }
    }

    test("the block headers add up as the runtime's own devs_dump_heap says, before and after a full collection", { timeout: 120_000 }, async () => {
        await idle()
        const before = sim.heap!.use()!
        expect(before.capacityBytes).toBe(HEAP_CAPACITY_BYTES)
        expect(before.usedBytes + before.freeBytes).toBe(HEAP_CAPACITY_BYTES)
        expect(runtimeStats()).toEqual({ usedBytes: before.usedBytes, freeBytes: before.freeBytes, largestFreeBytes: before.largestFreeBytes })
        await idle()
        const live = sim.heap!.liveBytes()
        expect(live).toBeLessThanOrEqual(before.usedBytes)
        expect(runtimeStats().usedBytes).toBe(live)
    })

    test("each of the runtime's collections is seen as it ends: the one asked for, and those it makes itself under load", { timeout: 120_000 }, async () => {
        await idle()
        const before = sim.collections.length
        const live = sim.heap!.liveBytes()
        expect(sim.collections.slice(before)).toEqual([expect.objectContaining({ liveBytes: live })])
        for (let n = 0; n < 8; n++) {
            await sim.press()
            await sim.advance(60)
            // a reply to no request in flight: its ERR,SEQ
            await sim.inject("$RES,99,x*3C\r\n")
        }
        // every request times out meanwhile
        await sim.advance(1200)
        const own = sim.collections.slice(before + 1)
        expect(own.length).toBeGreaterThan(0)
        for (const c of own) expect(c.inUseBytes).toBeGreaterThan(c.liveBytes)
    })

    test("requests in flight hold objects: four of them more than none, and their timeouts give the room back", { timeout: 120_000 }, async () => {
        await idle()
        const since = sim.now
        const idleBytes = sim.heap!.liveBytes()
        for (let n = 0; n < 4; n++) {
            await sim.press()
            await sim.advance(60)
        }
        expect(sim.bodies(since).filter(b => b.startsWith("REQ,"))).toHaveLength(4)
        await idle()
        const inFlight = sim.heap!.liveBytes()
        expect(inFlight).toBeGreaterThan(idleBytes)
        await sim.advance(1500)
        expect(sim.bodies(since).filter(b => b.startsWith("TMO,"))).toHaveLength(4)
        await idle()
        // what stays (a few bytes of grown arrays, cached strings) is far less than what four requests held
        expect(sim.heap!.liveBytes() - idleBytes).toBeLessThan((inFlight - idleBytes) / 2)
    })
})
