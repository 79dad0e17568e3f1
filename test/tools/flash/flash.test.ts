// npm run flash, without a board or the network: every error is one line and exit 1; the ESP32 path runs
// `devs flash`, which runs a fake esptool.py found through a fake udevadm's port list; the RP2040 path copies to a folder.
// (Bundling starts the CLI's devtools on ports 8081-8083: those tests are in bundle.ports.test.ts.)
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ROOT } from "../../../host/index.js"
import { fakeEsp32Runtime, fakeRp2040Runtime } from "../../support/images.js"
import { esptoolCall, expectedEsptoolCall, fakeBootDrive, fakeTools, runTool, stderrLines, tempDir, type ToolRun } from "../../support/tools.js"

const ESP32 = "esp32_devkitc_button_led"
const PICO = "pico_button_led"
const CP2102 = "10c4"

let work: ReturnType<typeof tempDir>
let esp32Runtime: string
let picoRuntime: string

beforeAll(() => {
    work = tempDir("flash-test-")
    esp32Runtime = join(work.dir, "devicescript-esp32-esp32_bare-0x1000.bin")
    picoRuntime = join(work.dir, "devicescript-rp2040-pico.uf2")
    writeFileSync(esp32Runtime, fakeEsp32Runtime())
    writeFileSync(picoRuntime, fakeRp2040Runtime())
})
afterAll(() => work.cleanUp())

