// npm run build: both firmware builds, into built/<name>/.
import { buildAll } from "../../host/index.js"
import { runMain } from "../lib/errors.js"
import { parseOptions } from "../lib/options.js"

runMain(async () => {
    parseOptions(process.argv.slice(2), {}, "usage: npm run build", "Compiles both firmware builds with DeviceScript (devs build) into built/superloop/ and built/async/.")
    buildAll()
})
