// Checks of the protocol from outside the device: its model, the flood checker, fuzzing (fast-check) and the soak.
// A public entry of its own, beside sim/index.ts: it loads fast-check and the instrumented VM (binaryen).
export * from "./specModel.js"
export * from "./floodChecker.js"
export * from "./serialFuzz.js"
export * from "./regressions.js"
export * from "./soak.js"
