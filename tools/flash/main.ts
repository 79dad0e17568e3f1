// npm run flash -- --board <board> --build superloop|async [--firmware FILE]: build, bundle and flash one build.
import { existsSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { type BuildName, BUILD_NAMES, buildNamed } from "../../host/index.js"
import { runMain, UserError } from "../lib/errors.js"
import { parseOptions, type Options } from "../lib/options.js"
import { findBoard, type Board } from "./boards.js"
import { bundle } from "./bundle.js"
import { findEsptool, findSerialPort, flashEsp32 } from "./esp32.js"
import { checkFirmwareFile, imageAdvice } from "./firmwareFile.js"
import { copyToDrive, findDrive } from "./rp2040.js"

const USAGE =
    "usage: npm run flash -- --board <board> --build superloop|async [--firmware FILE] " +
    "[--port PATH] [--baud N] [--esptool PATH] [--drive DIR] [--bundle-only] [--image FILE] [--verbose]"

const HELP = [
    "Builds, bundles and flashes one build to a board: an ESP32 through esptool, a Pico by copying to its boot drive.",
    "  --board ID        one of the boards in boards/",
    `  --build NAME      ${BUILD_NAMES.join(" or ")}`,
    "  --firmware FILE   a DeviceScript runtime to bundle instead of the downloaded one",
    "  --port PATH       ESP32: the serial port (default: the one USB-serial port there is)",
    "  --baud N          ESP32: esptool's baud rate",
    "  --esptool PATH    ESP32: the esptool to run (default: esptool.py, esptool or python3 -m esptool)",
    "  --drive DIR       Pico: its boot drive (RPI-RP2)",
    "  --bundle-only     write the image into built/<build>/ and flash nothing",
    "  --image FILE      flash an image that --bundle-only wrote, as it is",
    "  --verbose         show the output of devs and esptool as it comes",
].join("\n")

const SPEC = {
    board: "string",
    build: "string",
    firmware: "string",
    image: "string",
    port: "string",
    baud: "number",
    esptool: "string",
    drive: "string",
    "bundle-only": "flag",
    verbose: "flag",
} as const
type FlashOptions = Options<typeof SPEC>

/** Where the board gets its image: through esptool on a serial port, or a copy to the boot drive. */
type Target = { chip: "esp32"; port: string; esptool: string } | { chip: "rp2040"; drive: string }

function checkProjectDir(dir: string) {
    if (!existsSync(join(dir, "devsconfig.json"))) {
        throw new UserError(`no devsconfig.json in ${dir}: run this from the project folder (npm run flash does)`)
    }
}

function buildName(options: FlashOptions): BuildName | undefined {
    const names = BUILD_NAMES
    if (options.image !== undefined) {
        if (options.build !== undefined || options.firmware !== undefined || options["bundle-only"]) {
            throw new UserError("--image flashes a bundled image as is: leave out --build, --firmware and --bundle-only")
        }
        return undefined
    }
    if (options.build === undefined) throw new UserError(`--build is required; use one of: ${names.join(", ")}`)
    if (!names.includes(options.build as BuildName)) throw new UserError(`unknown build "${options.build}"; use one of: ${names.join(", ")}`)
    return options.build as BuildName
}

function checkImage(image: string, board: Board) {
    checkFirmwareFile(image, board, "--image")
    if (board.chip === "esp32" && !/-0x[0-9a-f]+\.bin$/i.test(image)) {
        throw new UserError(`${image}: an ESP32 image's name must end in its flash offset (-0x1000.bin); ${imageAdvice(board)}`)
    }
}

async function findTarget(board: Board, options: FlashOptions): Promise<Target> {
    if (board.chip === "rp2040") return { chip: "rp2040", drive: findDrive(options.drive) }
    const esptool = findEsptool(options.esptool)
    return { chip: "esp32", esptool, port: await findSerialPort(options.port) }
}

function checkOptionsFit(board: Board, options: FlashOptions) {
    const espOnly = (["port", "baud", "esptool"] as const).filter(name => options[name] !== undefined)
    if (board.chip === "rp2040" && espOnly.length) throw new UserError(`--${espOnly[0]} is for ESP32 boards; ${board.id} is flashed by copying to its drive (--drive)`)
    if (board.chip === "esp32" && options.drive !== undefined) throw new UserError(`--drive is for RP2040 boards; ${board.id} is flashed with esptool (--port)`)
    if (options.baud !== undefined && !(Number.isInteger(options.baud) && options.baud > 0)) throw new UserError(`--baud takes a positive whole number`)
}

async function bundleBuild(projectDir: string, board: Board, build: BuildName, options: FlashOptions): Promise<string> {
    console.log(`building ${buildNamed(build).entry} and bundling it for ${board.id} (${board.devName})...`)
    const image = await bundle({ projectDir, board, build, firmware: options.firmware, verbose: !!options.verbose })
    console.log(`image: ${relative(projectDir, image)} (${statSync(image).size} bytes)`)
    return image
}

async function flashTo(target: Target, projectDir: string, board: Board, image: string, options: FlashOptions) {
    if (target.chip === "esp32") {
        console.log(`flashing through ${target.port} with ${target.esptool}...`)
        const { port, esptool } = target
        await flashEsp32({ projectDir, board, image, port, esptool, baud: options.baud, verbose: !!options.verbose })
        console.log(`flashed ${board.id}`)
    } else {
        console.log(`copied to ${copyToDrive(image, target.drive)}; the Pico writes it to flash and restarts`)
    }
    console.log("next: npx devs devtools --serial (the board on USB), then npm run bridge -- --port <the peer's serial port>")
}

async function main() {
    const options = parseOptions(process.argv.slice(2), SPEC, USAGE, HELP)
    const projectDir = process.cwd()
    checkProjectDir(projectDir)
    const board = findBoard(projectDir, options.board)
    const build = buildName(options)
    checkOptionsFit(board, options)
    if (options.firmware !== undefined) checkFirmwareFile(options.firmware, board)
    if (options.image !== undefined) checkImage(options.image, board)
    // The board and the tools to flash it are looked for first, so that nothing is built in vain.
    const target = options["bundle-only"] ? undefined : await findTarget(board, options)
    const image = build ? await bundleBuild(projectDir, board, build, options) : options.image!
    if (target) await flashTo(target, projectDir, board, image, options)
}

runMain(main)
