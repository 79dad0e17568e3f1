// `devs bundle`: the runtime, the board's configuration and the compiled program, in one image.
import { existsSync, mkdirSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { type BuildName, buildNamed } from "../../host/index.js"
import { UserError } from "../lib/errors.js"
import { RUNTIMES, type Board } from "./boards.js"
import { lastLine, runDevs, type DevsRun } from "./devs.js"
import { cachedRuntimeAgeHours, CACHE_FRESH_MS, seedRuntime } from "./runtimeCache.js"

/** The CLI's exit code when its devtools ports (8081-8083) are taken. */
const EXIT_PORTS_IN_USE = 100

export interface BundleRequest {
    projectDir: string
    board: Board
    build: BuildName
    /** A runtime image to use instead of the cached or downloaded one. */
    firmware?: string
    verbose: boolean
}

/** Where the image of `build` for `board` goes: built/<build>/<board image name>. */
function imagePath(projectDir: string, board: Board, build: BuildName): string {
    return join(projectDir, "built", build, RUNTIMES[board.chip].imageName(board.id))
}

/** Compiles the build's entry point and bundles it for the board; returns the image's path. */
export async function bundle(request: BundleRequest): Promise<string> {
    const { projectDir, board, build } = request
    const image = imagePath(projectDir, board, build)
    mkdirSync(dirname(image), { recursive: true })
    const args = ["bundle", "--board", board.id, "--flash-file", image, buildNamed(build).entry]
    const restoreCache = request.firmware ? seedRuntime(projectDir, RUNTIMES[board.chip], request.firmware) : undefined
    let run: DevsRun
    try {
        run = await runDevs(args, projectDir, request.verbose)
    } finally {
        restoreCache?.()
    }
    if (run.code !== 0 || !existsSync(image)) throw new UserError(bundleFailure(run, request))
    return image
}

/** One line saying why `devs bundle` failed, and what to do. */
function bundleFailure(run: DevsRun, request: BundleRequest): string {
    if (run.code === EXIT_PORTS_IN_USE) {
        return "ports 8081-8083 are in use: devs bundle starts its own devtools; stop `devs devtools` (or whatever holds them) and try again"
    }
    const compileError = /^\S+\(\d+,\d+\): error .*$/m.exec(run.output)
    if (compileError) return `the ${request.build} build does not compile: ${compileError[0]}`
    const download = downloadFailure(run.output)
    if (download) return runtimeDownloadFailure(download, request)
    return `devs bundle failed (exit ${run.code}): ${lastLine(run.output)}`
}

/** Why the runtime could not be downloaded, if that is what happened. */
function downloadFailure(output: string): string | undefined {
    if (!/^fetch https?:\/\//m.test(output)) return undefined
    const httpStatus = /can't fetch: (.*)$/m.exec(output)?.[1]
    if (httpStatus) return `HTTP ${httpStatus.trim()}`
    const cause = /\b(getaddrinfo \w+ \S+|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b/.exec(output)?.[1]
    if (cause) return cause
    return /fetch failed/.test(output) ? "fetch failed" : undefined
}

function runtimeDownloadFailure(reason: string, request: BundleRequest): string {
    const runtime = RUNTIMES[request.board.chip]
    let line =
        `cannot download the ${runtime.chipName} runtime ${runtime.cacheName} from github.com (${reason}); ` +
        "offline? pass --firmware FILE with a copy of it"
    const age = cachedRuntimeAgeHours(request.projectDir, runtime)
    if (age !== undefined && age * 3600_000 >= CACHE_FRESH_MS) {
        const cached = relative(request.projectDir, join(request.projectDir, ".devicescript", "cache", runtime.cacheName))
        line += ` (the cached ${cached} is ${Math.floor(age)} h old, the CLI only uses it for 24 h: --firmware ${cached} uses it anyway)`
    }
    return line
}
