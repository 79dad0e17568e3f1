// sim/app.ts, the DeviceScript way, offline: the CLI's own devtools hub (`devs devtools`, ports 8081-8083) and
// VM (`devs run --tcp`) running a build, and `npm run sim:app` as its own process on that bus, driven through
// its stdin as a user at the keyboard would, and checked by the transcript it prints.
import { copyFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest"
import { BUILD_NAMES, type BuildName, devsCommand, programPath, ROOT } from "../../host/index.js"
import { TestProcess } from "../support/processes.js"
import { tempDir } from "../support/tools.js"

const TIMEOUT = 90_000
const STEP_MS = 15_000
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href

let work: ReturnType<typeof tempDir>
/** Started by the running test, stopped after it, last first. */
let running: TestProcess[] = []

function start(name: string, command: string, args: string[], stdin: "ignore" | "pipe" = "ignore"): TestProcess {
    const child = TestProcess.start(name, command, args, { cwd: ROOT, stdio: [stdin, "pipe", "pipe"] })
    running.push(child)
    return child
}

/** `npm run sim:app -- <args>`, with a pipe for its stdin. */
function startApp(args: string[]): TestProcess {
    return start("sim/app", process.execPath, ["--import", TSX_LOADER, join(ROOT, "sim/app.ts"), ...args], "pipe")
}

/** `devs run --tcp` on a build, in a folder of its own (the VM keeps its flash file there). */
async function startVm(build: BuildName): Promise<TestProcess> {
    const vmDir = join(work.dir, `vm-${build}-${Date.now()}`)
    mkdirSync(vmDir)
    copyFileSync(programPath(build), join(vmDir, "program.devs"))
    const [node, devs] = devsCommand()
    const vm = TestProcess.start(`devs run --tcp (${build})`, node, [devs, "--no-colors", "run", "--tcp", "program.devs"], { cwd: vmDir })
    running.push(vm)
    await vm.waitForLine(/connected to 127\.0\.0\.1:8082/, 15_000)
    return vm
}

/** The transcript's events (what follows the time on each stdout line), in the order printed. */
function events(app: TestProcess): string[] {
    return app.lines
        .map(line => /^\s*\d+ {2}(.*)$/.exec(line)?.[1])
        .filter((event): event is string => event !== undefined)
}

async function untilEvents(app: TestProcess, what: string, done: (seen: string[]) => boolean, others: TestProcess[]) {
    const deadline = Date.now() + STEP_MS
    while (!done(events(app))) {
        if (Date.now() > deadline) {
            throw new Error(`no ${what} within ${STEP_MS} ms\n${[app, ...others].map(p => p.dump()).join("\n")}`)
        }
        await new Promise(resolve => setTimeout(resolve, 20))
    }
}

/** Where `event` first appears in `seen`, failing if it does not. */
function position(seen: string[], event: string): number {
    const index = seen.indexOf(event)
    expect(seen, `no "${event}" in the transcript`).toContain(event)
    return index
}

/** Resolves with its exit code once it has ended and its output is all read. */
function exitCode(app: TestProcess): Promise<number | null> {
    return new Promise(resolve => app.child.once("close", resolve))
}

test(
    "--help prints the usage and exits 0; a bad value gets one error line and exit 1",
    async () => {
        const help = startApp(["--help"])
        expect(await exitCode(help)).toBe(0)
        expect(help.lines[0]).toMatch(/^usage: npm run sim:app -- /)
        expect(help.lines.join("\n")).toContain("--press-every MS")

        const bad = startApp(["--reply-delay", "-5"])
        expect(await exitCode(bad)).toBe(1)
        expect(bad.lines).toEqual(["! error: --reply-delay takes whole milliseconds from 0 to 3600000, not -5"])
    },
    TIMEOUT,
)

test(
    "without devs devtools running, sim/app says what to start, in one error line, and exits 1",
    async () => {
        const app = startApp([])
        expect(await exitCode(app)).toBe(1)
        const errors = app.lines.filter(line => line.startsWith("! "))
        expect(errors).toEqual([expect.stringMatching(/^! error: cannot reach devs devtools on 127\.0\.0\.1:8082 .*npx devs devtools/)])
    },
    TIMEOUT,
)

describe("sim/app on the devs devtools bus, with the CLI's VM running a build", () => {
    let devtools: TestProcess

    beforeAll(async () => {
        work = tempDir("sim-app-test-")
        const [node, devs] = devsCommand()
        devtools = TestProcess.start("devs devtools", node, [devs, "--no-colors", "devtools"], { cwd: work.dir })
        await devtools.waitForLine(/tcpsocket\s*: tcp:\/\/127\.0\.0\.1:8082/, 15_000)
    }, 30_000)

    afterAll(async () => {
        await devtools?.stop()
        work?.cleanUp()
    })

    afterEach(async () => {
        for (const child of running.reverse()) await child.stop()
        running = []
    })

    test.each<BuildName>(BUILD_NAMES)(
        "%s: Enter presses → REQ → the peer's RES → ACK, the LED on then off; a $ line reaches the device",
        async build => {
            const app = startApp(["--reply-delay", "200"])
            await app.waitForLine(/q quits/, 15_000)
            const vm = await startVm(build)
            await untilEvents(app, "RDY", seen => seen.includes(`device → RDY,${build}`), [vm, devtools])

            const before = events(app).length
            app.child.stdin!.write("\n")
            await untilEvents(app, "LED off", seen => seen.slice(before).includes("LED off"), [vm, devtools])
            // a moment for anything that should not come (a TMO, a second REQ) to show up
            await new Promise(resolve => setTimeout(resolve, 300))
            const cycle = events(app).slice(before)
            const expected = [
                "press",
                "device → REQ,0",
                "LED on",
                `peer   → $RES,0,ok0*${checksum("RES,0,ok0")}`,
                "device → ACK,0,ok0",
                "LED off",
            ]
            expect([...cycle].sort()).toEqual([...expected].sort())
            const at = (event: string) => position(cycle, event)
            expect(at("press")).toBe(0)
            expect(at("device → REQ,0")).toBeLessThan(at(expected[3]))
            expect(at(expected[3])).toBeLessThan(at("device → ACK,0,ok0"))
            expect(at("LED on")).toBeLessThan(at("LED off"))
            expect(at(expected[3])).toBeLessThan(at("LED off"))

            const beforeFrame = events(app).length
            app.child.stdin!.write("$RES,9,x*00\n")
            await untilEvents(app, "ERR,CHK", seen => seen.slice(beforeFrame).includes("device → ERR,CHK"), [vm, devtools])
            expect(events(app).slice(beforeFrame)).toEqual(["you    → $RES,9,x*00", "device → ERR,CHK"])

            app.child.stdin!.write("q\n")
            expect(await exitCode(app)).toBe(0)
        },
        TIMEOUT,
    )

    test(
        "async: --press-every presses by itself; with --no-reply each request times out and the LED goes off",
        async () => {
            const vm = await startVm("async")
            const app = startApp(["--press-every", "1500", "--no-reply"])
            await untilEvents(app, "TMO,1", seen => seen.includes("device → TMO,1"), [vm, devtools])
            const seen = events(app)
            expect(seen.filter(e => e.startsWith("peer"))).toEqual([])
            const presses = seen.filter(e => e === "press").length
            expect(presses).toBeGreaterThanOrEqual(2)
            for (const event of ["device → REQ,0", "device → REQ,1", "device → TMO,0", "LED on", "LED off"]) position(seen, event)
            expect(position(seen, "device → REQ,0")).toBeLessThan(position(seen, "device → TMO,0"))
            expect(position(seen, "device → TMO,0")).toBeLessThan(position(seen, "device → TMO,1"))
            // TMO,0 ends the only request in flight, so the LED goes off after it
            expect(seen.slice(position(seen, "device → TMO,0"))).toContain("LED off")
        },
        TIMEOUT,
    )
})

/** The XOR of the body's bytes as two upper-case hex digits, written here apart from sim/frames.ts. */
function checksum(body: string): string {
    let sum = 0
    for (const char of body) sum ^= char.charCodeAt(0)
    return sum.toString(16).toUpperCase().padStart(2, "0")
}
