// The mutant list (tools/mutants/mutants.json): each entry one small edit of src/, checked before any run.
import { readFileSync } from "node:fs"
import { join } from "node:path"

export interface Mutant {
    id: string
    /** The firmware file, e.g. `src/frame.ts`. */
    file: string
    /** An exact snippet that occurs once in `file`. */
    find: string
    replace: string
    /** The contract rule or module behaviour the mutant breaks, e.g. `rule 5 CHK` or `outbox`. */
    rule: string
    /** Test files that must kill it: `test/src/unit/<room>/*.test.ts` run in the VM, the rest through vitest. */
    killedBy?: string[]
    /** Why no test can tell this mutant from the original; such a mutant is not run. */
    equivalent?: string
    /** Part of the quick subset that CI runs. */
    quick?: boolean
}

export const MUTANTS_FILE = "tools/mutants/mutants.json"

function occurrences(text: string, snippet: string): number {
    let count = 0
    for (let at = text.indexOf(snippet); at >= 0; at = text.indexOf(snippet, at + 1)) count++
    return count
}

/** Reads and checks the list against the sources under `root`; throws one line naming the first problem. */
export function loadMutants(root: string): Mutant[] {
    const mutants = JSON.parse(readFileSync(join(root, MUTANTS_FILE), "utf8")) as Mutant[]
    const ids = new Set<string>()
    for (const m of mutants) {
        const where = `${MUTANTS_FILE}, mutant ${m.id ?? "(no id)"}`
        if (!m.id || !m.file || typeof m.find !== "string" || typeof m.replace !== "string" || !m.rule)
            throw new Error(`${where}: needs id, file, find, replace and rule`)
        if (ids.has(m.id)) throw new Error(`${where}: the id is used twice`)
        ids.add(m.id)
        if (!m.file.startsWith("src/")) throw new Error(`${where}: only files in src/ are mutated, not ${m.file}`)
        if (m.find === m.replace) throw new Error(`${where}: replace is the same as find`)
        if (!m.equivalent && !m.killedBy?.length) throw new Error(`${where}: give killedBy (test files) or equivalent (a reason)`)
        for (const file of m.killedBy ?? []) {
            if (!/^test\/.*\.test\.ts$/.test(file)) throw new Error(`${where}: killedBy ${file} is not a test file`)
            try {
                readFileSync(join(root, file))
            } catch {
                throw new Error(`${where}: killedBy ${file} does not exist`)
            }
        }
        let source: string
        try {
            source = readFileSync(join(root, m.file), "utf8")
        } catch {
            throw new Error(`${where}: ${m.file} does not exist`)
        }
        const count = occurrences(source, m.find)
        if (count !== 1) throw new Error(`${where}: stale, its snippet occurs ${count} times in ${m.file} (must be once): ${JSON.stringify(m.find)}`)
    }
    return mutants
}
