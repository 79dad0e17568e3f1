import { defineConfig } from "vitest/config"

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // DeviceScript-only suites: they run inside the VM, through test/unit/firmwareModules.test.ts
        exclude: ["test/devs/**", "node_modules/**"],
        globalSetup: ["test/globalSetup.ts"],
        testTimeout: 30_000,
    },
})
