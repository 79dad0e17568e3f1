// Runs the pinned DeviceScript CLI (or another command) in the project folder, keeping its output for error messages.
import { spawn } from "node:child_process"
import { devsCommand } from "../../host/index.js"

export interface DevsRun {
    code: number
    /** stdout and stderr, interleaved as they came. */
    output: string
    /** stdout alone: where the CLI logs. */
    stdout: string
}

/** Runs `devs <args>` in `cwd`; with `verbose`, its output is shown as it comes. */
export function runDevs(args: string[], cwd: string, verbose: boolean): Promise<DevsRun> {
    const [node, devs] = devsCommand()
    return runCommand([node, devs, "--no-colors", ...args], cwd, verbose)
}

/** Runs `command` in `cwd`, keeping its output; with `verbose`, its output is shown as it comes. */
export function runCommand([program, ...args]: string[], cwd: string, verbose: boolean): Promise<DevsRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(program, args, { cwd, stdio: ["ignore", "pipe", "pipe"] })
        let output = ""
        let stdout = ""
        const keep = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
            output += chunk.toString()
            if (stream === process.stdout) stdout += chunk.toString()
            if (verbose) stream.write(chunk)
        }
        child.stdout.on("data", keep(process.stdout))
        child.stderr.on("data", keep(process.stderr))
        child.on("error", reject)
        child.on("close", code => resolve({ code: code ?? 1, output, stdout }))
    })
}

/** The last line of `output` that says something, for a one-line error. */
export function lastLine(output: string): string {
    const lines = output.split("\n").map(l => l.trim()).filter(Boolean)
    return lines[lines.length - 1] ?? "(no output)"
}
