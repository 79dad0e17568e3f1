// The layout's boundaries: host/ is the kernel every part shares, sim/ the simulator, tools/ the commands, test/ the tests.
// tools/ and test/ reach host/ and sim/ only through their public entries; host/ needs no other part, sim/ only host/.
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT } from "../../host/index.js"

function typescriptFiles(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
        .filter(entry => entry.isFile() && entry.name.endsWith(".ts") && !entry.parentPath.includes("node_modules"))
        .map(entry => relative(ROOT, join(entry.parentPath, entry.name)))
}

/** Every module path a file imports or re-exports from. */
function importedPaths(file: string): string[] {
    const source = readFileSync(join(ROOT, file), "utf8")
    return [...source.matchAll(/^\s*(?:import|export)\b[^"']*?from\s+["']([^"']+)["']/gm)].map(match => match[1])
}

/**
 * The public entries: host/index.js and sim/index.js, and two that load heavy
 * packages only for those who need them (fast-check for the checks, binaryen
 * for the instrumented VM).
 */
const PUBLIC_ENTRIES = ["host/index.ts", "host/checks/index.ts", "sim/index.ts", "sim/instrumentedVm.ts"]

/** The project folder `path`, imported by `file`, lands in (undefined for a package). */
function folderOf(file: string, path: string): string | undefined {
    if (!path.startsWith(".")) return undefined
    return relative(ROOT, join(ROOT, file, "..", path)).split("/")[0]
}

/** The simulator's own unit tests (test/sim/) may reach the modules they test; every other user goes through the entries. */
const mayReachInside = (file: string, target: string) => PUBLIC_ENTRIES.includes(target) || (file.startsWith("test/sim/") && target.startsWith("sim/"))

/** `file: path` for each import of a file in `from` that lands in one of `folders` and is not allowed by `allowed`. */
function importsInto(from: string[], folders: string[], allowed: (file: string, target: string) => boolean = () => false): string[] {
    return from.flatMap(dir =>
        typescriptFiles(dir).flatMap(file =>
            importedPaths(file)
                .filter(path => folders.includes(folderOf(file, path) ?? ""))
                .filter(path => !allowed(file, relative(ROOT, join(ROOT, file, "..", path)).replace(/\.js$/, ".ts")))
                .map(path => `${file}: ${path}`),
        ),
    )
}

describe("the layout's boundaries", () => {
    test("tools/ and test/ import host/ and sim/ only through their public entries (the simulator's own unit tests excepted)", () => {
        expect(importsInto(["tools", "test"], ["host", "sim"], mayReachInside)).toEqual([])
    })

    test("host/ imports nothing from sim/, tools/ or test/", () => {
        expect(importsInto(["host"], ["sim", "tools", "test"])).toEqual([])
    })

    test("sim/ imports nothing from tools/ or test/", () => {
        expect(importsInto(["sim"], ["tools", "test"])).toEqual([])
    })

    test("tools/ import nothing from test/: what both need lives in host/ or sim/", () => {
        expect(importsInto(["tools"], ["test"])).toEqual([])
    })

    test("a command's folder in tools/ imports nothing from another command's: what two share lives in tools/lib/", () => {
        const commandOf = (path: string) => (path.startsWith("tools/") ? path.split("/")[1] : undefined)
        const crossing = typescriptFiles("tools").flatMap(file =>
            importedPaths(file)
                .filter(path => path.startsWith("."))
                .map(path => relative(ROOT, join(ROOT, file, "..", path)))
                .filter(target => {
                    const [from, to] = [commandOf(file), commandOf(target)]
                    return to !== undefined && to !== "lib" && from !== "lib" && to !== from
                })
                .map(target => `${file}: ${target}`),
        )
        expect(crossing).toEqual([])
    })

    test("the simulator's tests import nothing from tools/", () => {
        expect(importsInto(["test/sim", "test/host"], ["tools"])).toEqual([])
    })

    test("the import scan sees the imports this very file makes", () => {
        expect(importedPaths("test/host/layout.test.ts")).toContain("../../host/index.js")
        expect(folderOf("test/host/layout.test.ts", "../../host/index.js")).toBe("host")
    })
})
