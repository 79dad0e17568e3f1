// What the comparison runs on the chip: the builds, variants of a build (another LOOP_MS, a blocking job),
// and the floors: programs that show what the runtime costs whatever the firmware does.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { type BuildName, buildNamed, ROOT } from "../../../host/index.js"
import { bundleEntryVariant, bundleForPico } from "../../../sim/index.js"

/** A program for the chip, as a worker process can receive it (plain data). */
export type ChipProgram =
    | { kind: "build"; build: BuildName }
    /** `build`'s entry point with its source replaced by `source`. */
    | { kind: "variant"; name: string; build: BuildName; source: string }
    /** A program of its own, outside the builds (tools/compare/programs/). */
    | { kind: "entry"; name: string; entry: string; sendsReady: boolean }

/** The floors: each on-chip figure of a build is its floor plus the build's own cost. */
export const FLOORS = {
    /** No user program at all: what the runtime does by itself. */
    runtimeAlone: { kind: "entry", name: "runtime-alone", entry: "tools/compare/programs/nothing.ts", sendsReady: false },
    /** The builds' three roles and no behaviour: the floor of idle CPU. */
    empty: { kind: "entry", name: "empty-program", entry: "tools/compare/programs/empty.ts", sendsReady: false },
    /** The button's handler sends `$REQ` at once and does nothing else: the floor of press→REQ. */
    floor: { kind: "entry", name: "floor-program", entry: "tools/compare/programs/floor.ts", sendsReady: true },
} as const satisfies Record<string, ChipProgram>

export function programName(program: ChipProgram): string {
    return program.kind === "build" ? program.build : program.name
}

/** The superloop with another pass period: its `LOOP_MS` line changed, nothing else. */
export function superloopWithLoopMs(loopMs: number): ChipProgram {
    const original = readFileSync(join(ROOT, buildNamed("superloop").entry), "utf8")
    const pattern = /^const LOOP_MS = \d+$/m
    if (!pattern.test(original)) throw new Error("src/mainSuperloop.ts has no `const LOOP_MS = <n>` line to vary")
    return { kind: "variant", name: `superloop-loop${loopMs}ms`, build: "superloop", source: original.replace(pattern, `const LOOP_MS = ${loopMs}`) }
}

/** The image of `program` with `runtime` (bundled once per content, then taken from built/chip/). */
export function imageOf(program: ChipProgram, runtime: string): Promise<string> {
    switch (program.kind) {
        case "build":
            return bundleForPico({ name: program.build, entry: buildNamed(program.build).entry, runtime })
        case "variant":
            return bundleEntryVariant(program.name, program.source, runtime, ROOT, buildNamed(program.build).entry)
        case "entry":
            return bundleForPico({ name: program.name, entry: program.entry, runtime })
    }
}
