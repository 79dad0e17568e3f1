// A press's stages, from a hand-made stream of stamped runtime function entries.
import { describe, expect, test } from "vitest"
import type { FunctionEntry } from "../../../sim/chip/functionTrace.js"
import { LED_WRITE, pressBreakdown, pressStamps, SERIAL_SEND, summarizeBreakdowns } from "../../../sim/chip/pressTrace.js"

const BUTTON_DOWN_EVENT = 0x8301 // event flag, counter 3, code 1 (down)
const BUTTON_UP_EVENT = 0x8402

/** A superloop press: the poll sees it at 6 ms, the pass that sends comes 10 ms after the event's delivery. */
const SUPERLOOP_PRESS: FunctionEntry[] = [
    { atUs: 900, name: "devs_fiber_run" }, // a pass before the press
    { atUs: 1000, name: "devs_jd_send_cmd", value: LED_WRITE },
    { atUs: 6000, name: "jd_send_event_ext", value: 2 }, // another event (up), not the press
    { atUs: 6076, name: "jd_send_event_ext", value: 1 },
    { atUs: 6085, name: "devs_fiber_run" }, // the pass in the same tick, before the delivery
    { atUs: 7100, name: "devs_jd_process_pkt", value: BUTTON_UP_EVENT },
    { atUs: 7111, name: "devs_jd_process_pkt", value: BUTTON_DOWN_EVENT },
    { atUs: 7194, name: "devs_fiber_run" }, // the event's dispatch
    { atUs: 17216, name: "devs_fiber_run" }, // the next pass
    { atUs: 19000, name: "devs_jd_send_cmd", value: LED_WRITE },
    { atUs: 21824, name: "devs_jd_send_cmd", value: SERIAL_SEND },
    { atUs: 21831, name: "devs_fiber_run" },
    { atUs: 21835, name: "jd_send_pkt", value: LED_WRITE },
    { atUs: 21836, name: "jd_send_pkt", value: SERIAL_SEND },
    { atUs: 21839, name: "jd_usb_send_frame" },
]

describe("a press's stamps and stages", () => {
    test("each stamp is the first matching entry after the one before; the pass is the last fiber run before the send", () => {
        expect(pressStamps(SUPERLOOP_PRESS, 0, 22_775)).toEqual({
            press: 0,
            sampled: 6076,
            delivered: 7111,
            running: 17216,
            sendCalled: 21824,
            sendLeft: 21836,
            toUsb: 21839,
            reqAtHost: 22_775,
        })
    })

    test("the stages add up to press→REQ", () => {
        const stages = pressBreakdown(pressStamps(SUPERLOOP_PRESS, 0, 22_775))
        expect(stages).toEqual({ poll: 6076, event: 1035, wait: 10105, bytecode: 4608, throttle: 12, flush: 3, usb: 936, totalUs: 22_775 })
    })

    test("entries before the press or after the REQ reached the host are not its stamps", () => {
        const late = pressStamps(SUPERLOOP_PRESS, 6080, 21_830)
        expect(late.sampled).toBeUndefined()
        expect(pressBreakdown(late).poll).toBeUndefined()
        expect(pressStamps(SUPERLOOP_PRESS, 0, 21_830).sendLeft).toBeUndefined()
    })

    test("the summary takes only presses with every stamp, but press→REQ of all of them", () => {
        const complete = pressBreakdown(pressStamps(SUPERLOOP_PRESS, 0, 22_775))
        const incomplete = pressBreakdown(pressStamps(SUPERLOOP_PRESS, 6080, 30_000))
        const summary = summarizeBreakdowns([complete, incomplete, { ...complete, wait: 105, totalUs: 12_775 }])
        expect(summary.complete).toBe(2)
        expect(summary.incomplete).toBe(1)
        expect(summary.stages.wait).toMatchObject({ median: 105, p99: 10105, max: 10105 })
        expect(summary.total.max).toBe(30_000 - 6080)
    })
})
