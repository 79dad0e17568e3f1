// An instrumented copy of the DeviceScript VM: the same wasm binary, rewritten
// with binaryen to count what the VM does and to let the host collect and
// measure its heap. Nothing of the VM is copied into this repository: the
// binary is read out of the pinned CLI bundle and rewritten at run time.
import binaryen from "binaryen"
import { readVmWasm } from "./devsVm.js"
import type { Simulation, SimulationOptions } from "./simulation.js"

/**
 * Each counter is an exported mutable i64 global, incremented by code
 * prepended to one place of the VM (see `instrumentVmWasm`).
 */
export const COUNTERS = {
    /** Bytecode instructions executed: one per turn of the dispatch loop in `devs_vm_exec_opcodes`. */
    instructions: "instr_instructions",
    /** Fibers given the CPU: entries of `devs_vm_exec_opcodes` (called only by `devs_fiber_run`, once it decided to run). */
    fiberRuns: "instr_fiber_runs",
    /** Calls of `devs_fiber_run`, including those that return at once (VM suspended, fiber not ready). */
    fiberRunCalls: "instr_fiber_run_calls",
    /** Host wakeups: entries of `jd_em_process`. */
    hostWakeups: "instr_host_wakeups",
    /** Jacdac frames handed to the VM: entries of `jd_em_frame_received`. */
    framesIn: "instr_frames_in",
    /** Garbage collections: entries of `devs_gc` (mark and sweep of the whole heap). */
    gcRuns: "instr_gc_runs",
} as const

export type CounterName = keyof typeof COUNTERS
export type VmCounters = Record<CounterName, number>

const GC_POINTER = "instr_gc"
const CTX_POINTER = "instr_ctx"
const GC_EXPORT = "instr_devs_gc"
const DUMP_HEAP_EXPORT = "instr_devs_dump_heap"

/** Where each counter is incremented: at the entry of a function, or in the dispatch loop. */
const ENTRY_COUNTERS: [CounterName, string][] = [
    ["fiberRuns", "devs_vm_exec_opcodes"],
    ["fiberRunCalls", "devs_fiber_run"],
    ["hostWakeups", "jd_em_process"],
    ["framesIn", "jd_em_frame_received"],
    ["gcRuns", "devs_gc"],
]

// the features the VM's binary uses (sign extension) and that exported mutable globals need
const FEATURES = binaryen.Features.SignExt | binaryen.Features.MutableGlobals

function increment(m: binaryen.Module, global: string): binaryen.ExpressionRef {
    return m.global.set(global, m.i64.add(m.global.get(global, binaryen.i64), m.i64.const(1n)))
}

/** Prepends `prefix` to a function's body. */
function prepend(m: binaryen.Module, name: string, prefix: binaryen.ExpressionRef[]) {
    const func = m.getFunction(name)
    if (!func) throw new Error(`the VM binary has no function ${name}`)
    const info = binaryen.getFunctionInfo(func)
    Function.setBody(func, m.block(null, [...prefix, info.body], info.results))
}

/** Parts of binaryen.js's API that its typings leave out (or misplace). */
const { Block, Function } = binaryen as unknown as {
    Block: { insertChildAt(block: binaryen.ExpressionRef, index: number, child: binaryen.ExpressionRef): void }
    Function: { setBody(func: binaryen.FunctionRef, body: binaryen.ExpressionRef): void }
}

function firstLoop(expr: binaryen.ExpressionRef): binaryen.ExpressionRef | undefined {
    const info = binaryen.getExpressionInfo(expr)
    if (info.id === binaryen.LoopId) return expr
    if (info.id === binaryen.BlockId) {
        for (const child of (info as binaryen.BlockInfo).children) {
            const loop = firstLoop(child)
            if (loop) return loop
        }
    }
    return undefined
}

