// The simulator's public API: what tools/ and test/ may use. Everything else in sim/ is internal.
// What every part shares (the builds, frames, the Device interface) is in host/index.ts.

// The real DeviceScript VM in this process, on a jacdac-ts bus, with its simulated parts
export { Simulation, type SimulationOptions } from "./simulation.js"
export { VirtualClock, WallClock, type SimClock } from "./clock.js"
export { CRASH_LINE, readVmWasm, type DevsModule } from "./devsVm.js"

// The parts around the device, and a peer that answers its requests
export { Peripherals } from "./peripherals.js"
export { SimButton } from "./servers/button.js"
export { SimLightBulb, type LedChange } from "./servers/lightBulb.js"
export { SimSerial, MAX_CHUNK, type SentChunk } from "./servers/serial.js"
export { autoReply, type PeerHost, type PeerOptions } from "./peer.js"

// Frames as seen from outside the device
export { bytes, checksumHex, frame, parseSent, type SentFrame } from "../host/frames.js"

// Building the firmware with the pinned CLI
export { BUILDS, ROOT, build, buildAll, buildDir, devsCommand, programPath, type BuildName } from "../host/builds.js"

// The CLI's own VM process (`devs run --tcp`), and joining a running `devs devtools`
export { DEVS_TCP_PORT, TcpVmSession, type TcpVmOptions } from "./tcpVm.js"
export {
    DEVTOOLS_HOST,
    DEVTOOLS_TCP_PORT,
    DevtoolsUnreachableError,
    connectToDevtools,
    type DevtoolsConnection,
} from "./jacdac/devtools.js"
export { SerialServer, type SerialSettings } from "./jacdac/serialServer.js"

// The scripted scenario of `npm run sim` and `npm run chip`, and its side-by-side transcript
export { DROPPED_SEQ, END_MS, REPLY_DELAY_MS, playScenario, printSideBySide, scenario, type Row, type ScenarioTarget } from "./scenario.js"

// The real DeviceScript RP2040 runtime on an emulated Pico (rp2040js)
export * from "./chip/index.js"

