// Every npm script answers --help with its usage and exit 0; the tools that listen say in one line what to do when
// they cannot (a port in use, a port this user may not take).
import { readFileSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:net"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ROOT } from "../../host/index.js"
import { runProcess, stderrLines, tempDir, toolArgs, type ToolRun } from "../support/tools.js"

const HELP_TIMEOUT = 90_000
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts

function run(command: string, args: string[]): Promise<ToolRun> {
    return runProcess(command, args, { cwd: ROOT })
}

/** How a user types it: npm start and npm test need no `run`. */
function npmCommand(name: string): string {
    return ["start", "test"].includes(name) ? `npm ${name}` : `npm run ${name}`
}

describe.concurrent("every npm script answers --help: its usage on stdout, exit 0", () => {
    test.each(Object.keys(scripts))(
        "npm run %s -- --help",
        async name => {
            const help = await run("npm", ["run", "--silent", name, "--", "--help"])
            expect(help.code, help.stdout + help.stderr).toBe(0)
            expect(help.stderr).not.toMatch(/error/i)
            if (scripts[name].startsWith("tsx ")) {
                // the project's own tools: the usage line first, naming the command as the user types it
                const escaped = npmCommand(name).replace(/ /g, "\\s")
                expect(help.stdout).toMatch(new RegExp(`^usage: ${escaped}\\b`))
                expect(help.stdout.trim().split("\n").length, help.stdout).toBeGreaterThan(1)
            } else {
                expect(help.stdout).toMatch(/usage/i)
            }
        },
        HELP_TIMEOUT,
    )
})

describe.concurrent("a tool that cannot listen: one line saying what to do, exit 1", () => {
    let busy: Server
    let busyPort: number
    let work: ReturnType<typeof tempDir>
    /** Loaded before the tool: every server's listen fails as it does for a user who may not take the port. */
    let listenDenied: string

    beforeAll(async () => {
        busy = createServer()
        await new Promise<void>(resolve => busy.listen(0, "127.0.0.1", resolve))
        busyPort = (busy.address() as { port: number }).port
        work = tempDir("listen-test-")
        listenDenied = join(work.dir, "listen-denied.mjs")
        writeFileSync(
            listenDenied,
            [
                'import { Server } from "node:net"',
                "Server.prototype.listen = function () {",
                '    const denied = Object.assign(new Error("listen EACCES: permission denied"), { code: "EACCES", syscall: "listen" })',
                '    process.nextTick(() => this.emit("error", denied))',
                "    return this",
                "}",
            ].join("\n"),
        )
    })
    afterAll(async () => {
        await new Promise(resolve => busy.close(resolve))
        work.cleanUp()
    })

    function expectOneLine(result: ToolRun, expected: string) {
        expect(result.code, result.stdout + result.stderr).toBe(1)
        expect(stderrLines(result)).toEqual([expected])
    }

    test("npm start, a port in use", async () => {
        const result = await run(process.execPath, toolArgs("page/server.ts", ["--no-build", "--port", String(busyPort)]))
        expectOneLine(result, `error: port ${busyPort} is in use: pass another with --port N (--port 0 picks a free one)`)
    })

    test("npm start, a port this user may not take", async () => {
        const result = await run(process.execPath, ["--import", listenDenied, ...toolArgs("page/server.ts", ["--no-build", "--port", "80"])])
        expectOneLine(result, "error: port 80 is not allowed for this user (ports below 1024 need root): pass another with --port N (--port 0 picks a free one)")
    })

    test("npm run bridge -- --tcp, a port in use", async () => {
        const result = await run(process.execPath, toolArgs("bridge/main.ts", ["--tcp", String(busyPort)]))
        expectOneLine(result, `error: port ${busyPort} is in use: pass another with --tcp N (--tcp 0 picks a free one)`)
    })

    test("npm run bridge -- --tcp, a port this user may not take", async () => {
        const result = await run(process.execPath, ["--import", listenDenied, ...toolArgs("bridge/main.ts", ["--tcp", "23"])])
        expectOneLine(result, "error: port 23 is not allowed for this user (ports below 1024 need root): pass another with --tcp N (--tcp 0 picks a free one)")
    })
})
