// The `--runtime released|fixed|both` option of the commands that run the emulated Pico's two runtimes.
import { RUNTIME_FLAVOURS, type RuntimeFlavour } from "../../sim/chip/chipFiles.js"
import { UserError } from "./errors.js"

export const RUNTIME_CHOICES = [...RUNTIME_FLAVOURS, "both"] as const

/** The runtimes `--runtime` chose (both when absent); anything else is a one-line UserError. */
export function chosenRuntimes(name: string | undefined): RuntimeFlavour[] {
    if (name === undefined || name === "both") return [...RUNTIME_FLAVOURS]
    if ((RUNTIME_FLAVOURS as string[]).includes(name)) return [name as RuntimeFlavour]
    throw new UserError(`unknown runtime "${name}": choose one of ${RUNTIME_CHOICES.join(", ")}`)
}
