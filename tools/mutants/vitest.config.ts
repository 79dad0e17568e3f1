// The fast suites as the mutant tool runs them in its scratch copy: like the project's
// vitest.config.ts, but without its global setup (the tool builds each mutant itself).
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

export default defineConfig({
    test: {
        root: fileURLToPath(new URL("../..", import.meta.url)),
        // a VM unit test file runs in real time through `devs run`: on a busy machine it takes well over 30 s
        testTimeout: 120_000,
        include: ["test/**/*.test.ts"],
        exclude: ["test/src/unit/**", "test/**/*.ports.test.ts", "node_modules/**"],
    },
})
