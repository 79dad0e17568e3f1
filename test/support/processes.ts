// Child processes a test starts and stops itself: their output kept, a wait for a line, a stop by pid.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process"
import { createInterface } from "node:readline"

export class TestProcess {
    /** Output lines, stderr ones prefixed with `! `. */
    readonly lines: string[] = []
    /** stdout as it came, byte for byte (latin1). */
    stdout = ""
    private exited?: string
    private readonly exit: Promise<void>

    constructor(
        readonly name: string,
        readonly child: ChildProcess,
    ) {
        child.stdout?.on("data", (chunk: Buffer) => (this.stdout += chunk.toString("latin1")))
        if (child.stdout) createInterface({ input: child.stdout }).on("line", line => this.lines.push(line))
        if (child.stderr) createInterface({ input: child.stderr }).on("line", line => this.lines.push(`! ${line}`))
        this.exit = new Promise(resolve =>
            child.once("exit", (code, signal) => {
                this.exited = `exit code ${code}, signal ${signal}`
                resolve()
            }),
        )
    }

    static start(name: string, command: string, args: string[], options: SpawnOptions = {}): TestProcess {
        return new TestProcess(name, spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options }))
    }

    /** Everything it printed, for failure messages. */
    dump(): string {
        return `--- ${this.name} (${this.exited ?? "running"}):\n${this.lines.join("\n")}`
    }

    /** Waits until a line matches; fails if the process exits or `timeoutMs` passes first. */
    async waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
        const deadline = Date.now() + timeoutMs
        for (;;) {
            const line = this.lines.find(l => pattern.test(l))
            if (line) return line
            if (this.exited) throw new Error(`${this.name} exited before printing ${pattern}\n${this.dump()}`)
            if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms\n${this.dump()}`)
            await new Promise(resolve => setTimeout(resolve, 20))
        }
    }

    /** SIGTERM, then SIGKILL after 2 s; resolves once it has exited. */
    async stop(): Promise<void> {
        if (this.exited) return
        this.child.kill("SIGTERM")
        const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000)
        await this.exit
        clearTimeout(timer)
    }
}
