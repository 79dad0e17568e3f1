// The project's kernel on the host side, shared by the simulator, the tools and the tests:
// the list of builds, the protocol's frames as seen from outside, what a device offers, a seeded generator.
export {
    BUILDS,
    BUILD_NAMES,
    ROOT,
    UnknownBuildError,
    build,
    buildAll,
    buildDir,
    buildNamed,
    devsCommand,
    isBuildName,
    programPath,
    type Build,
    type BuildName,
} from "./builds.js"
export { bytes, checksumHex, frame, parseSent, type SentFrame } from "./frames.js"
export {
    firstFrameSince,
    pressAndAwaitAnswer,
    requestCycle,
    switchesOf,
    type Device,
    type HostName,
    type LedSwitch,
    type PressAnswer,
    type RequestCycle,
    type RequestCycleOptions,
} from "./device.js"
export { seededRandom } from "./random.js"
