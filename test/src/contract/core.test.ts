// The contract's core on the VM and on the emulated Pico (the CLI's VM: core.ports.test.ts).
import { targets } from "../../support/devices.js"
import { coreContract } from "./core.js"

for (const target of targets("vm")) coreContract(target)
