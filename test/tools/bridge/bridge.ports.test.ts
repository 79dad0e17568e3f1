// npm run bridge, end to end with no hardware: the CLI's own devtools hub (`devs devtools`, ports 8081-8083) and
// VM (`devs run --tcp`) running a build; a simulated button and LED on that bus; the bridge as its own process,
// carrying the firmware's serial link to a pseudo-terminal (@lydell/node-pty), to a TCP client, or to stdio.
import { copyFileSync, existsSync, mkdirSync } from "node:fs"
import { connect, type Socket } from "node:net"
import { join } from "node:path"
import { JDBus } from "jacdac-ts"
import { spawn as spawnPty, type IPty } from "@lydell/node-pty"
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest"
import { connectToDevtools, type DevtoolsConnection, Peripherals } from "../../../sim/index.js"
import { type BuildName, devsCommand, frame, programPath, ROOT } from "../../../host/index.js"
import { TestProcess } from "../../support/processes.js"
import { tempDir, toolArgs } from "../../support/tools.js"

const TIMEOUT = 45_000
const STEP_MS = 8000

/** node-pty's terminal on Linux and macOS also knows its slave's path (not in node-pty's typings). */
interface UnixPty extends IPty {
    readonly ptsName: string
}

/**
 * A pseudo-terminal whose slave end the bridge opens by path, as it would a USB serial adapter; the test
 * reads and writes the master end. An idle Node process holds the slave open so that the master never
 * sees it closed (EIO) while the bridge is not attached; it never reads its standard input.
 */
function openPseudoTerminal(): { slavePath: string; received: () => string; write: (text: string) => void; close: () => void } {
    const pty = spawnPty(process.execPath, ["-e", "setInterval(() => {}, 2 ** 30)"], { encoding: "latin1" }) as UnixPty
    if (typeof pty.ptsName !== "string" || !existsSync(pty.ptsName)) throw new Error(`node-pty gave no slave path (${pty.ptsName})`)
    let received = ""
    pty.onData(chunk => (received += chunk))
    return { slavePath: pty.ptsName, received: () => received, write: text => pty.write(text), close: () => pty.kill("SIGKILL") }
}

let work: ReturnType<typeof tempDir>
let devtools: TestProcess
let boardBus: JDBus
let board: Peripherals
let boardLink: DevtoolsConnection
/** Started by the running test, stopped after it, last first. */
let running: TestProcess[] = []
const cleanUps: (() => Promise<void> | void)[] = []

beforeAll(async () => {
    work = tempDir("bridge-test-")
    const [node, devs] = devsCommand()
    devtools = TestProcess.start("devs devtools", node, [devs, "--no-colors", "devtools"], { cwd: work.dir })
    await devtools.waitForLine(/tcpsocket\s*: tcp:\/\/127\.0\.0\.1:8082/, 15_000)
    // The board's button and status LED, on the devtools bus: the firmware binds its button and LED roles to them.
    boardBus = new JDBus([], { disableRoleManager: true })
    board = new Peripherals(boardBus, () => boardBus.timestamp)
    board.plugBoard()
    boardBus.start()
    boardLink = await connectToDevtools(boardBus)
}, 30_000)

afterAll(async () => {
    boardLink?.close()
    await boardBus?.stop()
    await devtools?.stop()
    work?.cleanUp()
})

afterEach(async () => {
    for (const child of running.reverse()) await child.stop()
    running = []
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp()
})

function start(name: string, command: string, args: string[], options: Parameters<typeof TestProcess.start>[3] = {}) {
    const child = TestProcess.start(name, command, args, options)
    running.push(child)
    return child
}

/** The bridge, as `npm run bridge -- <args>` runs it. */
async function startBridge(args: string[], stdin: "ignore" | "pipe" = "ignore"): Promise<TestProcess> {
    const bridge = start("bridge", process.execPath, toolArgs("bridge/main.ts", args), { cwd: ROOT, stdio: [stdin, "pipe", "pipe"] })
    await bridge.waitForLine(/<-> the Jacdac Serial service on devs devtools/, 15_000)
    return bridge
}

/** `devs run --tcp` on a build, in a folder of its own (the VM keeps its flash file there). */
async function startVm(build: BuildName): Promise<TestProcess> {
    const vmDir = join(work.dir, `vm-${build}-${Date.now()}`)
    mkdirSync(vmDir)
    copyFileSync(programPath(build), join(vmDir, "program.devs"))
    const [node, devs] = devsCommand()
    const vm = start(`devs run --tcp (${build})`, node, [devs, "--no-colors", "run", "--tcp", "program.devs"], { cwd: vmDir })
    await vm.waitForLine(/connected to 127\.0\.0\.1:8082/, 15_000)
    return vm
}

async function until(what: string, predicate: () => boolean, processes: TestProcess[], timeoutMs = STEP_MS) {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms\n${processes.map(p => p.dump()).join("\n")}`)
        await new Promise(resolve => setTimeout(resolve, 20))
    }
}

/**
 * The exchange every transport must carry: RDY when the firmware opens the link, REQ for a
 * press, ACK for the reply written to the peer's end, ERR for a corrupted frame.
 */
async function playExchange(build: BuildName, peer: { received: () => string; write: (text: string) => void }, processes: () => TestProcess[]) {
    const expected = [frame(`RDY,${build}`)]
    const check = async (what: string) => {
        await until(what, () => peer.received().length >= expected.join("").length, processes())
        expect(peer.received()).toBe(expected.join(""))
    }
    await check("RDY")
    await board.press()
    expected.push(frame("REQ,0"))
    await check("REQ,0")
    peer.write(frame("RES,0,through the bridge, 1"))
    expected.push(frame("ACK,0,through the bridge, 1"))
    await check("ACK,0")
    peer.write(frame("RES,1,x", "00"))
    expected.push(frame("ERR,CHK"))
    await check("ERR,CHK")
}

describe("npm run bridge carries the firmware's serial link (devs devtools + devs run --tcp)", () => {
    test(
        "--port: the slave end of a pseudo-terminal, the test on its master end (superloop build)",
        async () => {
            const peer = openPseudoTerminal()
            cleanUps.push(peer.close)
            const bridge = await startBridge(["--port", peer.slavePath, "--baud", "115200"])
            await startVm("superloop")
            await playExchange("superloop", peer, () => running)
            expect(bridge.lines).toContain("! bridge: the firmware opened the serial link")
        },
        TIMEOUT,
    )

    test(
        "--tcp: a client on localhost (async build)",
        async () => {
            const bridge = await startBridge(["--tcp", "0"])
            const port = Number(/tcp:\/\/127\.0\.0\.1:(\d+)/.exec(bridge.lines.join("\n"))![1])
            let received = ""
            const client: Socket = connect(port, "127.0.0.1")
            cleanUps.push(() => void client.destroy())
            client.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")))
            await new Promise<void>((resolve, reject) => client.once("connect", resolve).once("error", reject))
            await bridge.waitForLine(/tcp client .* connected/, 5000)

            await startVm("async")
            await playExchange("async", { received: () => received, write: text => client.write(Buffer.from(text, "latin1")) }, () => running)
        },
        TIMEOUT,
    )

    test(
        "--stdio: stdin to the firmware, the firmware to stdout, status lines on stderr (superloop build)",
        async () => {
            const bridge = await startBridge(["--stdio"], "pipe")
            await startVm("superloop")
            await playExchange("superloop", { received: () => bridge.stdout, write: text => bridge.child.stdin!.write(text) }, () => running)
        },
        TIMEOUT,
    )
})
