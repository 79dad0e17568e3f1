// The simulator is a part of its own: tools/ and test/ reach it only through its public entries, and it needs neither.
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT } from "../../sim/index.js"

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

/** sim/index.js, and two entries that load heavy packages only for those who need them (binaryen, fast-check). */
const PUBLIC_ENTRIES = ["/sim/index.js", "/sim/instrumentedVm.js", "/sim/checks/index.js"]

/** Whether `path`, imported by `file`, lands in `dir` (tools/ or test/). */
function landsIn(file: string, path: string, dir: string): boolean {
    return path.startsWith(".") && relative(ROOT, join(ROOT, file, "..", path)).startsWith(`${dir}/`)
}

describe("the simulator's boundary", () => {
    test("tools/ and test/ import sim/ only through its public entries", () => {
        const reachingInside = [...typescriptFiles("tools"), ...typescriptFiles("test")].flatMap(file =>
            importedPaths(file)
                .filter(path => /(^|\/)sim\//.test(path) && !PUBLIC_ENTRIES.some(entry => path.endsWith(entry)))
                .map(path => `${file}: ${path}`),
        )
        expect(reachingInside).toEqual([])
    })

    test("sim/ imports nothing from tools/ or test/", () => {
        const outward = typescriptFiles("sim").flatMap(file =>
            importedPaths(file)
                .filter(path => /^(\.\.\/)+(tools|test)\//.test(path))
                .map(path => `${file}: ${path}`),
        )
        expect(outward).toEqual([])
    })

    test("tools/ import nothing from test/: what both need lives in sim/", () => {
        const intoTests = typescriptFiles("tools").flatMap(file =>
            importedPaths(file)
                .filter(path => landsIn(file, path, "test"))
                .map(path => `${file}: ${path}`),
        )
        expect(intoTests).toEqual([])
    })

    test("the import scan sees the imports this very file makes", () => {
        expect(importedPaths("test/unit/simApi.test.ts")).toContain("../../sim/index.js")
    })
})
