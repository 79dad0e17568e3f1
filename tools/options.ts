// Command-line options for the host-side tools: `--name value` pairs and flags, checked, with one clear error.

type Kind = "number" | "string" | "flag"
type Value<K extends Kind> = K extends "number" ? number : K extends "string" ? string : boolean
export type Options<S extends Record<string, Kind>> = { [N in keyof S]?: Value<S[N]> }

/** Parses `args` against `spec`; throws an Error whose message is one line, ending with `usage`. */
export function parseOptions<S extends Record<string, Kind>>(args: string[], spec: S, usage: string): Options<S> {
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
