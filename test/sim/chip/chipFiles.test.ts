// Where the emulated Pico's runtime and boot ROM come from, with downloads from a local fake server.
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, expect, test } from "vitest"
import { ChipFiles, MissingChipFile } from "../../../sim/index.js"

const RUNTIME_BYTES = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff)
const BOOTROM_WORDS = Array.from({ length: 4096 }, (_, i) => Math.imul(i + 1, 2654435761) >>> 0)
const BOOTROM_BYTES = new Uint8Array(new Uint32Array(BOOTROM_WORDS).buffer)
const BOOTROM_SOURCE = `export const bootrom = new Uint32Array([\n${BOOTROM_WORDS.map(w => `0x${w.toString(16)}`).join(", ")}\n]);\n`
const BOOTROM_SHA = createHash("sha256").update(BOOTROM_BYTES).digest("hex")

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
        writeFileSync(given, "x")
        writeFileSync(fromEnv, "y")
        const found = await files({ runtime: given, env: { RP2040_BOOTROM: fromEnv, DEVS_RP2040_RUNTIME: fromEnv } }).find()
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
        expect(existsSync(join(projectDir, ".devicescript/cache/devicescript-rp2040-pico.uf2"))).toBe(false)
    })

    test("a boot ROM whose words do not match the known one is refused", async () => {
        const error = await files({ bootromSha256: "0".repeat(64) }).find().catch(e => e)
        expect(error).toBeInstanceOf(MissingChipFile)
        expect(error.message).toContain(`its sha256 is ${BOOTROM_SHA}`)
    })
})
