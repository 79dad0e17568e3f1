// npm run flash, offline, up to the image on the board: `devs bundle` (which serves devtools on ports 8081-8083,
// hence *.ports.test.ts) in a copy of the project, with fake runtimes, then the fake esptool.py or a fake boot drive.
// Each image is read back to check that the runtime, the board's configuration (DCFG) and the program
// sit where the CLI's arch configs put them.
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { parseUf2, readFlash, RP2040_FAMILY_ID } from "../../../sim/index.js"
import { fakeEsp32Runtime, fakeRp2040Runtime, hasDcfgMagic, hasFstorMagic, indexOfBytes, LAYOUT, readDcfg } from "../../support/images.js"
import { esptoolCall, expectedEsptoolCall, fakeBootDrive, fakeTools, projectCopy, runTool, stderrLines, tempDir, type ToolRun } from "../../support/tools.js"

const TIMEOUT = 60_000

let project: ReturnType<typeof projectCopy>
let work: ReturnType<typeof tempDir>

beforeAll(() => {
    project = projectCopy()
    work = tempDir("bundle-test-")
})
afterAll(() => {
    project.cleanUp()
    work.cleanUp()
})

function flash(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ToolRun> {
    return runTool("flash/main.ts", args, { cwd: project.dir, env })
}

function board(id: string): { devName: string; productId: string } {
    return JSON.parse(readFileSync(join(project.dir, "boards", `${id}.board.json`), "utf8"))
}

/** The program `devs bundle` compiled: the CLI leaves it in .devicescript/bin. */
function compiledProgram(): Uint8Array {
    return new Uint8Array(readFileSync(join(project.dir, ".devicescript/bin/bytecode.devs")))
}

function cachedRuntime(name: string): string {
    return join(project.dir, ".devicescript/cache", name)
}

describe("npm run flash, offline, with fake runtimes", () => {
    test(
        "ESP32, --firmware: one image of runtime, board config and program, flashed by esptool.py at 0x1000",
        async () => {
            const firmware = join(work.dir, "esp32-runtime-0x1000.bin")
            const runtime = fakeEsp32Runtime()
            writeFileSync(firmware, runtime)
            const tools = fakeTools(join(work.dir, "esp32"), { ports: [{ path: "/dev/ttyUSB0", vendorId: "10c4" }] })
            const run = await flash(["--board", "esp32_devkitc_button_led", "--build", "superloop", "--firmware", firmware], {
                PATH: tools.bin,
            })
            expect(run.code, run.stdout + run.stderr).toBe(0)

            const imageFile = join(project.dir, "built/superloop/esp32_devkitc_button_led-0x1000.bin")
            expect(esptoolCall(tools.esptoolLog)).toEqual(expectedEsptoolCall(imageFile))

            // The image is flashed at 0x1000: file offset = flash address - 0x1000.
            const image = new Uint8Array(readFileSync(imageFile))
            const at = (address: number) => address - LAYOUT.esp32.imageAt
            expect(image.subarray(0, runtime.length)).toEqual(runtime)

            const dcfg = image.subarray(at(LAYOUT.esp32.dcfgAt), at(LAYOUT.esp32.dcfgAt) + 4096)
            expect(hasDcfgMagic(dcfg)).toBe(true)
            const settings = readDcfg(dcfg)
            const json = board("esp32_devkitc_button_led")
            expect(settings.devName).toBe(json.devName)
            expect(settings.productId).toBe(Number(json.productId))
            expect(settings.archId).toBe("esp32")

            const fstor = image.subarray(at(LAYOUT.esp32.fstorAt), at(LAYOUT.esp32.fstorAt) + LAYOUT.esp32.fstorBytes)
            expect(hasFstorMagic(fstor)).toBe(true)
            const program = compiledProgram()
            expect(indexOfBytes(fstor, program)).toBeGreaterThan(0)
            expect(indexOfBytes(program, new TextEncoder().encode("superloop"))).toBeGreaterThan(0)
            expect(indexOfBytes(image.subarray(0, at(LAYOUT.esp32.fstorAt)), program)).toBe(-1)

            // --firmware only lent the runtime to the CLI's cache
            expect(existsSync(cachedRuntime("devicescript-esp32-esp32_bare-0x1000.bin"))).toBe(false)
        },
        TIMEOUT,
    )

    test(
        "RP2040, runtime cached under 24 h: one UF2 of runtime, board config and program, copied to the boot drive",
        async () => {
            const runtime = fakeRp2040Runtime()
            mkdirSync(join(project.dir, ".devicescript/cache"), { recursive: true })
            writeFileSync(cachedRuntime("devicescript-rp2040-pico.uf2"), runtime)
            const drive = fakeBootDrive(join(work.dir, "pico"))
            const run = await flash(["--board", "pico_button_led", "--build", "async", "--drive", drive])
            expect(run.code, run.stdout + run.stderr).toBe(0)

            const imageFile = join(project.dir, "built/async/pico_button_led.uf2")
            const image = new Uint8Array(readFileSync(imageFile))
            expect(readFileSync(join(drive, "pico_button_led.uf2"))).toEqual(readFileSync(imageFile))

            const blocks = parseUf2(image)
            expect(blocks.every(b => b.familyId === RP2040_FAMILY_ID)).toBe(true)
            expect(blocks.map(b => b.blockNo)).toEqual(blocks.map((_, i) => i))
            expect(blocks.every(b => b.numBlocks === blocks.length)).toBe(true)

            const runtimeBlock = parseUf2(runtime)[0]
            expect(readFlash(blocks, LAYOUT.rp2040.flashAt, 256)).toEqual(runtimeBlock.payload)

            const settings = readDcfg(readFlash(blocks, LAYOUT.rp2040.dcfgAt, 4096))
            const json = board("pico_button_led")
            expect(settings.devName).toBe(json.devName)
            expect(settings.productId).toBe(Number(json.productId))
            expect(settings.archId).toBe("rp2040")

            const fstor = readFlash(blocks, LAYOUT.rp2040.fstorAt, LAYOUT.rp2040.fstorBytes)
            expect(hasFstorMagic(fstor)).toBe(true)
            const program = compiledProgram()
            expect(indexOfBytes(fstor, program)).toBeGreaterThan(0)
            expect(indexOfBytes(program, new TextEncoder().encode("async"))).toBeGreaterThan(0)
            const highest = Math.max(...blocks.map(b => b.targetAddr + b.payload.length))
            expect(highest).toBeLessThanOrEqual(LAYOUT.rp2040.fstorAt + LAYOUT.rp2040.fstorBytes)
        },
        TIMEOUT,
    )

    test(
        "no network and a runtime cached over 24 h ago: one line saying to use --firmware",
        async () => {
            const cached = cachedRuntime("devicescript-esp32-esp32_bare-0x1000.bin")
            writeFileSync(cached, fakeEsp32Runtime())
            const dayAndAHalfAgo = new Date(Date.now() - 36 * 3600_000)
            utimesSync(cached, dayAndAHalfAgo, dayAndAHalfAgo)
            // The CLI downloads with fetch(); here it fails as it does offline, whether or not this machine is.
            const offline = join(work.dir, "offline.mjs")
            writeFileSync(
                offline,
                "globalThis.fetch = async () => { throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND github.com') }) }\n",
            )
            const run = await flash(["--board", "esp32_devkitc_button_led", "--build", "async", "--bundle-only"], {
                NODE_OPTIONS: `--import=${pathToFileURL(offline).href}`,
            })
            const lines = stderrLines(run)
            expect(run.code).toBe(1)
            expect(lines, run.stderr).toHaveLength(1)
            expect(lines[0]).toMatch(
                /^error: cannot download the ESP32 runtime devicescript-esp32-esp32_bare-0x1000\.bin from github\.com \(.*\); offline\? pass --firmware FILE/,
            )
            expect(lines[0]).toContain("is 36 h old, the CLI only uses it for 24 h: --firmware .devicescript/cache/devicescript-esp32-esp32_bare-0x1000.bin")
            expect(statSync(cached).mtimeMs).toBeLessThan(Date.now() - 24 * 3600_000)
        },
        TIMEOUT,
    )
})
