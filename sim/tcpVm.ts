import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server, type Socket } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { createProxyBridge, JDBus, type JDBridge } from "jacdac-ts"
import { devsCommand, programPath } from "../host/builds.js"
import { type Device, type LedSwitch, switchesOf } from "../host/device.js"
import { encodeLengthPrefixed, LengthPrefixedDecoder } from "./jacdac/lengthPrefixed.js"
import { CRASH_LINE } from "./devsVm.js"
import type { SentFrame } from "../host/frames.js"
import { Peripherals } from "./peripherals.js"

/** `devs run --tcp` always connects to this port, as a client; the test listens on it. */
export const DEVS_TCP_PORT = 8082
const HOST = "127.0.0.1"
/** How long the VM process may take to start and connect. */
const CONNECT_WITHIN_MS = 10_000

export interface TcpVmOptions {
    /** The program: a `.devs` file or its bytes (by default the build's, built/<build>/bytecode.devs). */
    program?: string | Uint8Array
    /** Print the VM's output lines as they come (they are always kept in `output`). */
    verbose?: boolean
}

/**
 * The DeviceScript VM as the CLI runs it, `devs run --tcp`: a separate Node
 * process that connects to 127.0.0.1:8082 and exchanges length-prefixed Jacdac
 * frames with a jacdac-ts bus here, on which sit the same simulated button,
 * serial peer and status LED as in `Simulation`. Everything runs in real time.
 *
 * The port is fixed, so only one session can exist at a time, in all processes
 * of the machine: tests using this class must not run in parallel.
 */
export class TcpVmSession implements Device {
    readonly host = "cli-vm"
    readonly pressedAt: number[] = []
    readonly bus = new JDBus([], { disableRoleManager: true })
    readonly peripherals = new Peripherals(this.bus, () => this.bus.timestamp)
    readonly button = this.peripherals.button
    readonly serial = this.peripherals.serial
    readonly led = this.peripherals.led
    /** The VM process's stdout and stderr lines (stderr lines start with `! `). */
    readonly output: string[] = []
    private server?: Server
    private socket?: Socket
    private child?: ChildProcess
    private exit?: { code: number | null; signal: NodeJS.Signals | null }
    private bridge!: JDBridge
    private readonly workDir = mkdtempSync(join(tmpdir(), "devs-tcp-vm-"))
    private stopped = false

    private constructor(
        readonly build: string,
        private readonly options: TcpVmOptions,
    ) {}

    /**
     * Starts the VM on a build's program (or `options.program`). The program is
     * copied into a fresh temporary directory, which is also the VM's working
     * directory (it keeps its flash file there).
     */
    static async start(build: string, options: TcpVmOptions = {}): Promise<TcpVmSession> {
        const session = new TcpVmSession(build, options)
        const program = options.program ?? programPath(build)
        try {
            await session.boot(typeof program === "string" ? readFileSync(program) : program)
        } catch (e) {
            await session.stop()
            throw e
        }
        return session
    }

    private async boot(program: Uint8Array) {
        const programFile = join(this.workDir, "program.devs")
        writeFileSync(programFile, program)

        const connected = this.listen()
        await new Promise<void>((resolve, reject) => {
            this.server!.once("listening", resolve)
            this.server!.once("error", reject)
        }).catch((e: NodeJS.ErrnoException) => {
            throw e.code === "EADDRINUSE"
                ? new Error(
                      `port ${DEVS_TCP_PORT} is in use: stop \`devs devtools\` or any other \`devs run --tcp\` ` +
                          `session (tests using the TCP VM must not run in parallel)`,
                  )
                : e
        })

        this.bridge = createProxyBridge(frame => this.sendToVm(frame))
        this.bridge.bus = this.bus
        this.peripherals.plugBoard()
        this.peripherals.plugSerial()
        this.bus.start()

        const [node, devs] = devsCommand()
        const child = spawn(node, [devs, "--no-colors", "run", "--tcp", programFile], {
            cwd: this.workDir,
            stdio: ["ignore", "pipe", "pipe"],
        })
        this.child = child
        child.on("exit", (code, signal) => (this.exit = { code, signal }))
        createInterface({ input: child.stdout! }).on("line", line => this.record(line))
        createInterface({ input: child.stderr! }).on("line", line => this.record(`! ${line}`))

        const socket = await Promise.race([
            connected,
            new Promise<never>((_, reject) => {
                const timer = setTimeout(
                    () => reject(new Error(`the VM did not connect within ${CONNECT_WITHIN_MS} ms\n${this.dump()}`)),
                    CONNECT_WITHIN_MS,
                )
                child.once("exit", () => {
                    clearTimeout(timer)
                    reject(new Error(`the VM exited before connecting (${this.exitText()})\n${this.dump()}`))
                })
                void connected.then(() => clearTimeout(timer))
            }),
        ])
        this.socket = socket
    }

