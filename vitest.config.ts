import { defineConfig } from "vitest/config"

// Tests that listen on the CLI's fixed ports (8081-8083) are named *.ports.test.ts:
// they run after all others, one file at a time.
const PORTS = "test/**/*.ports.test.ts"

export default defineConfig({
    test: {
        // builds both firmware builds once, before any project runs
        globalSetup: ["test/globalSetup.ts"],
        projects: [
            {
                test: {
                    name: "main",
                    testTimeout: 30_000,
                    // vitest's default leaves one core free: on a 2-core machine (this one, CI) that is one file at a time
                    maxWorkers: 2,
                    include: ["test/**/*.test.ts"],
                    // the firmware's unit tests are DeviceScript: they run inside the VM, through test/src/unit.test.ts
                    exclude: ["test/src/unit/**", PORTS, "node_modules/**"],
                },
            },
            {
                test: {
                    name: "ports",
                    testTimeout: 30_000,
                    include: [PORTS],
                    fileParallelism: false,
                    sequence: { groupOrder: 1 },
                },
            },
        ],
    },
})
