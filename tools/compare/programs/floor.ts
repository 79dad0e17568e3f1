// The floor of press→REQ on a board: the button's handler sends `$REQ` at once, and nothing else (no request
// table, no replies, no LED). What any build takes beyond this is its own.
import { rdyFrame, reqFrame } from "../../../src/shared/frame"
import { button, enableSerial, serial } from "../../../src/shared/roles"

let seq = 0

serial.binding().subscribe(async bound => {
    if (!bound) return
    await enableSerial()
    await serial.send(rdyFrame("floor"))
})

button.down.subscribe(async () => {
    const frame = reqFrame(seq)
    seq = (seq + 1) & 0xff
    await serial.send(frame)
})