/**
 * `devs_vm_exec_opcodes` is, in C:
 *     while (ctx->curr_fn && --maxsteps && !ctx->suspension) devs_vm_exec_opcode(ctx, ctx->curr_fn);
 * with `devs_vm_exec_opcode` (fetch one opcode, run it: a direct constant, or
 * a handler from `devs_vm_op_handlers`) inlined. In the binary the loop body
 * is a block: the `--maxsteps` and suspension checks (two `br_if`), then the
 * inlined `devs_vm_exec_opcode` as a block. The counter goes right before
 * that block, so it counts each instruction the loop starts, and nothing else.
 */
function countDispatchLoop(m: binaryen.Module, global: string) {
    const name = "devs_vm_exec_opcodes"
    const loop = firstLoop(binaryen.getFunctionInfo(m.getFunction(name)).body)
    if (!loop) throw new Error(`no loop in ${name}`)
    const body = (binaryen.getExpressionInfo(loop) as binaryen.LoopInfo).body
    const info = binaryen.getExpressionInfo(body)
    if (info.id !== binaryen.BlockId) throw new Error(`unexpected loop body in ${name}`)
    const children = (info as binaryen.BlockInfo).children
    const ids = children.map(c => binaryen.getExpressionInfo(c).id)
    const at = ids.indexOf(binaryen.BlockId)
    const checks = ids.slice(0, at)
    const conditionalBreaks = children
        .slice(0, at)
        .filter(c => binaryen.getExpressionInfo(c).id === binaryen.BreakId && (binaryen.getExpressionInfo(c) as binaryen.BreakInfo).condition)
    if (at < 0 || checks.some(id => id !== binaryen.BreakId && id !== binaryen.LocalSetId) || conditionalBreaks.length !== 2) {
        throw new Error(`the dispatch loop of ${name} is not shaped as expected: is this the VM of @devicescript/cli 2.16.4?`)
    }
    Block.insertChildAt(body, at, increment(m, global))
}

/**
 * Rewrites the VM's wasm binary: adds the counters of `COUNTERS`, records the
 * GC heap's and the VM context's addresses as `devs_gc_set_ctx` sets them up
 * (cleared by `devs_gc_destroy`), and exports the (static) `devs_gc` and
 * `devs_dump_heap`. Nothing else changes; the result is validated.
 */
export function instrumentVmWasm(original: Uint8Array): Uint8Array<ArrayBuffer> {
    const m = binaryen.readBinary(original)
    try {
        m.setFeatures(FEATURES)
        for (const global of Object.values(COUNTERS)) {
            m.addGlobal(global, binaryen.i64, true, m.i64.const(0n))
            m.addGlobalExport(global, global)
        }
        for (const global of [GC_POINTER, CTX_POINTER]) {
            m.addGlobal(global, binaryen.i32, true, m.i32.const(0))
            m.addGlobalExport(global, global)
        }
        countDispatchLoop(m, COUNTERS.instructions)
        for (const [counter, func] of ENTRY_COUNTERS) prepend(m, func, [increment(m, COUNTERS[counter])])
        // devs_gc_set_ctx(gc, ctx) is called once per program start, right after devs_gc_create()
        prepend(m, "devs_gc_set_ctx", [
            m.global.set(GC_POINTER, m.local.get(0, binaryen.i32)),
            m.global.set(CTX_POINTER, m.local.get(1, binaryen.i32)),
        ])
        prepend(m, "devs_gc_destroy", [
            m.if(
                m.i32.eq(m.local.get(0, binaryen.i32), m.global.get(GC_POINTER, binaryen.i32)),
                m.block(null, [m.global.set(GC_POINTER, m.i32.const(0)), m.global.set(CTX_POINTER, m.i32.const(0))]),
            ),
        ])
        m.addFunctionExport("devs_gc", GC_EXPORT)
        m.addFunctionExport("devs_dump_heap", DUMP_HEAP_EXPORT)
        if (!m.validate()) throw new Error("the instrumented VM binary does not validate")
        const debugInfo = binaryen.getDebugInfo()
        binaryen.setDebugInfo(true) // keep the name section, for readable wasm stack traces
        try {
            return new Uint8Array(m.emitBinary())
        } finally {
            binaryen.setDebugInfo(debugInfo)
        }
    } finally {
        m.dispose()
    }
}

