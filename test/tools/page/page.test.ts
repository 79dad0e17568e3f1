// `npm start`'s page in a real browser: the Chromium of the npm package
// @sparticuz/chromium, driven by playwright-core, against the page server (every
// build in the real VM, in real time) on a free port. Nothing outside npm.
import sparticuzChromium from "@sparticuz/chromium"
import { execFile } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { BUILD_NAMES, BUILDS as BUILD_LIST, type BuildName, ROOT } from "../../../host/index.js"
import { distributionChart, timelineChart } from "../../../tools/compare/charts.js"
import { FLOOD_SECONDS } from "../../../tools/page/flood.js"
import { MAX_HAND_BYTES } from "../../../tools/page/handSend.js"
import { PEER_LIMITS } from "../../../tools/page/peer.js"
import { PageServer } from "../../../tools/page/server.js"

const BUILDS = BUILD_NAMES
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const ARTIFACTS = join(ROOT, "test-artifacts")
const README_SCREENSHOT = join(ROOT, "docs", "page.png")
/** Generous: every build's VM runs in real time while other test files load the machine. */
const WITHIN_MS = 8000
/** A second page's load, while the first one draws and every VM runs. */
const PAGE_LOAD_MS = 30_000

let server: PageServer
let browser: BrowserContext | undefined
let userDataDir: string | undefined
let page: Page
const pageErrors: string[] = []
/** While the server is stopped on purpose, the browser's failed attempts to reach it are expected. */
let serverStopped = false
const requests: string[] = []
/** The headers of the page's own POSTs, as the browser sent them. */
const postHeaders: Promise<Record<string, string>>[] = []

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

interface Box {
    text: string
    /** Which text node or canvas label it is (the lines of one text node may touch). */
    node?: number
    left: number
    right: number
    top: number
    bottom: number
}

/** What a person sees of the page's layout: how wide it scrolls, where the controls are, and every label's box. */
interface Layout {
    viewportWidth: number
    scrollWidth: number
    /** Controls that are not wholly on the screen, sideways. */
    controlsOff: string[]
    /** The boxes of the page's text (lines of text nodes, as far as their clipping boxes let them show). */
    texts: Box[]
    /** The labels drawn on the timeline, in page coordinates. */
    timeline: Box[]
    /** The timeline's marks (frames' dots and rings), in page coordinates. */
    marks: Box[]
    /** Each build's panel, in the order of the page. */
    panels: { build: string; left: number; top: number; right: number }[]
    /** Each text field whose placeholder does not fit in it: its build, and how wide the text is and the room for it. */
    cutPlaceholders: string[]
}

const CONTROLS = "#press, #clear, #pause, [data-peer], [data-flood], [data-flood-seconds], [data-send-text], [data-send] button"

