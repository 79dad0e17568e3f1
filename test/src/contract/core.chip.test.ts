// The contract's core on an emulated Pico (the VM's run is core.test.ts): a file of its own, so
// that it runs beside the others.
import { targets } from "../../support/devices.js"
import { coreContract } from "./core.js"

for (const target of targets("chip")) coreContract(target)
