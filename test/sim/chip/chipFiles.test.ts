// Where the emulated Pico's runtime and boot ROM come from, with downloads from a local fake server; a file that
// fails its check is named and never cached.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, expect, test } from "vitest"
import { bundleForPico, ChipFiles, MissingChipFile } from "../../../sim/index.js"
import { projectCopy } from "../../support/tools.js"
import { fakeBootrom, fakeChipRuntime, sha256 } from "../../support/chipImages.js"

const RUNTIME_BYTES = fakeChipRuntime()
const BOOTROM_BYTES = fakeBootrom()
const BOOTROM_WORDS = [...new Uint32Array(BOOTROM_BYTES.buffer)]
const BOOTROM_SOURCE = `export const bootrom = new Uint32Array([\n${BOOTROM_WORDS.map(w => `0x${w.toString(16)}`).join(", ")}\n]);\n`
const BOOTROM_SHA = sha256(BOOTROM_BYTES)
const NOT_FOUND_PAGE = "<!DOCTYPE html>\n<html><body>Not Found</body></html>\n"
const CACHED_RUNTIME = ".devicescript/cache/devicescript-rp2040-pico.uf2"

let projectDir: string
let server: Server
let base: string
let requests: string[]

beforeEach(async () => {
    projectDir = mkdtempSync(join(tmpdir(), "chip-files-"))
    requests = []
    server = createServer((req, res) => {
        requests.push(req.url ?? "")
        if (req.url === "/runtime.uf2") return res.end(RUNTIME_BYTES)
        if (req.url === "/bootrom.ts") return res.end(BOOTROM_SOURCE)
        if (req.url === "/page.uf2") return res.end(NOT_FOUND_PAGE)
        res.writeHead(404, "Not Found").end()
    })
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(async () => {
    await new Promise(resolve => server.close(resolve))
    rmSync(projectDir, { recursive: true, force: true })
})

function files(extra: Partial<ConstructorParameters<typeof ChipFiles>[0]> = {}) {
    return new ChipFiles({
        projectDir,
        env: {},
        runtimeUrl: `${base}/runtime.uf2`,
        bootromUrl: `${base}/bootrom.ts`,
        bootromSha256: BOOTROM_SHA,
        ...extra,
    })
}

describe("the emulated Pico's files", () => {
    test("are downloaded once into .devicescript/cache/, then taken from there", async () => {
        const found = await files().find()
        expect(found.runtime).toBe(join(projectDir, ".devicescript/cache/devicescript-rp2040-pico.uf2"))
        expect(found.bootrom).toBe(join(projectDir, ".devicescript/cache/rp2040-bootrom-b1.bin"))
        expect(new Uint8Array(readFileSync(found.runtime))).toEqual(RUNTIME_BYTES)
        expect(new Uint8Array(readFileSync(found.bootrom))).toEqual(BOOTROM_BYTES)
        expect(requests).toEqual(["/runtime.uf2", "/bootrom.ts"])
        await files().find()
        expect(requests).toHaveLength(2)
    })

    test("options win over environment variables, which win over the cache", async () => {
        const given = join(projectDir, "given.uf2")
        const fromEnv = join(projectDir, "env.bin")
        writeFileSync(given, RUNTIME_BYTES)
        writeFileSync(fromEnv, BOOTROM_BYTES)
        const found = await files({ runtime: given, env: { RP2040_BOOTROM: fromEnv, DEVS_RP2040_RUNTIME: "/no/such/runtime.uf2" } }).find()
        expect(found).toEqual({ runtime: given, bootrom: fromEnv })
        expect(requests).toEqual([])
    })

    test("a given file that is missing is named in one line", async () => {
        const error = await files({ env: { DEVS_RP2040_RUNTIME: "/no/such/runtime.uf2" } }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toBe("/no/such/runtime.uf2: no such file (the DeviceScript RP2040 runtime, from DEVS_RP2040_RUNTIME)")
    })

    test("a failed download says in one line how to give the file instead", async () => {
        const error = await files({ runtimeUrl: `${base}/missing.uf2` }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).not.toContain("\n")
        expect(error.message).toMatch(/^missing the DeviceScript RP2040 runtime: pass --runtime FILE or set DEVS_RP2040_RUNTIME; .*missing\.uf2.*\(HTTP 404 Not Found\)$/)
        expect(existsSync(join(projectDir, CACHED_RUNTIME))).toBe(false)
    })

    test("every missing file is named at once, each with how to get it", async () => {
        const error = await files({ runtimeUrl: `${base}/missing.uf2`, bootromUrl: `${base}/missing.ts` }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).not.toContain("\n")
        expect(error.message).toMatch(
            /^\(1\) missing the DeviceScript RP2040 runtime: pass --runtime FILE or set DEVS_RP2040_RUNTIME; .*\(HTTP 404 Not Found\) \(2\) missing the RP2040 boot ROM: pass --bootrom FILE or set RP2040_BOOTROM; .*\(HTTP 404 Not Found\)$/,
        )
    })

    test("a given runtime that is no runtime is named, with what to pass instead, and nothing is cached", async () => {
        const given = join(projectDir, "notes.uf2")
        writeFileSync(given, "my notes\n")
        const error = await files({ runtime: given }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toBe(
            `${given} is not a UF2 file (it is text: "my notes"); --runtime takes DeviceScript's RP2040 runtime (devicescript-rp2040-pico.uf2, from github.com/microsoft/devicescript-pico/releases)`,
        )
        expect(readdirSync(join(projectDir, ".devicescript/cache"))).toEqual(["rp2040-bootrom-b1.bin"])
    })

    test("a download that is no runtime (an error page) is not cached", async () => {
        const error = await files({ runtimeUrl: `${base}/page.uf2` }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toBe(
            `missing the DeviceScript RP2040 runtime: pass --runtime FILE or set DEVS_RP2040_RUNTIME; what ${base}/page.uf2 served is not a UF2 file (it is text: "<!DOCTYPE html>"), so it was not cached`,
        )
        expect(existsSync(join(projectDir, CACHED_RUNTIME))).toBe(false)
    })

    test("a cached runtime that is no runtime is reported, not used", async () => {
        mkdirSync(join(projectDir, ".devicescript/cache"), { recursive: true })
        writeFileSync(join(projectDir, CACHED_RUNTIME), RUNTIME_BYTES.subarray(0, 512 * 100))
        const error = await files().find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toBe(
            `${join(projectDir, CACHED_RUNTIME)} is cut off: it holds 100 of the 512 blocks it announces; delete it to download the DeviceScript RP2040 runtime again, or pass --runtime FILE`,
        )
        expect(requests).toEqual(["/bootrom.ts"])
    })

    test("a B2 boot ROM is used, with a warning", async () => {
        const given = join(projectDir, "bootrom-b2.bin")
        writeFileSync(given, fakeBootrom(3))
        const warnings: string[] = []
        const found = await files({ bootrom: given, warn: message => warnings.push(message) }).find()
        expect(found.bootrom).toBe(given)
        expect(warnings).toEqual([`${given} is the RP2040 B2 boot ROM: runs here were made with B1 only, so they may differ`])
    })

    test("a given boot ROM that differs from the known B1 is refused", async () => {
        const given = join(projectDir, "bootrom.bin")
        writeFileSync(given, fakeBootrom(2))
        const error = await files({ bootrom: given, bootromSha256: "0".repeat(64) }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toMatch(new RegExp(`^${given} claims to be the B1 boot ROM but its sha256 is ${BOOTROM_SHA}, not 0{64}: a damaged or changed copy; --bootrom takes the RP2040 B1 boot ROM \\(16 KB\\)$`))
    })

    test("a boot ROM whose words do not match the known one is refused", async () => {
        const error = await files({ bootromSha256: "0".repeat(64) }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toContain(`its sha256 is ${BOOTROM_SHA}`)
    })

    test("bundling refuses a runtime that is no runtime, before putting it in the CLI's cache", async () => {
        const project = projectCopy()
        try {
            const notes = join(project.dir, "notes.uf2")
            writeFileSync(notes, "my notes\n")
            const bundling = bundleForPico({ name: "async", entry: "src/mainAsync.ts", runtime: notes }, project.dir)
            await expect(bundling).rejects.toThrow(`${notes} is not a UF2 file (it is text: "my notes"); not copied into ${CACHED_RUNTIME}`)
            expect(existsSync(join(project.dir, CACHED_RUNTIME))).toBe(false)
        } finally {
            project.cleanUp()
        }
    })
})
