// One clear line per error for the host-side tools: no stack traces for what a user can fix.

/** An error whose message is meant for the user as is: one line, saying what to do. */
export class UserError extends Error {}

/** Not an error: the user asked for `--help`; `runMain` prints `text` on stdout and exits 0. */
export class HelpRequested extends Error {
    constructor(readonly text: string) {
        super(text)
    }
}

/** Why a server of a tool cannot listen on `host:port`, in one line saying what to do; `option` chooses the port. */
export function listenFailure(e: NodeJS.ErrnoException, host: string, port: number, option: string): UserError {
    const another = `pass another with ${option} N (${option} 0 picks a free one)`
    if (e.code === "EADDRINUSE") return new UserError(`port ${port} is in use: ${another}`)
    if (e.code === "EACCES") return new UserError(`port ${port} is not allowed for this user (ports below 1024 need root): ${another}`)
    return new UserError(`cannot listen on ${host}:${port} (${e.code ?? e.message}): ${another}`)
}

/** The first line of an error's message. */
export function oneLine(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e)
    return text.split("\n").find(line => line.trim() !== "")?.trim() ?? "unknown error"
}

/** Runs a tool's `main`; on any error prints `error: <one line>` to stderr and exits with code 1 (`--help`: usage, 0). */
export function runMain(main: () => Promise<void>): void {
    main().catch(e => {
        if (e instanceof HelpRequested) {
            console.log(e.text)
            process.exit(0)
        }
        console.error(`error: ${oneLine(e)}`)
        process.exit(1)
    })
}