let instrumented: Uint8Array<ArrayBuffer> | undefined
let compiled: WebAssembly.Module | undefined

/** The pinned VM's binary, instrumented (computed once per process). */
export function instrumentedVmWasm(): Uint8Array<ArrayBuffer> {
    instrumented ??= instrumentVmWasm(readVmWasm())
    return instrumented
}

function instrumentedVmModule(): WebAssembly.Module {
    compiled ??= new WebAssembly.Module(instrumentedVmWasm())
    return compiled
}

interface InstrumentedExports {
    memory: WebAssembly.Memory
    [GC_EXPORT]: (gc: number) => void
    [DUMP_HEAP_EXPORT]: (ctx: number, off: number, count: number) => number
    [name: string]: unknown
}

const instances = new WeakMap<object, WebAssembly.Instance>()

type ReceiveInstance = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void

/**
 * Fields for the VM factory's module argument (`SimulationOptions.moduleOptions`)
 * that make it run the instrumented binary. The instance is recorded against
 * the module object, for `counters(module)` and `heapStats(module)`.
 */
export function instrumentedModuleOptions(): Record<string, unknown> {
    const module = instrumentedVmModule()
    return {
        // Emscripten calls this as a method of the module object, which the factory then resolves to
        instantiateWasm(this: object, imports: WebAssembly.Imports, receive: ReceiveInstance) {
            const instance = new WebAssembly.Instance(module, imports)
            instances.set(this, instance)
            receive(instance, module)
            return instance.exports
        },
    }
}

function exportsOf(module: object): InstrumentedExports {
    const instance = instances.get(module)
    if (!instance) throw new Error("this VM module was not started with instrumentedModuleOptions()")
    return instance.exports as unknown as InstrumentedExports
}

function global(exports: InstrumentedExports, name: string): WebAssembly.Global {
    return exports[name] as WebAssembly.Global
}

/** The counters' values now: counts since the VM module started. */
export function counters(module: object): VmCounters {
    const exports = exportsOf(module)
    const values = {} as VmCounters
    for (const [name, global_] of Object.entries(COUNTERS) as [CounterName, string][]) {
        values[name] = Number(global(exports, global_).value as bigint)
    }
    return values
}

/** The GC tags of devs_objects.h (low four bits of a block header's top byte). */
const TAG_NAMES = [
    "null", "free", "bytes", "array", "map", "buffer", "string", "function",
    "activation", "half_static_map", "short_map", "packet", "string_jmp", "image",
]
const TAG_FREE = 0x1
const TAG_FINAL = 0x4f // DEVS_GC_TAG_MASK | DEVS_GC_TAG_MASK_PINNED
const WORD = 4

export interface HeapStats {
    /** Bytes in blocks that are not free (headers included): what devs_dump_heap reports as "B used". */
    liveBytes: number
    /** Blocks that are not free. */
    objects: number
    freeBytes: number
    largestFreeBytes: number
    /** Bytes the GC heap's blocks span (its 64 KiB chunk less the chunk's 12 bytes of bookkeeping): live + free. */
    heapBytes: number
    /** Live blocks by GC tag: "bytes" are the VM's own pinned allocations (fibers, globals, roles...). */
    byTag: Record<string, { objects: number; bytes: number }>
}

/**
 * Walks the DeviceScript GC heap's blocks, as laid out in gc_alloc.c on a
 * 32-bit target: devs_gc_t { first_free, first_chunk, ... }, each chunk
 * { next, end, blocks... }, each block headed by a word holding its tag
 * (top byte) and size in words (low 24 bits).
 */