function layout(): Promise<Layout> {
    return page.evaluate((controls: string) => {
        const viewportWidth = document.documentElement.clientWidth
        const controlsOff = [...document.querySelectorAll(controls)].flatMap(element => {
            const r = element.getBoundingClientRect()
            const name = element.id || element.getAttribute("data-peer") || element.textContent?.trim() || element.tagName
            return r.width > 0 && r.left >= 0 && r.right <= viewportWidth ? [] : [`${name}: ${Math.round(r.left)} to ${Math.round(r.right)}`]
        })
        // a text node's lines, cut to what the boxes around it that clip their content let show
        type Rect = { left: number; right: number; top: number; bottom: number }
        const cut = (a: Rect, b: Rect): Rect => ({
            left: Math.max(a.left, b.left),
            right: Math.min(a.right, b.right),
            top: Math.max(a.top, b.top),
            bottom: Math.min(a.bottom, b.bottom),
        })
        const clips = new Map<Element, Rect>()
        const everywhere = { left: -Infinity, right: Infinity, top: -Infinity, bottom: Infinity }
        const clipOf = (e: Element | null): Rect => {
            if (!e) return everywhere
            let found = clips.get(e)
            if (!found) {
                const style = getComputedStyle(e)
                const outer = clipOf(e.parentElement)
                found = style.overflowX === "visible" && style.overflowY === "visible" ? outer : cut(outer, e.getBoundingClientRect())
                clips.set(e, found)
            }
            return found
        }
        const clip = (rect: DOMRect, from: Element | null) => {
            const box = cut(rect, clipOf(from))
            return box.right - box.left > 0.5 && box.bottom - box.top > 0.5 ? box : null
        }
        const texts: Box[] = []
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
        let index = 0
        for (let node = walker.nextNode(); node; node = walker.nextNode(), index++) {
            const text = node.textContent?.trim()
            if (!text || node.parentElement?.closest("template, script, style")) continue
            const range = document.createRange()
            range.selectNodeContents(node)
            for (const rect of range.getClientRects()) {
                const box = clip(rect, node.parentElement)
                if (box) texts.push({ text, node: index, ...box })
            }
        }
        const canvas = document.querySelector("#timeline") as HTMLCanvasElement & { labelBoxes?: Box[]; markBoxes?: Box[] }
        const origin = canvas.getBoundingClientRect()
        const onPage = (boxes: Box[] = []) =>
            boxes.map(b => ({ ...b, left: b.left + origin.left, right: b.right + origin.left, top: b.top + origin.top, bottom: b.bottom + origin.top }))
        const panels = [...document.querySelectorAll<HTMLElement>("[data-build]")].map(el => {
            const r = el.getBoundingClientRect()
            return { build: el.dataset.build ?? "", left: r.left, top: r.top, right: r.right }
        })
        // a placeholder's text, measured in its field's font, against the room inside the field
        const measure = document.createElement("canvas").getContext("2d")!
        const cutPlaceholders = [...document.querySelectorAll<HTMLInputElement>("input[placeholder]")].flatMap(input => {
            const style = getComputedStyle(input)
            measure.font = style.font
            const text = measure.measureText(input.placeholder).width
            const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
            const build = input.closest<HTMLElement>("[data-build]")?.dataset.build
            return text <= room ? [] : [`${build}: "${input.placeholder}" is ${Math.round(text)} px, in ${Math.round(room)} px`]
        })
        return {
            viewportWidth,
            scrollWidth: document.documentElement.scrollWidth,
            controlsOff,
            texts,
            timeline: onPage(canvas.labelBoxes),
            marks: onPage(canvas.markBoxes),
            panels,
            cutPlaceholders,
        }
    }, CONTROLS)
}

/** Pairs of boxes that overlap by more than half a pixel each way. */
function overlaps(boxes: Box[]): string[] {
    const found: string[] = []
    const slack = 0.5
    const byTop = [...boxes].sort((a, b) => a.top - b.top)
    byTop.forEach((a, i) => {
        // only boxes that start above this one's bottom can overlap it
        for (let j = i + 1; j < byTop.length && byTop[j].top + slack < a.bottom; j++) {
            const b = byTop[j]
            if (a.node !== undefined && a.node === b.node) continue
            if (a.left + slack < b.right && b.left + slack < a.right && b.top + slack < a.bottom) {
                found.push(`"${a.text}" and "${b.text}" at ${Math.round(a.left)},${Math.round(a.top)}`)
            }
        }
    })
    return found
}

/** The page's layout once `holds` (polled: the timeline draws on its own time); fails after `timeout`. */
async function layoutWhen(holds: (seen: Layout) => boolean, what: string, timeout = WITHIN_MS): Promise<Layout> {
    const until = Date.now() + timeout
    for (;;) {
        const seen = await layout()
        if (holds(seen)) return seen
        if (Date.now() > until) throw new Error(`not within ${timeout} ms: ${what}`)
        await page.waitForTimeout(100)
    }
}

/** Pairs of a label and a mark (of the timeline) that overlap. */
function labelsOnMarks(labels: Box[], marks: Box[]): string[] {
    const slack = 0.5
    return labels.flatMap(a =>
        marks
            .filter(b => a.left + slack < b.right && b.left + slack < a.right && a.top + slack < b.bottom && b.top + slack < a.bottom)
            .map(b => `label "${a.text}" on the mark of a ${b.text} at ${Math.round(b.left)},${Math.round(b.top)}`),
    )
}

/**
 * Checks the page at a screen size: no sideways scroll, every control on the screen, no two labels overlapping,
 * no placeholder cut off; the panels side by side (`"row"`) or one under the other (`"column"`).
 */
