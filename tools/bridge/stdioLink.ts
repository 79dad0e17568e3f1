// The bridge's link to the terminal: what you type goes to the firmware, what it sends is printed.
import type { ByteLink } from "./link.js"

export function openStdioLink(log: (line: string) => void): ByteLink {
    process.stdin.on("end", () => log("stdin ended; still printing what the firmware sends (Ctrl-C to stop)"))
    const ended = new Promise<string>(resolve => process.stdout.on("error", e => resolve(`cannot write to stdout: ${e.message}`)))
    return {
        description: "the terminal (stdin/stdout)",
        write: bytes => void process.stdout.write(bytes),
        onData: listener => process.stdin.on("data", (chunk: Buffer) => listener(new Uint8Array(chunk))),
        ended,
        close: async () => {
            process.stdin.pause()
        },
    }
}
