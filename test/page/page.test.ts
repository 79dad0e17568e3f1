// `npm start`'s page in a real browser: Debian's Chromium driven by playwright-core,
// against the page server (both builds in the real VM, in real time) on a free port.
import { execFile } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { promisify } from "node:util"
import { chromium, type Browser, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { type BuildName, ROOT } from "../../sim/index.js"
import { PageServer } from "../../tools/page/server.js"

const BUILDS: BuildName[] = ["superloop", "async"]
const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]
const CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
const SCREENSHOT = join(ROOT, "test-artifacts", "page.png")
const README_SCREENSHOT = join(ROOT, "docs", "page.png")
/** Generous: both VMs run in real time while other test files load the machine. */
const WITHIN_MS = 8000

function chromiumPath(): string {
    const found = CHROMIUM_CANDIDATES.find((path): path is string => !!path && existsSync(path))
    if (!found) {
        throw new Error(
            "Chromium is not installed (looked for /usr/bin/chromium): the page test needs Debian's chromium " +
                "(`apt-get install chromium`, as .ci/run does), or CHROMIUM_PATH set to a Chromium binary",
        )
    }
    return found
}

let server: PageServer
let browser: Browser | undefined
let page: Page
const pageErrors: string[] = []
const requests: string[] = []

const panel = (build: BuildName) => `[data-build="${build}"]`
const rows = (build: BuildName, dir: "out" | "in", type: string) =>
    page.locator(`${panel(build)} [data-monitor] .row[data-dir="${dir}"][data-type="${type}"]`)
const figure = (build: BuildName, stat: string) => page.locator(`${panel(build)} [data-stat="${stat}"]`)

/** Waits until the build's monitor shows at least `count` rows of that direction and frame type. */
async function waitForRows(build: BuildName, dir: "out" | "in", type: string, count: number, timeout = WITHIN_MS) {
    await rows(build, dir, type)
        .nth(count - 1)
        .waitFor({ timeout })
        .catch(() => {
            throw new Error(`${build}: no ${count}× ${dir === "out" ? "sent" : "received"} ${type} in the monitor within ${timeout} ms`)
        })
}

async function setPeer(build: BuildName, setting: "replyDelayMs" | "dropShare" | "corruptShare", shown: string, value: number) {
    const input = page.locator(`${panel(build)} [data-peer="${setting}"]`)
    await input.fill(shown)
    await input.press("Tab") // the setting is sent when the field changes, as when a person leaves it
    await expect.poll(() => server.devices.get(build)!.peer[setting], { timeout: WITHIN_MS }).toBe(value)
}

beforeAll(async () => {
    const executablePath = chromiumPath()
    server = await PageServer.start({ port: 0, seed: 1 })
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } })
    page.on("pageerror", e => pageErrors.push(e.message))
    page.on("console", m => {
        if (m.type() === "error") pageErrors.push(m.text())
    })
    page.on("request", r => requests.push(r.url()))
    await page.goto(server.url)
    for (const build of BUILDS) await waitForRows(build, "out", "RDY", 1)
}, 60_000)

afterAll(async () => {
    await browser?.close()
    await server?.close()
})

