// The simulator is a part of its own: tools/ and test/ reach it only through sim/index.ts, and it needs neither.
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT } from "../../sim/index.js"

function typescriptFiles(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
        .filter(entry => entry.isFile() && entry.name.endsWith(".ts"))
        .map(entry => relative(ROOT, join(entry.parentPath, entry.name)))
}

/** Every module path a file imports or re-exports from. */
function importedPaths(file: string): string[] {
    const source = readFileSync(join(ROOT, file), "utf8")
    return [...source.matchAll(/^\s*(?:import|export)\b[^"']*?from\s+["']([^"']+)["']/gm)].map(match => match[1])
}

describe("the simulator's boundary", () => {
    test("tools/ and test/ import sim/index.js and nothing else inside sim/", () => {
        const reachingInside = [...typescriptFiles("tools"), ...typescriptFiles("test")].flatMap(file =>
            importedPaths(file)
                .filter(path => /(^|\/)sim\//.test(path) && !/(^|\/)sim\/index\.js$/.test(path))
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

    test("the import scan sees the imports this very file makes", () => {
        expect(importedPaths("test/unit/simApi.test.ts")).toContain("../../sim/index.js")
    })
})
