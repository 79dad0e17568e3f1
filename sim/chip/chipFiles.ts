// Where the RP2040 runtime and boot ROM come from: an option, an environment variable, the CLI's cache, or a download into it.
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { BOOTROM_B1_SHA256, BOOTROM_BYTES, checkBootrom, runtimeProblem, type BootromCheck } from "./chipFileChecks.js"

export const RUNTIME_ENV = "DEVS_RP2040_RUNTIME"
export const FIXED_RUNTIME_ENV = "DEVS_RP2040_RUNTIME_FIXED"
export const BOOTROM_ENV = "RP2040_BOOTROM"
/** The release asset `devs bundle` downloads for the Pico (the CLI's `bareUrl` for rp2040). */
export const RUNTIME_URL = "https://github.com/microsoft/devicescript-pico/releases/latest/download/devicescript-rp2040-pico.uf2"
/** The RP2040 B1 boot ROM as 4096 words, in rp2040js's public demo source. */
export const BOOTROM_URL = "https://raw.githubusercontent.com/wokwi/rp2040js/main/demo/bootrom.ts"
const RUNTIME_CACHE_NAME = "devicescript-rp2040-pico.uf2"
const FIXED_RUNTIME_CACHE_NAME = "devicescript-rp2040-pico-timfix.uf2"

/**
 * Which DeviceScript RP2040 runtime: the released one (what `devs flash` installs), or the
 * same built with the fix of its timer bug (docs/chip.md says how; it is not released).
 */
export type RuntimeFlavour = "released" | "fixed"
export const RUNTIME_FLAVOURS: RuntimeFlavour[] = ["released", "fixed"]
const BOOTROM_CACHE_NAME = "rp2040-bootrom-b1.bin"
const BOOTROM_WORDS = BOOTROM_BYTES / 4
const DOWNLOAD_TIMEOUT_MS = 60_000

export interface ChipFileSources {
    projectDir: string
    /** Which runtime to find (default: the released one). */
    flavour?: RuntimeFlavour
    /** `--runtime`, `--fixed-runtime`, `--bootrom`. */
    runtime?: string
    fixedRuntime?: string
    bootrom?: string
    env?: Record<string, string | undefined>
    /** Where to download from (tests point these at a local server). */
    runtimeUrl?: string
    bootromUrl?: string
    bootromSha256?: string
    /** Told about a file that is used with a caveat (a B2 boot ROM); by default printed as `warning: ...` on stderr. */
    warn?: (message: string) => void
}

export interface ChipFilePaths {
    runtime: string
    bootrom: string
}

/** A file the user must provide or replace: the message is one line naming every such file and how to get it. */
export class MissingChipFile extends Error {}

/** One of the two files: what it is, where it may come from, and what makes it usable. */
interface ChipFileKind {
    what: string
    /** What a user should pass instead, and where it comes from. */
    expected: string
    given?: string
    envName: string
    option: string
    cacheName: string
    /** Where to download it from; no URL: it is not published, `notPublished` says how to make it. */
    url?: string
    notPublished?: string
    /** The file's bytes from what `url` serves. */
    decode: (bytes: Uint8Array) => Uint8Array
    check: (bytes: Uint8Array) => BootromCheck
}

type Lookup = { path: string } | { problem: string }

/**
 * Finds the runtime and the boot ROM, in this order: the option, the environment
 * variable, the project's `.devicescript/cache/` (where `devs bundle` caches the
 * runtime), else downloads each into that cache. Every file is checked before it
 * is used or cached; a file that fails is named, with how to get a good one.
 */
export class ChipFiles {
    private readonly cacheDir: string
    private readonly env: Record<string, string | undefined>
    private readonly warn: (message: string) => void

    constructor(private readonly sources: ChipFileSources) {
        this.cacheDir = join(sources.projectDir, ".devicescript", "cache")
        this.env = sources.env ?? process.env
        this.warn = sources.warn ?? (message => console.warn(`warning: ${message}`))
    }

    async find(): Promise<ChipFilePaths> {
        const runtime = await this.findOne(this.sources.flavour === "fixed" ? this.fixedRuntimeKind() : this.releasedRuntimeKind())
        const bootrom = await this.findOne({
            what: "the RP2040 boot ROM",
            expected: "the RP2040 B1 boot ROM (16 KB)",
            given: this.sources.bootrom,
            envName: BOOTROM_ENV,
            option: "--bootrom",
            cacheName: BOOTROM_CACHE_NAME,
            url: this.sources.bootromUrl ?? BOOTROM_URL,
            decode: bytes => this.bootromFromSource(bytes),
            check: bytes => checkBootrom(bytes, this.sources.bootromSha256),
        })
        if ("path" in runtime && "path" in bootrom) return { runtime: runtime.path, bootrom: bootrom.path }
        const problems = [runtime, bootrom].flatMap(found => ("problem" in found ? [found.problem] : []))
        throw new MissingChipFile(problems.length === 1 ? problems[0] : problems.map((p, i) => `(${i + 1}) ${p}`).join(" "))
    }

