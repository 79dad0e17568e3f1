// The `--runtimes released|fixed|both` option of the commands that run the emulated Pico on DeviceScript's RP2040 runtimes.
import { RUNTIME_FLAVOURS, type RuntimeFlavour } from "../../sim/index.js"
import { UserError } from "./errors.js"

export const RUNTIME_CHOICES = `${RUNTIME_FLAVOURS.join("|")}|both`

/** How the reports name each runtime. */
export const RUNTIME_NAMES: Record<RuntimeFlavour, string> = {
    released: "the released runtime (what `devs flash` installs)",
    fixed: "the runtime with the timer fix",
}

/** `--runtimes released,fixed` (or `both`): the runtimes chosen, in that order; `fallback` when the option is absent. */
export function chosenRuntimes(value: string | undefined, fallback: readonly RuntimeFlavour[]): RuntimeFlavour[] {
    if (value === undefined) return [...fallback]
    const names = value === "both" ? RUNTIME_FLAVOURS : value.split(",")
    for (const name of names) if (!(RUNTIME_FLAVOURS as readonly string[]).includes(name)) throw new UserError(`--runtimes takes released, fixed or both, not "${name}"`)
    return names as RuntimeFlavour[]
}