async function checkLayout(size: { width: number; height: number }, panels: "row" | "column") {
    await page.setViewportSize(size)
    // the timeline drawn at the new width, and a few frames more
    await page.waitForFunction(() => {
        const canvas = document.querySelector("#timeline") as HTMLCanvasElement & { drawnWidth?: number }
        return canvas.drawnWidth === canvas.clientWidth
    })
    await page.waitForTimeout(250)
    const seen = await layout()
    expect(seen.viewportWidth).toBe(size.width)
    expect(seen.scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(seen.viewportWidth)
    expect(seen.controlsOff).toEqual([])
    expect(seen.texts.length).toBeGreaterThan(50)
    expect(overlaps(seen.texts)).toEqual([])
    expect(seen.timeline.filter(b => (BUILDS as string[]).includes(b.text)).map(b => b.text)).toEqual(BUILDS)
    expect(overlaps(seen.timeline)).toEqual([])
    expect(labelsOnMarks(seen.timeline, seen.marks)).toEqual([])
    for (const box of seen.timeline) expect(box.right, box.text).toBeLessThanOrEqual(seen.viewportWidth)
    for (const selector of ["#press", "#timeline", ...BUILDS.map(build => `${panel(build)} [data-flood]`)]) {
        await expect(page.locator(selector).isVisible(), selector).resolves.toBe(true)
    }
    expect(seen.cutPlaceholders).toEqual([])
    expect(seen.panels.map(p => p.build)).toEqual(BUILDS)
    seen.panels.forEach((p, i) => {
        if (i === 0) return
        const before = seen.panels[i - 1]
        if (panels === "row") expect({ top: p.top, after: p.left > before.right }, p.build).toEqual({ top: before.top, after: true })
        else expect(p.top, p.build).toBeGreaterThan(before.top)
    })
    return seen
}

async function screenshot(name: string, fullPage = true) {
    mkdirSync(ARTIFACTS, { recursive: true })
    const path = join(ARTIFACTS, name)
    await page.screenshot({ path, fullPage, timeout: 60_000 })
    return path
}

/** A page of another origin on this machine (another port), as any web site open in the same browser. */
async function serveAnotherSite(): Promise<{ url: string; close: () => Promise<void> }> {
    const site: Server = createServer((_, res) => {
        res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>another site</title>")
    })
    await new Promise<void>(resolve => site.listen(0, "127.0.0.1", resolve))
    const { port } = site.address() as { port: number }
    return { url: `http://127.0.0.1:${port}/`, close: () => new Promise(resolve => site.close(() => resolve())) }
}

beforeAll(async () => {
    server = await PageServer.start({ port: 0, seed: 1 })
    userDataDir = mkdtempSync(join(tmpdir(), "page-test-chromium-"))
    browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: await sparticuzChromium.executablePath(),
        // the package turns the same-origin policy off (for scraping); the page must work, and be safe, with it on
        args: sparticuzChromium.args.filter(arg => arg !== "--disable-web-security"),
        headless: true,
        viewport: DESKTOP,
    })
    page = browser.pages()[0] ?? (await browser.newPage())
    page.on("pageerror", e => pageErrors.push(e.message))
    page.on("console", m => {
        if (m.type() === "error" && !(serverStopped && /ERR_CONNECTION_REFUSED/.test(m.text()))) pageErrors.push(m.text())
    })
    page.on("request", r => {
        requests.push(r.url())
        if (r.method() === "POST") postHeaders.push(r.allHeaders())
    })
    await page.goto(server.url)
    for (const build of BUILDS) await waitForRows(build, "out", "RDY", 1)
}, 60_000)

afterAll(async () => {
    await server?.close()
    await browser?.close()
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
}, 60_000)