    private releasedRuntimeKind(): ChipFileKind {
        return {
            what: "the DeviceScript RP2040 runtime",
            expected: `DeviceScript's RP2040 runtime (${RUNTIME_CACHE_NAME}, from github.com/microsoft/devicescript-pico/releases)`,
            given: this.sources.runtime,
            envName: RUNTIME_ENV,
            option: "--runtime",
            cacheName: RUNTIME_CACHE_NAME,
            url: this.sources.runtimeUrl ?? RUNTIME_URL,
            decode: bytes => bytes,
            check: bytes => ({ problem: runtimeProblem(bytes) }),
        }
    }

    private fixedRuntimeKind(): ChipFileKind {
        return {
            what: "the DeviceScript RP2040 runtime with the timer fix",
            expected: `the RP2040 runtime built with the timer fix (${FIXED_RUNTIME_CACHE_NAME}; docs/chip.md says how to build it)`,
            given: this.sources.fixedRuntime,
            envName: FIXED_RUNTIME_ENV,
            option: "--fixed-runtime",
            cacheName: FIXED_RUNTIME_CACHE_NAME,
            notPublished: "it is not released: build it with patches/tim-set-timer-fix.patch as docs/chip.md says",
            decode: bytes => bytes,
            check: bytes => ({ problem: runtimeProblem(bytes) }),
        }
    }

    private async findOne(file: ChipFileKind): Promise<Lookup> {
        const given = file.given ?? this.env[file.envName]
        if (given) return this.givenFile(file, given, file.given ? file.option : file.envName)
        const cached = join(this.cacheDir, file.cacheName)
        if (existsSync(cached)) return this.cachedFile(file, cached)
        return this.download(file, cached)
    }

    private givenFile(file: ChipFileKind, path: string, from: string): Lookup {
        if (!existsSync(path) || !statSync(path).isFile()) return { problem: `${path}: no such file (${file.what}, from ${from})` }
        const problem = this.usable(path, file.check(readFileSync(path)))
        if (problem) return { problem: `${path} ${problem}; ${from} takes ${file.expected}` }
        return { path: resolve(path) }
    }

    private cachedFile(file: ChipFileKind, cached: string): Lookup {
        const problem = this.usable(cached, file.check(readFileSync(cached)))
        if (problem) return { problem: `${cached} ${problem}; delete it to download ${file.what} again, or pass ${file.option} FILE` }
        return { path: cached }
    }

    /** Downloads the file into the cache, unless it fails its check. */
    private async download(file: ChipFileKind, cached: string): Promise<Lookup> {
        const instead = `pass ${file.option} FILE or set ${file.envName}`
        if (!file.url) return { problem: `missing ${file.what}: ${instead}; ${file.notPublished}` }
        let bytes: Uint8Array
        try {
            bytes = file.decode(await download(file.url))
        } catch (e) {
            const reason = e instanceof Error ? e.message : String(e)
            return { problem: `missing ${file.what}: ${instead}; downloading it from ${file.url} into .devicescript/cache/ failed (${reason})` }
        }
        const problem = this.usable(file.url, file.check(bytes))
        if (problem) return { problem: `missing ${file.what}: ${instead}; what ${file.url} served ${problem}, so it was not cached` }
        mkdirSync(dirname(cached), { recursive: true })
        writeFileSync(cached, bytes)
        return { path: cached }
    }

    /** The check's problem, if any; its warning goes to `warn`, naming `source`. */
    private usable(source: string, check: BootromCheck): string | undefined {
        if (!check.problem && check.warning) this.warn(`${source} ${check.warning}`)
        return check.problem
    }

    /** The boot ROM's bytes from rp2040js's demo/bootrom.ts (`new Uint32Array([0x..., ...])`), checked. */
    private bootromFromSource(source: Uint8Array): Uint8Array {
        const text = new TextDecoder().decode(source)
        const words = [...text.matchAll(/0x[0-9a-f]+/gi)].map(m => Number(m[0]))
        if (words.length !== BOOTROM_WORDS) throw new Error(`expected ${BOOTROM_WORDS} words, found ${words.length}`)
        const bytes = new Uint8Array(new Uint32Array(words).buffer)
        const sha = createHash("sha256").update(bytes).digest("hex")
        const expected = this.sources.bootromSha256 ?? BOOTROM_B1_SHA256
        if (sha !== expected) throw new Error(`its sha256 is ${sha}, not ${expected}`)
        return bytes
    }
}

async function download(url: string): Promise<Uint8Array> {
    const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) })
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`)
    return new Uint8Array(await response.arrayBuffer())
}

/** The bytes of both files. */
export function readChipFiles(paths: ChipFilePaths): { runtime: Uint8Array; bootrom: Uint8Array } {
    return { runtime: readFileSync(paths.runtime), bootrom: readFileSync(paths.bootrom) }
}

export const ELF_ENV = "DEVS_RP2040_ELF"

/**
 * The runtime's ELF (its symbols), where there is one: `$DEVS_RP2040_ELF`, or beside
 * the runtime image. DeviceScript's releases ship only the UF2, so this is optional.
 */
export function findRuntimeElf(runtime: string, env: Record<string, string | undefined> = process.env): string | undefined {
    const candidates = [env[ELF_ENV], runtime.replace(/\.uf2$/, ".elf"), join(dirname(runtime), "devicescript-rp2040-pico.elf")]
    return candidates.find((path): path is string => !!path && existsSync(path))
}
