// The emulated Pico, for tools and tests: find the files, bundle a build, start it.
import { readFileSync } from "node:fs"
import { buildNamed, ROOT, type BuildName } from "../../host/builds.js"
import { ChipFiles, findRuntimeElf, type ChipFileSources, type RuntimeFlavour } from "./chipFiles.js"
import { ChipSimulation } from "./chipSimulation.js"
import { bundleForPico, bundleSuperloopVariant } from "./picoBundle.js"

export { ChipFiles, MissingChipFile, BOOTROM_ENV, FIXED_RUNTIME_ENV, RUNTIME_ENV, RUNTIME_FLAVOURS, type ChipFileSources, type RuntimeFlavour } from "./chipFiles.js"
export { BOOTROM_B1_SHA256, BOOTROM_BYTES, checkBootrom, MIN_RUNTIME_BYTES, PROGRAM_STORAGE_AT, runtimeProblem, type BootromCheck } from "./chipFileChecks.js"
export { ChipSimulation } from "./chipSimulation.js"
export { HOLD_MS, MIN_PRESS_GAP_MS, RELEASE_MS } from "./board.js"
export { bundleEntryVariant, bundleForPico, bundleSuperloopVariant, devsFailureLine } from "./picoBundle.js"
export {
    encodeUf2Block,
    isUf2,
    parseUf2,
    readFlash,
    rp2040Uf2Problem,
    PICO_FLASH_BYTES,
    RP2040_FAMILY_ID,
    RP2040_FLASH_BASE,
    UF2_BLOCK_SIZE,
    UF2_PAYLOAD_SIZE,
    type Uf2Block,
} from "./uf2.js"

export interface ChipStart {
    /** A build of the project, or an image already bundled (and a name for it). */
    build: BuildName | { image: string; name: string }
    /** Which runtime to run (default: the released one). */
    runtime?: RuntimeFlavour
    files?: Partial<ChipFileSources>
    verbose?: boolean
    /** Model the XIP cache (off by default, so figures made without it do not move). */
    xip?: boolean
    /** Wait until the program has sent RDY (default); a program that sends none is left booting. */
    untilReady?: boolean
}

/** The files a chip needs, and the image it boots. */
export interface ChipImage {
    runtime: string
    bootrom: string
    /** The runtime's ELF (its symbols), where one lies beside it. */
    elf?: string
    /** The UF2 the chip boots: runtime, board configuration and program. */
    image: string
}

/** Finds the runtime and boot ROM (and the runtime's ELF beside it), and bundles the build (once per content). */
export async function chipImage(request: ChipStart): Promise<ChipImage> {
    const paths = await new ChipFiles({ projectDir: ROOT, flavour: request.runtime, ...request.files }).find()
    const image =
        typeof request.build === "string"
            ? await bundleForPico({ name: request.build, entry: buildNamed(request.build).entry, runtime: paths.runtime })
            : request.build.image
    return { ...paths, elf: findRuntimeElf(paths.runtime), image }
}

/** Finds the files, bundles the build (see chipImage), boots it, and waits for RDY. */
export async function startChip(request: ChipStart): Promise<ChipSimulation> {
    const files = await chipImage(request)
    const sim = await ChipSimulation.start({
        build: typeof request.build === "string" ? request.build : request.build.name,
        image: { bootrom: readFileSync(files.bootrom), uf2: readFileSync(files.image) },
        verbose: request.verbose,
        xip: request.xip,
        elf: files.elf ? readFileSync(files.elf) : undefined,
    })
    if (request.untilReady ?? true) await sim.untilReady()
    return sim
}

/** The image of a superloop build with another LOOP_MS. */
export async function superloopVariantImage(loopMs: number, files?: Partial<ChipFileSources>): Promise<string> {
    const paths = await new ChipFiles({ projectDir: ROOT, ...files }).find()
    return bundleSuperloopVariant(loopMs, paths.runtime)
}

// What the comparison and the tests read off a chip run
export { findRuntimeElf } from "./chipFiles.js"
export { type ChipCrash, CrashWatch, describeCrash } from "./crashWatch.js"
export { DevsHeap, type DevsHeapUse, type HeapCollection } from "./devsHeap.js"
export { FlashBreakpoints } from "./flashBreakpoints.js"
export { DmesgReader } from "./dmesg.js"
export { ramUse, readElfFunctions, readElfSymbols, type ElfFunction, type RamUse, type Symbols } from "./elfSymbols.js"
export { TimerStalls, type TimerStall } from "./timerStalls.js"
export { callInThreadMode, callWhileIdle } from "./firmwareCall.js"
export { SpiNorFlash } from "./spiNorFlash.js"
export { loadUf2 } from "./uf2Image.js"
export { XIP_CACHE, XipCache } from "./xipCache.js"
export { lineFillTiming, SSI_REGISTER, type LineFill, type SsiXipRegisters } from "./xipReadTiming.js"
export { XipTiming, type XipSetup, type XipUse } from "./xipTiming.js"
export { Pico, type PicoOptions } from "./pico.js"
export { type CpuUse } from "./emulatedTime.js"
export { ChipProfiler, type ChipProfile } from "./chipProfiler.js"
export { CATEGORY_RULES, CATEGORY_TITLES, PROFILE_CATEGORIES, sharesAddingToOne, type CategorizedFunction, type ProfileCategory, type ProfileShares } from "./profileCategories.js"
export { rearmTickBeforeSleep } from "./tickRearm.js"
export {
    PRESS_STAGES,
    pressBreakdown,
    pressStamps,
    STAGE_TITLES,
    summarizeBreakdowns,
    tracePresses,
    type PressBreakdown,
    type PressStage,
} from "./pressTrace.js"
