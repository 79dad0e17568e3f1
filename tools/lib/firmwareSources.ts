// Which firmware files each build compiles, read from the imports of its entry point: the size
// figures count a build's own files from this, and a mutant of a file rebuilds the builds that use it.
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { BUILDS, type BuildName, ROOT } from "../../host/index.js"

/** The project's source files an entry point compiles (itself included), relative to the project folder. */
export function firmwareFiles(entry: string, root = ROOT): string[] {
    const seen = new Set<string>()
    const visit = (file: string) => {
        if (seen.has(file)) return
        seen.add(file)
        for (const target of localImports(readFileSync(join(root, file), "utf8"))) {
            const resolved = normalize(join(dirname(file), target))
            const path = [`${resolved}.ts`, resolved, join(resolved, "index.ts")].find(p => existsSync(join(root, p)))
            if (!path) throw new Error(`${file} imports ${target}, which is no file of the project`)
            visit(relative(root, join(root, path)))
        }
    }
    visit(entry)
    return [...seen].sort()
}

function localImports(source: string): string[] {
    return [...source.matchAll(/^\s*(?:import|export)\b[^"']*?from\s+["'](\.{1,2}\/[^"']+)["']|^\s*import\s+["'](\.{1,2}\/[^"']+)["']/gm)].map(m => m[1] ?? m[2])
}

/** The builds whose entry points compile `file`. */
export function buildsUsing(file: string, root = ROOT): BuildName[] {
    return BUILDS.filter(b => firmwareFiles(b.entry, root).includes(file)).map(b => b.name)
}

/** For each build, the files only it compiles, and the files every build compiles. */
export function filesByOwner(root = ROOT): { own: Record<BuildName, string[]>; shared: string[]; sharedBySome: Record<BuildName, string[]> } {
    const files = Object.fromEntries(BUILDS.map(b => [b.name, firmwareFiles(b.entry, root)])) as Record<BuildName, string[]>
    const users = (file: string) => BUILDS.filter(b => files[b.name].includes(file)).length
    const all = [...new Set(Object.values(files).flat())].sort()
    const own = {} as Record<BuildName, string[]>
    const sharedBySome = {} as Record<BuildName, string[]>
    for (const { name } of BUILDS) {
        own[name] = files[name].filter(f => users(f) === 1)
        sharedBySome[name] = files[name].filter(f => users(f) > 1 && users(f) < BUILDS.length)
    }
    return { own, shared: all.filter(f => users(f) === BUILDS.length), sharedBySome }
}