describe("npm start: the page in Chromium", () => {
    test("a click on the button presses both builds: each sends REQ, and the automatic peer's reply gives ACK", async () => {
        await page.click("#press")
        for (const build of BUILDS) await waitForRows(build, "out", "REQ", 1)
        for (const build of BUILDS) {
            await waitForRows(build, "in", "RES", 1)
            await waitForRows(build, "out", "ACK", 1)
            expect(await rows(build, "out", "REQ").first().locator("code").textContent()).toBe("$REQ,0*5A")
            expect(await rows(build, "out", "ACK").first().locator("code").textContent()).toBe("$ACK,0,ok0*4D")
            await expect.poll(() => figure(build, "acks").textContent()).toBe("1")
            expect(await figure(build, "last").textContent()).toMatch(/^\d+\.\d+ ms$/)
        }
    })

    test("the space bar presses both builds too", async () => {
        await page.keyboard.press("Space")
        for (const build of BUILDS) {
            await waitForRows(build, "out", "REQ", 2)
            await waitForRows(build, "out", "ACK", 2)
            expect(await rows(build, "out", "ACK").nth(1).locator("code").textContent()).toBe("$ACK,1,ok1*4D")
            await expect.poll(() => figure(build, "acks").textContent()).toBe("2")
        }
        // one press each time, not two (a focused button must not also be clicked by the space bar)
        for (const build of BUILDS) expect(server.devices.get(build)!.stats().presses).toBe(2)
    })

    test("with the peers set to drop every reply, a press gives TMO on both", async () => {
        for (const build of BUILDS) await setPeer(build, "dropShare", "100", 1)
        await page.click("#press")
        for (const build of BUILDS) await waitForRows(build, "out", "REQ", 3)
        for (const build of BUILDS) {
            await waitForRows(build, "out", "TMO", 1)
            expect(await rows(build, "out", "TMO").first().locator("code").textContent()).toBe("$TMO,2*48")
            await expect(page.locator(`${panel(build)} .row.peer-note`).first().textContent()).resolves.toContain("drops its reply to REQ,2")
            await expect.poll(() => figure(build, "tmos").textContent()).toBe("1")
            expect(await figure(build, "acks").textContent()).toBe("2")
        }
    })

    test("a frame sent by hand: with its checksum filled in, or a wrong one; an ERR shows", async () => {
        const send = async (build: BuildName, text: string, checksum: "right" | "wrong") => {
            await page.locator(`${panel(build)} [data-send-text]`).fill(text)
            await page.locator(`${panel(build)} button[value="${checksum}"]`).click()
        }
        await send("superloop", "RES,9,x", "wrong")
        await waitForRows("superloop", "in", "RES", 3)
        expect(await rows("superloop", "in", "RES").nth(2).locator("code").textContent()).toBe("$RES,9,x*5F")
        await waitForRows("superloop", "out", "ERR", 1)
        expect(await rows("superloop", "out", "ERR").first().locator("code").textContent()).toBe("$ERR,CHK*29")

        await send("async", "RES,200,x", "right")
        await waitForRows("async", "out", "ERR", 1)
        expect(await rows("async", "out", "ERR").first().locator("code").textContent()).toBe("$ERR,SEQ,200*30")
        for (const build of BUILDS) {
            await expect.poll(() => figure(build, "errs").textContent()).toBe("1")
            await expect(page.locator(`${panel(build)} .row.t-ERR`).first().isVisible()).resolves.toBe(true)
        }
    })

    test("the timeline shows the superloop running bytecode at nearly every wakeup, the async build seldom", async () => {
        const superloop = server.devices.get("superloop")!.stats()
        const async = server.devices.get("async")!.stats()
        expect(superloop.wakeupsPerSec).toBeGreaterThan(0)
        expect(async.wakeupsPerSec).toBeGreaterThan(0)
        expect(superloop.bytecodeWakeupsPerSec).toBeGreaterThan(2 * async.bytecodeWakeupsPerSec)
        // the canvas has been drawn on
        const painted = await page.locator("#timeline").evaluate((canvas: HTMLCanvasElement) => {
            const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height)
            let count = 0
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++
            return count
        })
        expect(painted).toBeGreaterThan(1000)
    })

    test("a request in flight lights both LEDs; the page used nothing but its own server; screenshot", async () => {
        await page.click("#press")
        for (const build of BUILDS) {
            await waitForRows(build, "out", "REQ", 4)
            await page.locator(`${panel(build)} [data-led].on`).waitFor({ timeout: WITHIN_MS })
            await expect.poll(() => figure(build, "inFlight").textContent()).toBe("1 / 4")
        }
        await page.waitForTimeout(300) // a few timeline frames with the LED still on (the TMO comes after 1 s)
        mkdirSync(join(ROOT, "test-artifacts"), { recursive: true })
        await page.screenshot({ path: SCREENSHOT, fullPage: true })
        if (process.env.UPDATE_SCREENSHOT === "1") {
            mkdirSync(join(ROOT, "docs"), { recursive: true })
            copyFileSync(SCREENSHOT, README_SCREENSHOT)
        }

        const origin = new URL(server.url).origin
        expect(requests.filter(url => !url.startsWith(`${origin}/`) && !url.startsWith("data:"))).toEqual([])
        expect(pageErrors).toEqual([])
        expect(server.crashes()).toEqual([])
    })
})

describe("npm start: the command line", () => {
    /** Runs the page server's command as `npm start -- args` does; resolves with its exit code and stderr. */
    async function run(...args: string[]) {
        const command = [process.execPath, "--import", "tsx", join(ROOT, "tools/page/server.ts"), ...args] as const
        try {
            await promisify(execFile)(command[0], command.slice(1), { cwd: ROOT, timeout: 20_000 })
            return { code: 0, stderr: "" }
        } catch (e) {
            const failed = e as { code?: number; stderr?: string }
            return { code: failed.code, stderr: failed.stderr ?? "" }
        }
    }

    test("an unknown argument: one line, and a non-zero exit", async () => {
        const { code, stderr } = await run("--bogus")
        expect(code).toBe(1)
        expect(stderr.trim()).toMatch(/^error: unknown argument --bogus; usage: npm start -- \[--port N\]/)
        expect(stderr.trim().split("\n")).toHaveLength(1)
    })

    test("a port in use: one line, and a non-zero exit", async () => {
        const { code, stderr } = await run("--no-build", "--port", String(server.port))
        expect(code).toBe(1)
        expect(stderr.trim()).toBe(`error: port ${server.port} is in use: pass another with --port N (--port 0 picks a free one)`)
    })
})
