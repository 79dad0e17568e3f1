// A long run per build: 10,000 request cycles (ACK, TMO and ERR mixed), then the heap is back near its idle size.
import { describe, expect, test } from "vitest"
import { heapLiveBytes, instrumentedModuleOptions } from "../../../sim/instrumentedVm.js"
import { GROWTH_BOUND_BYTES, HEAP_BOUND_BYTES, soak } from "../../../host/checks/index.js"
import { BUILD_NAMES, simulate } from "../../support/simulate.js"

describe.each(BUILD_NAMES)("%s build", build => {
    test("10,000 request cycles: every answer counted, the heap at most 512 bytes above idle and within 64 bytes of its size after 2,500", async () => {
        const sim = await simulate(build, { moduleOptions: instrumentedModuleOptions() })
        const heap = await soak(sim, () => heapLiveBytes(sim.module), 10_000)
        const count = (prefix: string) => sim.bodies().filter(b => b.startsWith(prefix)).length
        // 2,500 rounds of 4 presses; every 10th round's last 2 requests time out
        expect({ REQ: count("REQ"), ACK: count("ACK"), TMO: count("TMO"), CHK: count("ERR,CHK"), FMT: count("ERR,FMT"), BUSY: count("ERR,BUSY") }).toEqual({
            REQ: 10_000,
            ACK: 9_500,
            TMO: 500,
            CHK: 2_500,
            FMT: 2_500,
            BUSY: 0,
        })
        expect(sim.led.isOn).toBe(false)
        console.log(`${build}: heap ${heap.idleBytes} bytes idle, ${heap.quarterBytes} after 2,500 cycles, ${heap.endBytes} after 10,000`)
        expect(heap.endBytes - heap.idleBytes).toBeLessThanOrEqual(HEAP_BOUND_BYTES)
        expect(Math.abs(heap.endBytes - heap.quarterBytes)).toBeLessThanOrEqual(GROWTH_BOUND_BYTES)
    }, 300_000)
})
