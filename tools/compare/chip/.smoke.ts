import { writeFileSync } from "node:fs"
import { chipSettings, planChipJobs } from "./plan.js"
import { runChipJobs } from "./pool.js"
import { chipFigures } from "./figures.js"
async function main() {
    const s = { ...chipSettings(true), seeds: 2, loopSweepMs: [2, 10], sweepPresses: 10, xip: true, profileAndTrace: true }
    const sh = "/work/shared/rp2040/"
    const planned = planChipJobs(s, { released: { path: sh + "devicescript-rp2040-pico.uf2", elf: sh + "devicescript-rp2040-pico.elf" }, fixed: { path: sh + "devicescript-rp2040-pico-timfix.uf2", elf: sh + "devicescript-rp2040-pico-timfix.elf" } }, sh + "rp2040-bootrom-b1.bin")
    const t = performance.now()
    const runs = await runChipJobs(planned.map(p => p.job), l => console.error(l), (job, run, n) => console.error(`  ${n}/${planned.length} ${run.program} ${run.runtime} seed ${run.seed}${run.xip ? " xip" : ""}: ${run.emulatedMs.toFixed(0)} ms emulated in ${run.wallSeconds.toFixed(1)} s`))
    console.error(`total ${((performance.now() - t) / 1000).toFixed(1)} s`)
    const f = chipFigures(planned, runs)
    writeFileSync("/tmp/smoke.json", JSON.stringify(f, null, 1))
}
main()
