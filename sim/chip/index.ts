// The emulated Pico, for tools and tests: find the files, bundle a build, start it.
import { readFileSync } from "node:fs"
import { BUILDS, ROOT, type BuildName } from "../builds.js"
import { ChipFiles, type ChipFileSources } from "./chipFiles.js"
import { ChipSimulation } from "./chipSimulation.js"
import { bundleForPico, bundleSuperloopVariant } from "./picoBundle.js"

export { ChipFiles, MissingChipFile, BOOTROM_ENV, RUNTIME_ENV } from "./chipFiles.js"
export { ChipSimulation } from "./chipSimulation.js"
export { bundleEntryVariant, bundleForPico, bundleSuperloopVariant } from "./picoBundle.js"

export interface ChipStart {
    /** A build of the project, or an image already bundled. */
    build: BuildName | { image: string }
    files?: Partial<ChipFileSources>
    verbose?: boolean
}

/** Finds the runtime and boot ROM, bundles the build (once per content), boots it, and waits for RDY. */
export async function startChip(request: ChipStart): Promise<ChipSimulation> {
    const paths = await new ChipFiles({ projectDir: ROOT, ...request.files }).find()
    const image =
        typeof request.build === "string"
            ? await bundleForPico({ name: request.build, entry: BUILDS[request.build], runtime: paths.runtime })
            : request.build.image
    const sim = await ChipSimulation.start({
        image: { bootrom: readFileSync(paths.bootrom), uf2: readFileSync(image) },
        verbose: request.verbose,
    })
    await sim.untilReady()
    return sim
}

/** The image of a superloop build with another LOOP_MS. */
export async function superloopVariantImage(loopMs: number, files?: Partial<ChipFileSources>): Promise<string> {
    const paths = await new ChipFiles({ projectDir: ROOT, ...files }).find()
    return bundleSuperloopVariant(loopMs, paths.runtime)
}

// What the comparison and the tests read off a chip run
export { findRuntimeElf } from "./chipFiles.js"
export { ramUse, readElfFunctions, readElfSymbols, type ElfFunction, type RamUse, type Symbols } from "./elfSymbols.js"
export { TimerStalls, type TimerStall } from "./timerStalls.js"
export { callWhileIdle } from "./firmwareCall.js"
export { SpiNorFlash } from "./spiNorFlash.js"
export { ChipProfiler, type ChipProfile } from "./chipProfiler.js"
export { CATEGORY_RULES, CATEGORY_TITLES, PROFILE_CATEGORIES, type CategorizedFunction, type ProfileCategory, type ProfileShares } from "./profileCategories.js"
export { rearmTickBeforeSleep } from "./tickRearm.js"
