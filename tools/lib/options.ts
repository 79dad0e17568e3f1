// Command-line options for the host-side tools: `--name value` pairs and flags, checked, with one clear error.
import { HelpRequested } from "./errors.js"

type Kind = "number" | "string" | "flag"
type Value<K extends Kind> = K extends "number" ? number : K extends "string" ? string : boolean
export type Options<S extends Record<string, Kind>> = { [N in keyof S]?: Value<S[N]> }

const HELP_FLAGS = ["--help", "-h"]

/**
 * Parses `args` against `spec`; throws an Error whose message is one line, ending with `usage`.
 * `--help` (or `-h`) anywhere throws HelpRequested with `usage` and then `help`, for `runMain` to print.
 */
export function parseOptions<S extends Record<string, Kind>>(args: string[], spec: S, usage: string, help?: string): Options<S> {
    if (args.some(arg => HELP_FLAGS.includes(arg))) throw new HelpRequested(help ? `${usage}\n\n${help}` : usage)
    const options: Record<string, unknown> = {}
    for (let i = 0; i < args.length; i++) {
        const arg = args[i]
        const name = arg.startsWith("--") ? arg.slice(2) : undefined
        const kind = name === undefined ? undefined : spec[name]
        if (!name || !kind) throw new Error(`unknown argument ${arg}; ${usage}`)
        if (kind === "flag") {
            options[name] = true
            continue
        }
        const value = args[++i]
        if (value === undefined || value.startsWith("--")) throw new Error(`${arg} needs a value; ${usage}`)
        if (kind === "number") {
            const number = Number(value)
            if (!Number.isFinite(number)) throw new Error(`${arg} takes a number, not ${value}; ${usage}`)
            options[name] = number
        } else {
            options[name] = value
        }
    }
    return options as Options<S>
}
