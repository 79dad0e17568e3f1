// The contract's core on the VM in this process (on an emulated Pico: core.chip.test.ts; on the CLI's VM: core.ports.test.ts).
import { targets } from "../../support/devices.js"
import { coreContract } from "./core.js"

for (const target of targets("vm")) coreContract(target)