    /** Listens on the VM's port; resolves with the first connection, refusing any other. */
    private listen(): Promise<Socket> {
        let accepted = false
        return new Promise<Socket>(resolve => {
            this.server = createServer(socket => {
                if (accepted || this.stopped) {
                    socket.destroy()
                    return
                }
                accepted = true
                socket.setNoDelay()
                this.receiveFrom(socket)
                resolve(socket)
            })
            this.server.listen(DEVS_TCP_PORT, HOST)
        })
    }

    /** Frames from the VM, each after its length (see tools/jacdac/lengthPrefixed.ts). */
    private receiveFrom(socket: Socket) {
        const decoder = new LengthPrefixedDecoder()
        socket.on("data", (chunk: Buffer) => {
            for (const frame of decoder.push(new Uint8Array(chunk))) {
                if (!this.stopped) this.bridge.receiveFrameOrPacket(frame)
            }
        })
        socket.on("error", e => this.record(`! socket: ${e.message}`))
    }

    /** Frames to the VM: the VM reads only a 1-byte length. */
    private sendToVm(frame: Uint8Array) {
        const out = encodeLengthPrefixed(frame)
        if (!this.socket || this.socket.destroyed) return
        this.socket.write(out)
    }

    private record(line: string) {
        this.output.push(line)
        if (this.options.verbose) console.log(`[tcp vm ${this.now}] ${line}`)
    }

    private dump(): string {
        return this.output.join("\n")
    }

    private exitText(): string {
        return this.exit ? `exit code ${this.exit.code}, signal ${this.exit.signal}` : "still running"
    }

    /** Milliseconds since the bus started (real time). */
    get now(): number {
        return this.bus.timestamp
    }

    /** Waits `ms` of real time. */
    sleep(ms: number): Promise<void> {
        return new Promise(resolve => setTimeout(resolve, ms))
    }

    /** Lets `ms` of real time pass. */
    advance(ms: number): Promise<void> {
        return this.sleep(ms)
    }

    until(done: () => boolean, withinMs: number, what = "the condition"): Promise<void> {
        return this.waitFor(done, withinMs, what)
    }

    /** Waits, in real time, until `predicate` holds; fails if it does not within `timeoutMs` or the VM exits. */
    async waitFor(predicate: () => boolean, timeoutMs: number, what = "condition"): Promise<void> {
        const deadline = Date.now() + timeoutMs
        for (;;) {
            if (predicate()) return
            if (this.exit) throw new Error(`the VM exited (${this.exitText()}) while waiting for ${what}\n${this.dump()}`)
            if (Date.now() >= deadline) throw new Error(`no ${what} within ${timeoutMs} ms\n${this.dump()}`)
            await this.sleep(10)
        }
    }

    /** Every frame the device has sent so far (`at` is bus time). */
    get frames(): SentFrame[] {
        return this.peripherals.frames
    }

    /** The frames the device has sent since `since`, except RDY, as their bodies. */
    bodies(since = 0): string[] {
        return this.peripherals.bodies(since)
    }

    /** Waits until the device has sent RDY. */
    async untilReady(timeoutMs = 5000): Promise<SentFrame> {
        await this.waitFor(() => this.frames.some(f => f.type === "RDY"), timeoutMs, "RDY")
        return this.frames.find(f => f.type === "RDY")!
    }

    /** A button press: its `down` event, then its `up` event. */
    press(): Promise<void> {
        this.pressedAt.push(this.now)
        return this.peripherals.press()
    }

    get ledIsOn(): boolean {
        return this.led.isOn
    }

    get ledSwitches(): LedSwitch[] {
        return switchesOf(this.led.changes)
    }

    /** Sends `data` to the device over serial, in chunks as for `Peripherals.inject`, one right after another. */
    inject(data: string | Uint8Array, chunkSize?: number | number[]): Promise<void> {
        return this.peripherals.inject(data, chunkSize)
    }

    /** Lines in which the VM reported a crash. */
    crashes(): string[] {
        return this.output.filter(l => CRASH_LINE.test(l))
    }

    /** Kills the VM, stops the bus and frees the port; safe to call more than once. */
    async stop(): Promise<void> {
        if (this.stopped) return
        this.stopped = true
        const child = this.child
        if (child && !this.exit) {
            const exited = new Promise<void>(resolve => child.once("exit", () => resolve()))
            child.kill("SIGTERM")
            const killed = await Promise.race([exited.then(() => true), this.sleep(2000).then(() => false)])
            if (!killed) {
                child.kill("SIGKILL")
                await exited
            }
        }
        this.socket?.destroy()
        await this.bus.stop()
        const server = this.server
        if (server?.listening) await new Promise<void>(resolve => server.close(() => resolve()))
        rmSync(this.workDir, { recursive: true, force: true })
    }
}
