// Where the RP2040 runtime and boot ROM come from: an option, an environment variable, the CLI's cache, or a download into it.
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"

export const RUNTIME_ENV = "DEVS_RP2040_RUNTIME"
export const BOOTROM_ENV = "RP2040_BOOTROM"
/** The release asset `devs bundle` downloads for the Pico (the CLI's `bareUrl` for rp2040). */
export const RUNTIME_URL = "https://github.com/microsoft/devicescript-pico/releases/latest/download/devicescript-rp2040-pico.uf2"
/** The RP2040 B1 boot ROM as 4096 words, in rp2040js's public demo source. */
export const BOOTROM_URL = "https://raw.githubusercontent.com/wokwi/rp2040js/main/demo/bootrom.ts"
export const BOOTROM_SHA256 = "90b31e108faedfa6bbcfcc33ba05dac61e645108cfbbdc385f8dafc71fde44ae"
const RUNTIME_CACHE_NAME = "devicescript-rp2040-pico.uf2"
const BOOTROM_CACHE_NAME = "rp2040-bootrom-b1.bin"
const BOOTROM_WORDS = 4096
const DOWNLOAD_TIMEOUT_MS = 60_000

export interface ChipFileSources {
    projectDir: string
    /** `--runtime`, `--bootrom`. */
    runtime?: string
    bootrom?: string
    env?: Record<string, string | undefined>
    /** Where to download from (tests point these at a local server). */
    runtimeUrl?: string
    bootromUrl?: string
    bootromSha256?: string
}

export interface ChipFilePaths {
    runtime: string
    bootrom: string
}

/** A file the user must provide: the message is one line saying where to get it. */
export class MissingChipFile extends Error {}

/**
 * Finds the runtime and the boot ROM, in this order: the option, the environment
 * variable, the project's `.devicescript/cache/` (where `devs bundle` caches the
 * runtime), else downloads each into that cache.
 */
export class ChipFiles {
    private readonly cacheDir: string
    private readonly env: Record<string, string | undefined>

    constructor(private readonly sources: ChipFileSources) {
        this.cacheDir = join(sources.projectDir, ".devicescript", "cache")
        this.env = sources.env ?? process.env
    }

    async find(): Promise<ChipFilePaths> {
        const runtime = await this.findOne({
            what: "the DeviceScript RP2040 runtime",
            given: this.sources.runtime,
            envName: RUNTIME_ENV,
            option: "--runtime",
            cacheName: RUNTIME_CACHE_NAME,
            url: this.sources.runtimeUrl ?? RUNTIME_URL,
            decode: bytes => bytes,
        })
        const bootrom = await this.findOne({
            what: "the RP2040 boot ROM",
            given: this.sources.bootrom,
            envName: BOOTROM_ENV,
            option: "--bootrom",
            cacheName: BOOTROM_CACHE_NAME,
            url: this.sources.bootromUrl ?? BOOTROM_URL,
            decode: bytes => this.bootromFromSource(bytes),
        })
        return { runtime, bootrom }
    }

    private async findOne(file: {
        what: string
        given?: string
        envName: string
        option: string
        cacheName: string
        url: string
        decode: (bytes: Uint8Array) => Uint8Array
    }): Promise<string> {
        const given = file.given ?? this.env[file.envName]
        if (given) {
            if (!existsSync(given)) throw new MissingChipFile(`${given}: no such file (${file.what}, from ${file.given ? file.option : file.envName})`)
            return resolve(given)
        }
        const cached = join(this.cacheDir, file.cacheName)
        if (existsSync(cached)) return cached
        let bytes: Uint8Array
        try {
            bytes = file.decode(await download(file.url))
        } catch (e) {
            const reason = e instanceof Error ? e.message : String(e)
            throw new MissingChipFile(
                `missing ${file.what}: pass ${file.option} FILE or set ${file.envName}; downloading it from ${file.url} into .devicescript/cache/ failed (${reason})`,
            )
        }
        mkdirSync(dirname(cached), { recursive: true })
        writeFileSync(cached, bytes)
        return cached
    }

    /** The boot ROM's bytes from rp2040js's demo/bootrom.ts (`new Uint32Array([0x..., ...])`), checked. */
    private bootromFromSource(source: Uint8Array): Uint8Array {
        const text = new TextDecoder().decode(source)
        const words = [...text.matchAll(/0x[0-9a-f]+/gi)].map(m => Number(m[0]))
        if (words.length !== BOOTROM_WORDS) throw new Error(`expected ${BOOTROM_WORDS} words, found ${words.length}`)
        const bytes = new Uint8Array(new Uint32Array(words).buffer)
        const sha = createHash("sha256").update(bytes).digest("hex")
        const expected = this.sources.bootromSha256 ?? BOOTROM_SHA256
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