/** Runs npm run flash in the project, with PATH and USER as given (PATH: only the fake tools). */
function flash(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ToolRun> {
    return runTool("flash/main.ts", args, { cwd: ROOT, env: { USER: "flash-test-nobody", ...env } })
}

/** The run failed with exactly one line on stderr, `error: ...`, and no stack trace. */
function expectOneLineError(run: ToolRun, pattern: RegExp) {
    const lines = stderrLines(run)
    expect(lines, run.stderr).toHaveLength(1)
    expect(lines[0]).toMatch(/^error: /)
    expect(lines[0]).toMatch(pattern)
    expect(run.code).toBe(1)
}

/** A folder of its own for one test, in the work folder. */
function fakeFolder(name: string): string {
    return join(work.dir, name)
}

describe.concurrent("npm run flash: one clear line and exit 1 for", () => {
    test("no board", async () => {
        expectOneLineError(await flash(["--build", "async"]), /--board is required; use one of: esp32_devkitc_button_led, pico_button_led/)
    })

    test("an unknown board", async () => {
        expectOneLineError(await flash(["--board", "uno", "--build", "async"]), /unknown board "uno"; use one of: esp32_devkitc_button_led, pico_button_led/)
    })

    test("an unknown build", async () => {
        expectOneLineError(await flash(["--board", PICO, "--build", "fast"]), /unknown build "fast"; use one of: superloop, async/)
    })

    test("an unknown option", async () => {
        expectOneLineError(await flash(["--board", PICO, "--build", "async", "--fast"]), /unknown argument --fast; usage: npm run flash/)
    })

    test("a missing firmware file", async () => {
        expectOneLineError(await flash(["--board", PICO, "--build", "async", "--firmware", "no/such.uf2"]), /no firmware file no\/such\.uf2/)
    })

    test("a firmware file that is no UF2, for the Pico", async () => {
        expectOneLineError(
            await flash(["--board", PICO, "--build", "async", "--firmware", esp32Runtime]),
            /is not a UF2 file; pico_button_led needs the RP2040 runtime \(devicescript-rp2040-pico\.uf2\)/,
        )
    })

    test("a UF2 file, for the ESP32", async () => {
        expectOneLineError(
            await flash(["--board", ESP32, "--build", "async", "--firmware", picoRuntime]),
            /is a UF2 file \(for an RP2040\?\), not an ESP32 image; esp32_devkitc_button_led needs the ESP32 runtime \(devicescript-esp32-esp32_bare-0x1000\.bin\)/,
        )
    })

    test("an image for another ESP32 chip", async () => {
        const s3 = join(work.dir, "devicescript-esp32s3-esp32s3_bare-0x1000.bin")
        writeFileSync(s3, fakeEsp32Runtime(9))
        expectOneLineError(await flash(["--board", ESP32, "--build", "async", "--firmware", s3]), /is an image for the ESP32-S3, not the ESP32/)
    })

    test("an ESP32 image for another flash offset", async () => {
        const app = join(work.dir, "devicescript-esp32-esp32_bare-0x10000.bin")
        writeFileSync(app, fakeEsp32Runtime())
        expectOneLineError(await flash(["--board", ESP32, "--build", "async", "--firmware", app]), /is an image for flash offset 0x10000, not 0x1000/)
    })

    test("esptool missing", async () => {
        const tools = fakeTools(fakeFolder("no-esptool"), { ports: [{ path: "/dev/ttyUSB0", vendorId: CP2102 }], esptool: false })
        expectOneLineError(await flash(["--board", ESP32, "--build", "async"], tools.env), /esptool is missing: install it with `pip install esptool`/)
    })

    test("no serial port", async () => {
        const tools = fakeTools(fakeFolder("no-port"), { ports: [] })
        expectOneLineError(
            await flash(["--board", ESP32, "--build", "async"], tools.env),
            /no serial port found for the ESP32: plug the board in over USB .* or pass --port \/dev\/ttyUSB0/,
        )
    })

    test("a serial port that is not there", async () => {
        const tools = fakeTools(fakeFolder("other-port"), { ports: [{ path: "/dev/ttyUSB0", vendorId: CP2102 }] })
        expectOneLineError(
            await flash(["--board", ESP32, "--build", "async", "--port", "/dev/ttyUSB7"], tools.env),
            /no serial port \/dev\/ttyUSB7: .*; ports found: \/dev\/ttyUSB0/,
        )
    })

    test("several serial ports that could be the board", async () => {
        const ports = [
            { path: "/dev/ttyUSB0", vendorId: CP2102 },
            { path: "/dev/ttyACM0", vendorId: "303a" },
        ]
        const tools = fakeTools(fakeFolder("two-ports"), { ports })
        expectOneLineError(await flash(["--board", ESP32, "--build", "async"], tools.env), /several serial ports could be the board \(\/dev\/ttyUSB0, \/dev\/ttyACM0\): pass --port/)
    })

    test("no udevadm to list serial ports", async () => {
        const tools = fakeTools(fakeFolder("no-udevadm"), { udevadm: false })
        expectOneLineError(await flash(["--board", ESP32, "--build", "async"], tools.env), /cannot list serial ports \(udevadm is missing: install udev\)/)
    })

    test("no RP2040 drive", async () => {
        expectOneLineError(
            await flash(["--board", PICO, "--build", "async"]),
            /no RP2040 drive \(RPI-RP2\) found: hold BOOTSEL while plugging in the Pico, or pass --drive/,
        )
    })

    test("a --drive that is no boot drive", async () => {
        expectOneLineError(
            await flash(["--board", PICO, "--build", "async", "--drive", work.dir]),
            /is not an RP2040 boot drive \(no INFO_UF2\.TXT\): hold BOOTSEL/,
        )
    })

    test("--image with a UF2, for the ESP32: the advice is about bundled images, not runtimes", async () => {
        const run = await flash(["--board", ESP32, "--image", picoRuntime])
        expectOneLineError(
            run,
            /is a UF2 file \(for an RP2040\?\), not an ESP32 image; --image takes an image bundled for esp32_devkitc_button_led: npm run flash -- --board esp32_devkitc_button_led --build superloop\|async --bundle-only writes built\/<build>\/esp32_devkitc_button_led-0x1000\.bin$/,
        )
        expect(run.stderr).not.toContain("runtime")
    })

    test("--image that is no UF2, for the Pico", async () => {
        const run = await flash(["--board", PICO, "--image", esp32Runtime])
        expectOneLineError(run, /is not a UF2 file; --image takes an image bundled for pico_button_led: .* --bundle-only writes built\/<build>\/pico_button_led\.uf2$/)
        expect(run.stderr).not.toContain("runtime")
    })

    test("--image of an ESP32 image whose name lacks its flash offset", async () => {
        const image = join(work.dir, "my-image.bin")
        writeFileSync(image, fakeEsp32Runtime())
        expectOneLineError(
            await flash(["--board", ESP32, "--image", image]),
            /my-image\.bin: an ESP32 image's name must end in its flash offset \(-0x1000\.bin\); --image takes an image bundled for esp32_devkitc_button_led/,
        )
    })

    test("esptool failing to connect: esptool's own reason, then what to do, without --verbose", async () => {
        const image = join(work.dir, "boot-mode-esp32_devkitc_button_led-0x1000.bin")
        writeFileSync(image, fakeEsp32Runtime())
        const esptool = {
            exitCode: 2,
            lines: [
                "esptool.py v4.7.0",
                "Serial port /dev/ttyUSB0",
                "Connecting......................................",
                "",
                "A fatal error occurred: Failed to connect to ESP32: Wrong boot mode detected (0x13)! The chip needs to be in download mode.",
                "For troubleshooting steps visit: https://docs.espressif.com/projects/esptool/en/latest/troubleshooting.html",
            ],
        }
        const tools = fakeTools(fakeFolder("esptool-boot-mode"), { ports: [{ path: "/dev/ttyUSB0", vendorId: CP2102 }], esptool })
        const run = await flash(["--board", ESP32, "--image", image], tools.env)
        expectOneLineError(
            run,
            /^error: esptool failed on \/dev\/ttyUSB0: Failed to connect to ESP32: Wrong boot mode detected \(0x13\)! The chip needs to be in download mode\.; hold BOOT, press EN \(reset\), release BOOT, and try again$/,
        )
        expect(run.stdout).not.toContain("Connecting")
    })

    test("esptool failing otherwise: its last line", async () => {
        const image = join(work.dir, "no-pyserial-esp32_devkitc_button_led-0x1000.bin")
        writeFileSync(image, fakeEsp32Runtime())
        const esptool = {
            exitCode: 1,
            lines: ["Traceback (most recent call last):", '  File "esptool.py", line 31, in <module>', "ModuleNotFoundError: No module named 'serial'"],
        }
        const tools = fakeTools(fakeFolder("esptool-no-pyserial"), { ports: [{ path: "/dev/ttyUSB0", vendorId: CP2102 }], esptool })
        expectOneLineError(await flash(["--board", ESP32, "--image", image], tools.env), /^error: esptool failed on \/dev\/ttyUSB0: ModuleNotFoundError: No module named 'serial'$/)
    })

    test("an ESP32 option for the Pico", async () => {
        expectOneLineError(await flash(["--board", PICO, "--build", "async", "--port", "/dev/ttyUSB0"]), /--port is for ESP32 boards/)
    })
})

describe("npm run flash --image: flashing a bundled image", () => {
    test("ESP32: esptool.py write_flash at 0x1000 on the one USB-serial port", async () => {
        const image = join(work.dir, "superloop-esp32_devkitc_button_led-0x1000.bin")
        writeFileSync(image, fakeEsp32Runtime())
        const ports = [
            { path: "/dev/ttyS0", vendorId: "" },
            { path: "/dev/ttyUSB0", vendorId: CP2102 },
        ]
        const tools = fakeTools(fakeFolder("esp32-flash"), { ports })
        const run = await flash(["--board", ESP32, "--image", image], tools.env)
        expect(run.code, run.stdout + run.stderr).toBe(0)
        expect(esptoolCall(tools.esptoolLog)).toEqual(expectedEsptoolCall(image))
        expect(run.stdout).toContain(`flashing through /dev/ttyUSB0 with ${join(tools.bin, "esptool.py")}`)
    })

    test("ESP32: --port and --baud reach esptool", async () => {
        const image = join(work.dir, "async-esp32_devkitc_button_led-0x1000.bin")
        writeFileSync(image, fakeEsp32Runtime())
        const tools = fakeTools(fakeFolder("esp32-port"), { ports: [{ path: "/dev/ttyUSB3", vendorId: "1a86" }, { path: "/dev/ttyUSB4", vendorId: CP2102 }] })
        const run = await flash(["--board", ESP32, "--image", image, "--port", "/dev/ttyUSB4", "--baud", "460800"], tools.env)
        expect(run.code, run.stdout + run.stderr).toBe(0)
        expect(esptoolCall(tools.esptoolLog)).toEqual(expectedEsptoolCall(image, "/dev/ttyUSB4", "460800"))
    })

    test("RP2040: the UF2 is copied to the boot drive", async () => {
        const drive = fakeBootDrive(fakeFolder("pico-drive"))
        const run = await flash(["--board", PICO, "--image", picoRuntime, "--drive", drive])
        expect(run.code, run.stdout + run.stderr).toBe(0)
        const copy = join(drive, "devicescript-rp2040-pico.uf2")
        expect(existsSync(copy)).toBe(true)
        expect(readFileSync(copy)).toEqual(readFileSync(picoRuntime))
    })
})
