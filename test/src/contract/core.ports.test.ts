// The contract's core on the CLI's own VM (`devs run --tcp`, real time, on the fixed port 8082): in a
// *.ports.test.ts file, so it runs after all other files, alone. The cases that take seconds of real time
// each (timeouts, four requests in flight, arrival order) are held on the VM and the chip only.
import { targets } from "../../support/devices.js"
import { coreContract } from "./core.js"

for (const target of targets("cli-vm")) coreContract(target, ["timeout", "busy", "order"])
