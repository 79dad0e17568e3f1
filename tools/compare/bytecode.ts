// Bytecode figures of a build: the .devs size, and the size of each function of the project's own code.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { buildDir } from "../../host/index.js"

export interface FunctionSize {
    name: string
    file: string
    bytes: number
}

export interface BytecodeFigures {
    bytecodeBytes: number
    /** Bytes of bytecode in functions defined under src/. */
    ownCodeBytes: number
    /** Bytes of bytecode in functions of DeviceScript's own libraries. */
    libraryCodeBytes: number
    /** The string table: literals and every property and method name. */
    stringBytes: number
    functions: FunctionSize[]
}

interface DebugInfo {
    sizes: { strings: number }
    functions: { name: string; location: [number, number]; size: number }[]
    sources: { path: string; length: number }[]
}

export function bytecodeFigures(build: string): BytecodeFigures {
    const dir = buildDir(build)
    const debug = JSON.parse(readFileSync(join(dir, "bytecode-dbg.json"), "utf8")) as DebugInfo
    // function locations index the sources laid end to end
    const starts: number[] = []
    let offset = 0
    for (const source of debug.sources) {
        starts.push(offset)
        offset += source.length
    }
    const fileAt = (position: number) => {
        let i = starts.length - 1
        while (i > 0 && starts[i] > position) i--
        return debug.sources[i].path
    }
    const all = debug.functions.map(f => ({ name: f.name, file: fileAt(f.location[0]), bytes: f.size }))
    const functions = all.filter(f => f.file.startsWith("src/")).sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file))
    const total = (list: FunctionSize[]) => list.reduce((sum, f) => sum + f.bytes, 0)
    return {
        bytecodeBytes: readFileSync(join(dir, "bytecode.devs")).length,
        ownCodeBytes: total(functions),
        libraryCodeBytes: total(all) - total(functions),
        stringBytes: debug.sizes.strings,
        functions,
    }
}