function walkHeap(memory: WebAssembly.Memory, gc: number): HeapStats {
    const view = new DataView(memory.buffer)
    const word = (address: number) => view.getUint32(address, true)
    const stats: HeapStats = { liveBytes: 0, objects: 0, freeBytes: 0, largestFreeBytes: 0, heapBytes: 0, byTag: {} }
    for (let chunk = word(gc + 4); chunk; chunk = word(chunk)) {
        const end = word(chunk + 4)
        const start = chunk + 8
        stats.heapBytes += end - start
        for (let block = start; ; ) {
            const header = word(block)
            const tag = header >>> 24
            if (tag === TAG_FINAL) break
            const bytes = (header & 0xffffff) * WORD
            if (bytes === 0 || block + bytes > end) throw new Error(`corrupt GC heap block at ${block}`)
            if ((tag & 0xf) === TAG_FREE) {
                stats.freeBytes += bytes
                stats.largestFreeBytes = Math.max(stats.largestFreeBytes, bytes)
            } else {
                stats.liveBytes += bytes
                stats.objects++
                const name = TAG_NAMES[tag & 0xf] ?? `tag${tag & 0xf}`
                const entry = (stats.byTag[name] ??= { objects: 0, bytes: 0 })
                entry.objects++
                entry.bytes += bytes
            }
            block += bytes
        }
    }
    return stats
}

export interface HeapOptions {
    /** Run a full collection first (default): then `liveBytes` is what is reachable. */
    collect?: boolean
    /**
     * Put the VM's memory and counters back as they were afterwards (default),
     * so the measurement leaves no trace: not even the GC's own timing changes.
     */
    restore?: boolean
}

/**
 * The DeviceScript GC heap of a running VM, after a full collection (the VM's
 * own `devs_gc`: mark from every root, then sweep). Call it only between two
 * runs of the VM (any time the test or tool has control), never from a VM callback.
 */
export function heapStats(module: object, options: HeapOptions = {}): HeapStats {
    const { collect = true, restore = true } = options
    const exports = exportsOf(module)
    const gc = global(exports, GC_POINTER).value as number
    if (!gc) throw new Error("the VM has no program running: no GC heap to measure")
    if (!collect) return walkHeap(exports.memory, gc)
    const memory = restore ? new Uint8Array(exports.memory.buffer).slice() : undefined
    const before = restore ? Object.values(COUNTERS).map(name => global(exports, name).value as bigint) : []
    try {
        exports[GC_EXPORT](gc)
        return walkHeap(exports.memory, gc)
    } finally {
        if (memory) {
            new Uint8Array(exports.memory.buffer).set(memory)
            Object.values(COUNTERS).forEach((name, i) => (global(exports, name).value = before[i]))
        }
    }
}

/** Live heap bytes after a full collection; see `heapStats`. */
export function heapLiveBytes(module: object): number {
    return heapStats(module).liveBytes
}

/**
 * Has the VM print its own heap statistics (`devs_dump_heap(ctx, -1, 0)`:
 * a "stats: N objects, U B used, F B free (M B max block)" log line), without
 * collecting first. For cross-checking `heapStats(module, { collect: false })`.
 */
export function dumpHeapStats(module: object): void {
    const exports = exportsOf(module)
    const ctx = global(exports, CTX_POINTER).value as number
    if (!ctx) throw new Error("the VM has no program running")
    exports[DUMP_HEAP_EXPORT](ctx, -1, 0)
}

/** The same, in the shape tools/compare/scenarios.ts takes (`Instrumentation`). */
export async function vmInstrumentation() {
    instrumentedVmModule() // rewrite and compile once, up front
    return {
        options(): Partial<SimulationOptions> {
            return { moduleOptions: instrumentedModuleOptions() }
        },
        work(sim: Simulation) {
            const { instructions, fiberRuns } = counters(sim.module)
            return { instructions, fiberRuns }
        },
        async heapLiveBytes(sim: Simulation): Promise<number> {
            return heapLiveBytes(sim.module)
        },
    }
}

/** Options for a simulation whose bytecode takes `usPerInstruction` of virtual time per instruction (see cpuTime.ts). */
export function cpuTimeOptions(usPerInstruction: number): Partial<SimulationOptions> {
    return {
        moduleOptions: instrumentedModuleOptions(),
        cpuTime: { usPerInstruction, instructions: module => counters(module).instructions },
    }
}