describe("npm start: the page in Chromium", () => {
    test("one panel per build the server lists: its name, style and summary, in its colour; the limits typed in come from the server", async () => {
        const shown = await page.locator("[data-build]").evaluateAll(panels =>
            panels.map(el => ({
                name: el.querySelector("[data-name]")?.textContent,
                style: el.querySelector("[data-style]")?.textContent,
                summary: el.querySelector("[data-summary]")?.textContent,
                colour: getComputedStyle(el).borderTopColor,
            })),
        )
        const rgb = (hex: string) => `rgb(${[1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`
        expect(shown).toEqual(BUILD_LIST.map(b => ({ name: b.name, style: b.style, summary: b.summary.replaceAll("`", ""), colour: rgb(b.color) })))
        expect(await page.locator("#title").textContent()).toBe(BUILDS.join(" vs "))
        for (const build of BUILDS) {
            const field = (selector: string) => page.locator(`${panel(build)} ${selector}`)
            for (const [key, limit] of Object.entries(PEER_LIMITS)) {
                expect(await field(`[data-peer="${key}"]`).evaluate((input: HTMLInputElement) => [input.min, input.max])).toEqual([String(limit.min), String(limit.max)])
            }
            expect(await field("[data-flood-seconds]").getAttribute("max")).toBe(String(FLOOD_SECONDS.max))
            expect(await field("[data-send-text]").getAttribute("maxlength")).toBe(String(MAX_HAND_BYTES))
        }
    })

    test("a click on the button presses every build: each sends REQ, and the automatic peer's reply gives ACK", async () => {
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

    test("the space bar presses every build too", async () => {
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

    test("with the peers set to drop every reply, a press gives TMO on every build", async () => {
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

    test("peer settings are checked in the field, in ms and %: a refused value leaves the value in force, with a message under the fields, which stay where they are", async () => {
        const field = (build: BuildName, setting: string) => page.locator(`${panel(build)} [data-peer="${setting}"]`)
        const message = (build: BuildName, setting: string) => page.locator(`${panel(build)} [data-message="${setting}"]`)
        const fieldBoxes = (build: BuildName) =>
            page.locator(`${panel(build)} [data-peer]`).evaluateAll(inputs =>
                inputs.map(input => {
                    const r = input.getBoundingClientRect()
                    return { left: r.left + scrollX, top: r.top + scrollY, row: input.closest("[data-peer-fields]")!.getBoundingClientRect().height }
                }),
            )
        const refuse = async (build: BuildName, setting: string, typed: string) => {
            await field(build, setting).fill(typed)
            await field(build, setting).press("Enter")
            await expect.poll(() => message(build, setting).textContent()).not.toBe("")
        }
        const before = { superloop: await fieldBoxes("superloop"), async: await fieldBoxes("async") }
        await refuse("superloop", "dropShare", "250")
        expect(await message("superloop", "dropShare").textContent()).toBe("dropped: 250 % is out of range: from 0 to 100 %; still 100 %")
        expect(await field("superloop", "dropShare").inputValue()).toBe("100")
        expect(await field("superloop", "dropShare").getAttribute("aria-invalid")).toBe("true")
        await refuse("async", "replyDelayMs", "-5")
        expect(await message("async", "replyDelayMs").textContent()).toBe("reply delay: -5 ms is out of range: from 0 to 5000 ms; still 150 ms")
        expect(await field("async", "replyDelayMs").inputValue()).toBe("150")
        await refuse("async", "corruptShare", "")
        expect(await message("async", "corruptShare").textContent()).toBe("corrupted: enter a number from 0 to 100 %; still 0 %")
        expect(server.devices.get("superloop")!.peer).toEqual({ replyDelayMs: 150, dropShare: 1, corruptShare: 0 })
        expect(server.devices.get("async")!.peer).toEqual({ replyDelayMs: 150, dropShare: 1, corruptShare: 0 })
        // no field moved, nor did the row of fields grow: the messages are under it, each naming its field
        expect(await fieldBoxes("superloop")).toEqual(before.superloop)
        expect(await fieldBoxes("async")).toEqual(before.async)
        const row = await page.locator(`${panel("async")} [data-peer-fields]`).boundingBox()
        const messages = await page.locator(`${panel("async")} [data-peer-messages]`).boundingBox()
        expect(messages!.y).toBeGreaterThanOrEqual(row!.y + row!.height)
        expect(messages!.y - (row!.y + row!.height)).toBeLessThan(12)
        expect(await page.locator(`${panel("async")} [data-peer-messages] .shown`).allTextContents()).toEqual([
            "reply delay: -5 ms is out of range: from 0 to 5000 ms; still 150 ms",
            "corrupted: enter a number from 0 to 100 %; still 0 %",
        ])

        // a value in range is taken, and the message goes
        await field("async", "replyDelayMs").fill("120")
        await field("async", "replyDelayMs").press("Enter")
        await expect.poll(() => server.devices.get("async")!.peer.replyDelayMs).toBe(120)
        await expect.poll(() => message("async", "replyDelayMs").isVisible()).toBe(false)
        expect(await field("async", "replyDelayMs").getAttribute("aria-invalid")).toBe(null)
        // the server answers in the same terms, should a refused value reach it
        const refused = await fetch(`${server.url}api/peer`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ build: "async", dropShare: 2.5 }),
        })
        expect(refused.status).toBe(400)
        expect(await refused.json()).toEqual({ error: "dropped must be from 0 to 100 %, not 250 %" })
    })

    test("a frame sent by hand: with its checksum filled in, or a wrong one, or as typed, as its preview (from the server) says; an ERR shows", async () => {
        const preview = (build: BuildName) => page.locator(`${panel(build)} [data-preview]`)
        const send = async (build: BuildName, text: string, checksum: "right" | "wrong") => {
            await page.locator(`${panel(build)} [data-send-text]`).fill(text)
            await page.locator(`${panel(build)} button[value="${checksum}"]`).click()
        }
        await send("superloop", "RES,9,x", "wrong")
        await expect.poll(() => preview("superloop").textContent()).toBe("Send: $RES,9,x*05 · with wrong checksum: $RES,9,x*5F")
        await waitForRows("superloop", "in", "RES", 3)
        expect(await rows("superloop", "in", "RES").nth(2).locator("code").textContent()).toBe("$RES,9,x*5F")
        await waitForRows("superloop", "out", "ERR", 1)
        expect(await rows("superloop", "out", "ERR").first().locator("code").textContent()).toBe("$ERR,CHK*29")

        await send("async", "RES,200,x", "right")
        await waitForRows("async", "out", "ERR", 1)
        expect(await rows("async", "out", "ERR").first().locator("code").textContent()).toBe("$ERR,SEQ,200*30")

        await send("eventloop", "$RES,1,x*00", "right")
        await expect.poll(() => preview("eventloop").textContent()).toBe("Sends, as typed: $RES,1,x*00 and \\r\\n")
        await waitForRows("eventloop", "out", "ERR", 1)
        expect(await rows("eventloop", "out", "ERR").first().locator("code").textContent()).toBe("$ERR,CHK*29")
        for (const build of BUILDS) {
            await expect.poll(() => figure(build, "errs").textContent()).toBe("1")
            await expect(page.locator(`${panel(build)} .row.t-ERR`).first().isVisible()).resolves.toBe(true)
        }
    })

    test("the timeline shows the superloop running bytecode at nearly every wakeup, the async and event-loop builds seldom", async () => {
        const superloop = server.devices.get("superloop")!.stats()
        for (const build of ["async", "eventloop"] as const) {
            const stats = server.devices.get(build)!.stats()
            expect(stats.wakeupsPerSec).toBeGreaterThan(0)
            expect(superloop.bytecodeWakeupsPerSec, build).toBeGreaterThan(2 * stats.bytecodeWakeupsPerSec)
        }
        // and so does the timeline: the ticks it drew in its 3 seconds (it keeps their count for a test)
        const drawn = await page.locator("#timeline").evaluate(canvas => (canvas as HTMLCanvasElement & { drawnTicks: Record<BuildName, { ran: number; idle: number }> }).drawnTicks)
        for (const build of BUILDS) expect(drawn[build].ran + drawn[build].idle, build).toBeGreaterThan(30)
        for (const build of ["async", "eventloop"] as const) {
            expect(drawn.superloop.ran, build).toBeGreaterThan(2 * drawn[build].ran)
            expect(drawn[build].idle, build).toBeGreaterThan(drawn[build].ran)
        }
    })

    test("a burst of presses: the timeline's labels stack in lanes or thin out, and never overlap each other or a mark", async () => {
        const reqs = await Promise.all(BUILDS.map(build => rows(build, "out", "REQ").count()))
        // ten clicks 40 ms apart (the superloop takes presses closer than its 10 ms pass as one)
        await page.evaluate(async () => {
            for (let i = 0; i < 10; i++) {
                document.querySelector<HTMLButtonElement>("#press")!.click()
                await new Promise(resolve => setTimeout(resolve, 40))
            }
        })
        // the peers drop every reply: four requests in flight, then ERR,BUSY (or one line of them, with a count)
        for (const [i, build] of BUILDS.entries()) await waitForRows(build, "out", "REQ", reqs[i] + 4)
        // the timeline shows events 150 ms late, and draws more slowly on a busy machine
        const frameLabels = (seen: Layout) => seen.timeline.filter(b => /^(REQ|ERR|TMO|ACK)$/.test(b.text)).length
        const seen = await layoutWhen(seen => frameLabels(seen) >= 6, "6 frame labels on the timeline")
        expect(overlaps(seen.timeline)).toEqual([])
        expect(labelsOnMarks(seen.timeline, seen.marks)).toEqual([])
    }, 60_000)

    test("a flood of garbage at line rate from the peer: ERR answers, shown as one line with a count, and OVF; on the timeline, no label on a mark", async () => {
        await page.locator(`${panel("async")} [data-flood-seconds]`).fill("0.6")
        await page.locator(`${panel("async")} [data-flood-seconds]`).press("Enter")
        await page.locator(`${panel("async")} [data-flood]`).click()
        await expect.poll(() => page.locator(`${panel("async")} [data-flood]`).textContent()).toBe("Stop the flood")
        const floodNote = page.locator(`${panel("async")} .row.flood-note`).first()
        await expect.poll(() => floodNote.textContent()).toContain("flood: 234 bytes of frames with a wrong checksum ($A*00) every 20 ms for 0.6 s")
        // the build answers the bad frames with ERR,CHK: the same frame again and again, one line with a count
        const repeated = page.locator(`${panel("async")} .row.repeated[data-type="ERR"]`).first()
        await repeated.waitFor({ timeout: WITHIN_MS })
        expect(await repeated.locator("code").textContent()).toBe("$ERR,CHK*29")
        await expect.poll(async () => Number(await repeated.getAttribute("data-repeat"))).toBeGreaterThan(10)
        // and, having no room for what comes faster than it can answer, discards and says so
        const ovf = page.locator(`${panel("async")} .row.ovf`).first()
        await ovf.waitFor({ timeout: WITHIN_MS })
        expect(await ovf.locator("code").textContent()).toMatch(/^\$ERR,OVF,\d+\*[0-9A-F]{2}$/)
        // the flood's answers on the timeline: close marks, their labels thinned out, none on a mark
        const isFloodAnswer = (b: Box) => b.text === "ERR" || b.text === "OVF"
        const seen = await layoutWhen(
            seen => seen.marks.filter(isFloodAnswer).length >= 6 && seen.timeline.some(isFloodAnswer),
            "6 marks of ERR or OVF on the timeline, and a label",
        )
        expect(labelsOnMarks(seen.timeline, seen.marks)).toEqual([])
        expect(overlaps(seen.timeline)).toEqual([])
        await expect.poll(() => page.locator(`${panel("async")} [data-flood-status]`).textContent(), { timeout: WITHIN_MS }).toMatch(
            /^Last flood: 7,020 bytes in 0\.6 s; [\d,]+ ERR back, [\d,]+ OVF: [\d,]+ bytes discarded$/,
        )
        expect(await page.locator(`${panel("async")} [data-flood]`).textContent()).toBe("Flood with garbage")
        // the flood's span on the timeline is part of what was drawn, and the build still answers a press
        const reqs = await rows("async", "out", "REQ").count()
        await page.click("#press")
        await waitForRows("async", "out", "REQ", reqs + 1)
        expect(server.crashes()).toEqual([])
    }, 60_000)

    test("another web site open in the same browser can neither press, nor send a frame, nor read the state", async () => {
        const site = await serveAnotherSite()
        const other = await browser!.newPage()
        try {
            await other.goto(site.url)
            const presses = BUILDS.map(build => server.devices.get(build)!.stats().presses)
            const tried = await other.evaluate(async pageUrl => {
                const outcome = (request: Promise<Response>) =>
                    request.then(res => `answered ${res.type} ${res.status}`, (e: Error) => `failed: ${e.name}`)
                // the "simple" requests a browser sends cross-site without asking first; their answers cannot be read
                const simple = (path: string, body: string) => outcome(fetch(pageUrl + path, { method: "POST", mode: "no-cors", body }))
                return {
                    press: await simple("api/press", "{}"),
                    send: await simple("api/send", JSON.stringify({ build: "async", text: "$RES,0,from-another-site" })),
                    // JSON needs a preflight, which the server refuses
                    json: await outcome(fetch(pageUrl + "api/press", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })),
                    state: await outcome(fetch(pageUrl + "api/state")),
                }
            }, server.url)
            // a no-cors answer is opaque (status 0) whatever the server said; the others fail as CORS errors
            expect(tried).toEqual({ press: "answered opaque 0", send: "answered opaque 0", json: "failed: TypeError", state: "failed: TypeError" })
            await page.waitForTimeout(300)
            expect(BUILDS.map(build => server.devices.get(build)!.stats().presses)).toEqual(presses)
            const monitor = server.devices.get("async")!.snapshot().monitor
            expect(monitor.filter(line => "text" in line && line.text.includes("from-another-site"))).toEqual([])
        } finally {
            await other.close()
            await page.bringToFront() // the page under test is the tab shown again: a hidden tab draws no frames
            await site.close()
        }
    })

    test("at 390×844 and 1280×800: no sideways scroll, every control on the screen, no overlapping labels; screenshots", async () => {
        await checkLayout(PHONE, "column")
        await screenshot("page-390x844.png", false)
        await checkLayout(DESKTOP, "row")

        // the whole page at desktop width, every LED on while requests are in flight
        for (const build of BUILDS) {
            await setPeer(build, "dropShare", "0", 0)
            await setPeer(build, "replyDelayMs", "800", 800)
        }
        await page.setViewportSize({ width: DESKTOP.width, height: await page.evaluate(() => document.documentElement.scrollHeight) })
        // someone pressing every 300 ms: about three requests in flight, so the LEDs stay on while Chromium takes its time
        await page.evaluate(() => {
            const pressing = setInterval(() => document.querySelector<HTMLButtonElement>("#press")!.click(), 300)
            Object.assign(window, { stopPressing: () => clearInterval(pressing) })
        })
        for (const build of BUILDS) await page.locator(`${panel(build)} [data-led].on`).waitFor({ timeout: WITHIN_MS })
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
        await page.waitForTimeout(1000)
        const desktop = await screenshot("page-1280x800.png", false)
        await page.evaluate(() => (window as unknown as { stopPressing: () => void }).stopPressing())
        await page.setViewportSize(DESKTOP)
        if (process.env.UPDATE_SCREENSHOT === "1") {
            mkdirSync(join(ROOT, "docs"), { recursive: true })
            copyFileSync(desktop, README_SCREENSHOT)
        }
    }, 90_000) // screenshots take Chromium many seconds on a busy machine

    test("on a touch screen (touch and mobile emulated), the button does not mention the space bar; with a keyboard, it does", async () => {
        const phone = await browser!.newPage()
        try {
            // what Playwright's hasTouch and isMobile do, which a persistent context cannot set per page
            const devtools = await browser!.newCDPSession(phone)
            await devtools.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 5 })
            await devtools.send("Emulation.setDeviceMetricsOverride", { ...PHONE, deviceScaleFactor: 1, mobile: true })
            await phone.goto(server.url)
            await phone.locator("#press:enabled").waitFor({ timeout: PAGE_LOAD_MS })
            expect(await phone.evaluate(() => matchMedia("(hover: none) and (pointer: coarse)").matches)).toBe(true)
            expect(await phone.locator("#press").innerText()).not.toMatch(/space/i)
            expect(await page.locator("#press").innerText()).toMatch(/space bar/)
        } finally {
            await phone.close()
            await page.bringToFront() // the page under test is the tab shown again: a hidden tab draws no frames
        }
    }, 60_000)

    test("a second tab shares the builds: each tab says so, and both show the same counts after a press in either", async () => {
        const shared = (tab: Page) =>
            tab.locator("[data-build]").evaluateAll(panels =>
                panels.map(el => ({
                    ...Object.fromEntries(["acks", "tmos", "errs"].map(stat => [stat, el.querySelector(`[data-stat="${stat}"]`)?.textContent])),
                    presses: /for (\d+) presses/.exec(el.querySelector("[data-vm]")?.textContent ?? "")?.[1],
                })),
            )
        const second = await browser!.newPage()
        try {
            await second.goto(server.url)
            await second.locator("#press:enabled").waitFor({ timeout: PAGE_LOAD_MS })
            for (const tab of [page, second]) {
                const notice = tab.locator("#viewers")
                await notice.waitFor({ state: "visible", timeout: WITHIN_MS })
                expect(await notice.textContent()).toMatch(/^Open in 2 pages: they share these builds/)
            }
            const presses = server.devices.get("async")!.stats().presses
            await second.click("#press")
            await expect.poll(async () => (await shared(page)).map(p => p.presses), { timeout: WITHIN_MS }).toEqual(BUILDS.map(() => String(presses + 1)))
            // the same figures on both (polled: an answer may come between reading one tab and the other)
            const both = async () => JSON.stringify(await shared(page)) === JSON.stringify(await shared(second))
            await expect.poll(both, { timeout: WITHIN_MS }).toBe(true)
        } finally {
            await second.close()
            await page.bringToFront() // the page under test is the tab shown again: a hidden tab draws no frames
        }
        await expect.poll(() => page.locator("#viewers").isVisible(), { timeout: WITHIN_MS }).toBe(false)
    }, 90_000)

    test("when the server stops: a banner says so, the controls are off, the figures grey out; when it is back, so are they", async () => {
        const port = server.port
        const controls = () =>
            page.locator(CONTROLS).evaluateAll(elements => elements.map(e => `${e.id || e.getAttribute("data-peer") || e.textContent?.trim()}: ${(e as HTMLButtonElement).disabled ? "off" : "on"}`))
        const everyControl = (state: "on" | "off") => async () => (await controls()).filter(c => c.startsWith("pause:") || !c.endsWith(`: ${state}`))
        serverStopped = true
        await server.close()
        try {
            await page.locator("#offline").waitFor({ state: "visible", timeout: WITHIN_MS })
            expect(await page.locator("#offline").innerText()).toMatch(/^The server has stopped/)
            expect(await page.locator("#connection").innerText()).toBe("no server")
            // every control that asks the server is off (Pause only holds the timeline still); the figures are greyed
            await expect.poll(everyControl("off")).toEqual(["pause: on"])
            const figures = await page.locator(`${panel("async")} .figures`).evaluate(el => getComputedStyle(el).filter)
            expect(figures).toContain("grayscale")
            await page.keyboard.press("Space") // nothing to press: no error either
        } finally {
            server = await PageServer.start({ port, seed: 1 })
        }
        await page.locator("#offline").waitFor({ state: "hidden", timeout: WITHIN_MS })
        serverStopped = false
        await expect.poll(everyControl("on"), { timeout: WITHIN_MS }).toEqual(["pause: on"])
        await page.click("#press")
        for (const build of BUILDS) await waitForRows(build, "out", "REQ", 1)
    }, 60_000)

    test("the page used nothing but its own server; no error in the page; no VM crashed", async () => {
        const origin = new URL(server.url).origin
        expect(requests.filter(url => !url.startsWith(`${origin}/`) && !url.startsWith("data:"))).toEqual([])
        // every action it took went as JSON and named the page as its origin, as the server requires
        const posts = await Promise.all(postHeaders)
        expect(posts.length).toBeGreaterThan(10)
        for (const headers of posts) expect({ origin: headers.origin, type: headers["content-type"] }).toEqual({ origin, type: "application/json" })
        expect(pageErrors).toEqual([])
        expect(server.crashes()).toEqual([])
    })
})

