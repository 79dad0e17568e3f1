// One clear line per error for the host-side tools: no stack traces for what a user can fix.

/** An error whose message is meant for the user as is: one line, saying what to do. */
export class UserError extends Error {}

/** The first line of an error's message. */
export function oneLine(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e)
    return text.split("\n").find(line => line.trim() !== "")?.trim() ?? "unknown error"
}

/** Runs a tool's `main`; on any error prints `error: <one line>` to stderr and exits with code 1. */
export function runMain(main: () => Promise<void>): void {
    main().catch(e => {
        console.error(`error: ${oneLine(e)}`)
        process.exit(1)
    })
}
