// Builds on hosts, for tests that hold every host to the same contract: the VM in this process,
// the CLI's own VM (`devs run --tcp`, real time; only in *.ports.test.ts files) and the emulated Pico.
import { afterEach, expect } from "vitest"
import { type BuildName, BUILD_NAMES, type Device, type HostName } from "../../host/index.js"
import { Simulation, startChip, TcpVmSession } from "../../sim/index.js"
import { program } from "./simulate.js"

/** A build on a host, as a test case sees it. */
export interface Target {
    build: BuildName
    host: HostName
    /** "superloop on the VM", for test names. */
    name: string
}

const HOST_NAMES: Record<HostName, string> = { vm: "the VM", "cli-vm": "the CLI's VM", chip: "an emulated Pico" }

/** Every build on each of `hosts`. */
export function targets(...hosts: HostName[]): Target[] {
    return hosts.flatMap(host => BUILD_NAMES.map(build => ({ build, host, name: `${build} on ${HOST_NAMES[host]}` })))
}

/**
 * How long a test of a target may take in wall time. The chip bundles its image once (a minute or
 * more under a machine-wide lock) and runs emulated time at about real time or slower on a busy machine.
 */
export function timeoutFor(target: Target): number {
    return { vm: 60_000, "cli-vm": 60_000, chip: 600_000 }[target.host]
}

const running: Device[] = []

/**
 * Starts `target` and runs it until it has sent RDY. On the emulated Pico it runs the runtime
 * with the timer fix where it is given ($DEVS_RP2040_RUNTIME_FIXED), so that a test sees the
 * firmware and not the released runtime's lost wake-ups (test/sim/chip/timerStall.test.ts shows those).
 */
export async function startDevice(target: Target): Promise<Device> {
    const device = await start(target)
    running.push(device)
    await device.untilReady()
    return device
}

function start({ build, host }: Target): Promise<Device> {
    if (host === "vm") return Simulation.start({ build, program: program(build) })
    if (host === "cli-vm") return TcpVmSession.start(build, { program: program(build) })
    return startChip({ build, runtime: process.env.DEVS_RP2040_RUNTIME_FIXED ? "fixed" : "released" })
}

afterEach(async () => {
    for (const device of running.splice(0)) {
        await device.stop()
        expect(device.crashes(), `${device.build} on ${device.host} crashed`).toEqual([])
    }
})
