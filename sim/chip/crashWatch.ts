// What goes wrong inside the emulated Pico: the runtime's panics (from its log) and the chip's resets and faults (from the peripherals that do them).
import type { Pico } from "./pico.js"

export interface ChipCrash {
    /** Emulated ms since reset (a panic seen in the log: at the first look after it was written, within a slice). */
    at: number
    kind: "panic" | "reset"
    what: string
}

const PPB_AIRCR = 0xd0c
const AIRCR_VECTKEY = 0x05fa << 16
const AIRCR_SYSRESETREQ = 1 << 2
const WATCHDOG_SLOT = 0x40058

/**
 * The lines the runtime's panic paths log before anything else (DMESG is never turned
 * off): jacdac-c's `hw_panic` ("HW PANIC!", then 8.4 s of blinking and a system reset),
 * preceded by `jd_panic_core` or `jd_assert_fail` saying where; DeviceScript's
 * `devs_panic` ("! Exception: …", "! Unhandled exception"; the program stops and the
 * manager starts it again 5 s later); a restart the program asks for.
 */
const HW_PANIC = /^HW PANIC!/
const PANIC_REASON = /^(JD_PANIC\(\) at |assertion '|! )/
const VM_PANIC = /^! (Exception: |Unhandled exception)/
const RESTART_REQUESTED = /^\* RESTART requested/

/**
 * Watches the chip for panics and resets. rp2040js resets nothing itself (a
 * watchdog that fires or a write of SYSRESETREQ only reach the hooks here; the
 * core then spins where it was), so each is reported once, when it happens. The
 * runtime's panics are in its log, which needs its ELF (see DmesgReader): without
 * it only the hardware's side is seen: breakpoints (the SDK's fault handlers and
 * `panic()` end in `bkpt`), system resets and the watchdog.
 */
export class CrashWatch {
    readonly crashes: ChipCrash[] = []
    private lastLogLine = ""
    private breakpointAt = -1

    constructor(private readonly pico: Pico) {
        this.watchSystemReset()
        this.watchWatchdog()
    }

    /** A BKPT the core executed (none of FlashBreakpoints'). rp2040js then goes on with the next instruction, or runs it again in a loop: one report per place. */
    breakpoint(code: number, address: number): void {
        if (address === this.breakpointAt) return
        this.breakpointAt = address
        this.record("panic", `breakpoint (bkpt #${code}) at 0x${address.toString(16)}: a fault handler or the SDK's panic()`)
    }

    /** Takes in the next line of the runtime's log. */
    logLine(line: string): void {
        if (HW_PANIC.test(line)) this.record("panic", `hw_panic${PANIC_REASON.test(this.lastLogLine) ? ` after "${this.lastLogLine}"` : ""}`)
        else if (VM_PANIC.test(line)) this.record("panic", `the program panicked: "${line}"`)
        else if (RESTART_REQUESTED.test(line)) this.record("reset", "the program asked for a restart")
        this.lastLogLine = line
    }

    private record(kind: ChipCrash["kind"], what: string) {
        this.crashes.push({ at: this.pico.time.millis, kind, what })
    }

    private watchSystemReset() {
        const ppb = this.pico.rp2040.ppb
        const write = ppb.writeUint32.bind(ppb)
        ppb.writeUint32 = (offset: number, value: number) => {
            if (offset === PPB_AIRCR && (value & 0xffff0000) === AIRCR_VECTKEY && value & AIRCR_SYSRESETREQ) this.record("reset", "system reset requested (SYSRESETREQ)")
            write(offset, value)
        }
    }

    private watchWatchdog() {
        const watchdog = this.pico.rp2040.peripherals[WATCHDOG_SLOT] as unknown as { onWatchdogTrigger?: () => void }
        watchdog.onWatchdogTrigger = () => this.record("reset", "the watchdog fired")
    }
}

/** One line per crash, for Device.crashes(). */
export function describeCrash(crash: ChipCrash): string {
    return `${crash.kind} at ${crash.at.toFixed(1)} ms: ${crash.what}`
}
