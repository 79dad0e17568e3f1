// Protocol timing (docs/protocol.md): given the same inputs spaced at least 50 ms apart, every build sends the same frames in the same order.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES, simulateReady } from "../../support/simulate.js"
import { type Simulation } from "../../../sim/index.js"
import { frame, seededRandom } from "../../../host/index.js"

type Step = { waitMs: number } & ({ press: true } | { inject: string })

/**
 * The two builds send a REQ up to one superloop period apart, so each
 * measures its timeout from a slightly different instant: inputs that land
 * within this margin of a timeout may legitimately be answered differently.
 */
const DEADLINE_MARGIN_MS = 30

/**
 * Presses, replies to recent and stale seqs, malformed frames and pauses long
 * enough for timeouts; no input lands within DEADLINE_MARGIN_MS of a timeout.
 */
function script(seed: number, length: number): Step[] {
    const next = seededRandom(seed)
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]
    const deadlines: number[] = []
    const steps: Step[] = []
    let now = 0
    const nearDeadline = (t: number) => deadlines.some(d => Math.abs(t - d) < DEADLINE_MARGIN_MS)
    for (let i = 0; i < length; i++) {
        const waitMs = pick([50, 60, 80, 150, 400, 1200])
        if (nearDeadline(now)) {
            steps.push({ waitMs, inject: "" })
            now += waitMs
            continue
        }
        const seq = (deadlines.length - 1 - Math.floor(next() * 6) + 256) % 256
        const kind = pick(["press", "press", "press", "reply", "reply", "bad"])
        now += waitMs
        if (kind === "press") {
            deadlines.push(now - waitMs + 1000)
            steps.push({ waitMs, press: true })
        } else if (kind === "reply") {
            steps.push({ waitMs, inject: frame(`RES,${seq},p${i}`) })
        } else {
            const bad = pick([frame(`RES,${seq},x`, "00"), "$RES,1\r\n", `$${"L".repeat(90)}\r\n`, frame("NOPE,1,2"), "junk"])
            steps.push({ waitMs, inject: bad })
        }
    }
    return steps
}

async function run(sim: Simulation, steps: Step[]) {
    for (const step of steps) {
        if ("press" in step) await sim.press()
        else if (step.inject) await sim.inject(step.inject)
        await sim.advance(step.waitMs)
    }
    await sim.advance(1500)
    return sim.bodies()
}

describe(`the ${BUILD_NAMES.join(", ")} builds`, () => {
    test.each([1, 2, 3])("send the same frames for the same spaced inputs (script seed %i)", async seed => {
        const steps = script(seed, 150)
        const [first, ...others] = BUILD_NAMES
        const expected = await run(await simulateReady(first), steps)
        for (const type of ["REQ", "ACK", "TMO", "ERR"]) {
            expect(expected.some(body => body.startsWith(type)), `the script exercises ${type}`).toBe(true)
        }
        expect(expected.some(body => body === "ERR,BUSY"), "the script reaches the in-flight limit").toBe(true)
        for (const build of others) expect(await run(await simulateReady(build), steps), `${build} against ${first}`).toEqual(expected)
    })
})
