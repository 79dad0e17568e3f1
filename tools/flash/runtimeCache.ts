// The CLI's runtime cache (.devicescript/cache/): `devs bundle` uses a cached runtime under 24 h old, else downloads it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import type { Runtime } from "./boards.js"

/** How long the CLI trusts a cached runtime (cli/src/flash.ts, fetchFW). */
export const CACHE_FRESH_MS = 24 * 3600 * 1000

export function cachedRuntimePath(projectDir: string, runtime: Runtime): string {
    return join(projectDir, ".devicescript", "cache", runtime.cacheName)
}

/** How old the cached runtime is, in hours, or undefined if there is none. */
export function cachedRuntimeAgeHours(projectDir: string, runtime: Runtime): number | undefined {
    const path = cachedRuntimePath(projectDir, runtime)
    if (!existsSync(path)) return undefined
    return (Date.now() - statSync(path).mtimeMs) / 3600_000
}

/**
 * Puts `firmware` in the cache as the chip's runtime, fresh, so that `devs bundle`
 * uses it instead of downloading; returns a function that puts back what was there.
 */
export function seedRuntime(projectDir: string, runtime: Runtime, firmware: string): () => void {
    const path = cachedRuntimePath(projectDir, runtime)
    const previous = existsSync(path) ? { bytes: readFileSync(path), mtime: statSync(path).mtime } : undefined
    mkdirSync(join(projectDir, ".devicescript", "cache"), { recursive: true })
    if (resolve(firmware) !== resolve(path)) copyFileSync(firmware, path)
    const now = new Date()
    utimesSync(path, now, now)
    return () => {
        if (!previous) return rmSync(path, { force: true })
        writeFileSync(path, previous.bytes)
        utimesSync(path, previous.mtime, previous.mtime)
    }
}