describe("the report's charts in Chromium", () => {
    test("no two labels of the timeline and latency charts overlap, with the browser's own fonts", async () => {
        const burst = Array.from({ length: 24 }, (_, i) => ({ at: 100 + 4 * i, what: i % 3 === 2 ? "ERR,BUSY" : `REQ,${i}` }))
        const wakeups = Array.from({ length: 60 }, (_, i) => ({ at: 10 * i, instructions: i % 3 }))
        const samples = [0.4, 1.1, 2.2, 3.3, 3.4, 3.5, 16.52]
        const charts = [
            timelineChart("When the VM ran during a burst of presses", 600, [{ at: 98, what: "press" }, { at: 104, what: "press" }], [
                { label: "superloop", series: "superloop", wakeups, frames: burst },
                { label: "async", series: "async", wakeups, frames: burst },
            ]),
            distributionChart("Real time: press→REQ and RES→ACK (ms)", "ms", [
                { label: "superloop press→REQ", series: "superloop", samples },
                { label: "async press→REQ", series: "async", samples: [0.02, 0.03, 16.4] },
            ]),
        ]
        const chartPage = await browser!.newPage()
        try {
            for (const chart of charts) {
                await chartPage.setContent(chart)
                const boxes = await chartPage.evaluate(() =>
                    [...document.querySelectorAll("text")].map((t, node) => {
                        const r = t.getBoundingClientRect()
                        return { text: t.textContent ?? "", node, left: r.left, right: r.right, top: r.top, bottom: r.bottom }
                    }),
                )
                const svg = await chartPage.evaluate(() => document.querySelector("svg")!.getBoundingClientRect().toJSON() as DOMRect)
                expect(boxes.length).toBeGreaterThan(10)
                expect(overlaps(boxes)).toEqual([])
                for (const box of boxes) {
                    expect(box.left, box.text).toBeGreaterThanOrEqual(svg.left)
                    expect(box.right, box.text).toBeLessThanOrEqual(svg.right)
                }
            }
        } finally {
            await chartPage.close()
        }
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
