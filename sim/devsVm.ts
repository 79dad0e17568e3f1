import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"

/**
 * Loads the DeviceScript WASM VM that ships inside the pinned CLI bundle,
 * at run time, from node_modules: nothing of it is copied into this repository.
 *
 * The bundle wraps the VM's Emscripten module as one esbuild `__commonJS`
 * section; we cut that section out and evaluate it with its timer and `Date`
 * globals replaced, so the VM runs on whatever clock the caller gives it.
 */

const require = createRequire(import.meta.url)

/** A line in which the VM reports that the program crashed. */
export const CRASH_LINE = /PANIC|Unhandled exception|stop program/
const VM_SECTION = "runtime/devicescript-vm/built/devicescript-vm.js"

/** The part of the Emscripten module object that the simulation uses. */
export interface DevsModule {
    sendPacket: (pkt: Uint8Array) => void
    panicHandler?: (exitCode: number) => void
    deployHandler?: (exitCode: number) => void
    dmesg: (line: string) => void
    log: (...args: unknown[]) => void
    error: (...args: unknown[]) => void
    flashLoad: (() => Uint8Array) | null
    flashSave: ((data: Uint8Array) => void) | null
    handlePacket(pkt: Uint8Array): void
    devsDeploy(binary: Uint8Array): number
    devsVerify(binary: Uint8Array): number
    devsGcStress(enabled: boolean): void
    devsSetDeviceId(id: string): void
    devsStart(): void
    devsStop(): void
    devsIsRunning(): boolean
    HEAPU8: Uint8Array
    /** Runs the VM until it waits; returns microseconds until it wants to run again. */
    _jd_em_process: () => number
}

export type VmGlobals = Record<"setTimeout" | "clearTimeout" | "setInterval" | "clearInterval" | "Date", unknown>
type ModuleFactory = (moduleArg?: object) => Promise<DevsModule>

let vmSource: string | undefined

export function cliBundlePath(): string {
    return require.resolve("@devicescript/cli/built/devicescript-cli.cjs")
}

function readVmSource(): string {
    if (vmSource) return vmSource
    const bundle = readFileSync(cliBundlePath(), "utf8")
    const header = `"${VM_SECTION}"(exports, module2) {`
    const start = bundle.indexOf(header)
    if (start < 0) throw new Error(`no ${VM_SECTION} in the CLI bundle: is @devicescript/cli 2.16.4 installed?`)
    const bodyStart = start + header.length
    const nextSection = bundle.indexOf("\n// ", bodyStart)
    const sectionEnd = bundle.lastIndexOf("\n});", nextSection)
    const body = bundle.slice(bodyStart, sectionEnd)
    // drop the closing brace of the section's own function
    vmSource = body.slice(0, body.lastIndexOf("}"))
    return vmSource
}

const WASM_DATA_URI = 'wasmBinaryFile = "data:application/octet-stream;base64,'

/**
 * The VM's WebAssembly binary, as the CLI bundle embeds it (a base64 data URI
 * in the VM section). Passing these bytes, or a rewritten copy of them, as the
 * factory's `wasmBinary` option makes the glue instantiate them instead.
 */
export function readVmWasm(): Uint8Array {
    const source = readVmSource()
    const start = source.indexOf(WASM_DATA_URI)
    if (start < 0) throw new Error("no embedded wasm binary in the VM section of the CLI bundle")
    const dataStart = start + WASM_DATA_URI.length
    const dataEnd = source.indexOf('"', dataStart)
    return new Uint8Array(Buffer.from(source.slice(dataStart, dataEnd), "base64"))
}

/** Evaluates a fresh copy of the VM module factory bound to the given timer globals. */
export function loadVmFactory(globals: VmGlobals): ModuleFactory {
    const names = Object.keys(globals)
    const evaluate = new Function(
        "exports",
        "module2",
        "require",
        "__filename",
        "__dirname",
        ...names,
        readVmSource(),
    )
    const module2 = { exports: {} as unknown }
    const file = cliBundlePath()
    evaluate(module2.exports, module2, require, file, dirname(file), ...names.map(n => globals[n as keyof VmGlobals]))
    return module2.exports as ModuleFactory
}
