// A build's serial monitor: one row per frame sent or received, press or note, the newest at the bottom.
import { count, element, seconds } from "./format.js"

const KEEP_ROWS = 400
/** Within this many pixels of the bottom, the monitor follows new rows. */
const FOLLOW_PX = 40

export class Monitor {
    constructor(box) {
        this.box = box
    }

    add(event) {
        const row = element("div")
        row.dataset.id = String(event.id)
        const time = element("time", "", seconds(event.at))
        const dir = element("span", "dir")
        const main = element(event.kind === "frame" ? "code" : "span")
        const note = element("span", "note")
        if (event.kind === "frame") {
            row.className = `row ${event.dir} t-${event.type}${isOverflow(event) ? " ovf" : ""}`
            row.dataset.type = event.type
            row.dataset.dir = event.dir
            dir.textContent = event.dir === "out" ? "TX" : "RX"
            main.textContent = event.text
            note.textContent = event.note ?? ""
        } else if (event.kind === "press") {
            row.className = "row press-row"
            dir.textContent = "▼"
            main.textContent = "button pressed"
        } else if (event.tone === "flood") {
            row.className = "row flood-note"
            dir.textContent = "≋"
            main.textContent = event.text
        } else {
            row.className = "row peer-note"
            dir.textContent = "✕"
            main.textContent = event.text
        }
        row.append(time, dir, main, note)
        if (event.repeat > 1) showRepeatOn(row, event)

        const atBottom = this.box.scrollTop + this.box.clientHeight >= this.box.scrollHeight - FOLLOW_PX
        this.box.append(row)
        while (this.box.childElementCount > KEEP_ROWS) this.box.firstElementChild.remove()
        if (atBottom) this.box.scrollTop = this.box.scrollHeight
    }

    /** The same frame sent again and again (a flood's answers): one row, with a count. */
    repeat(event) {
        const row = this.box.querySelector(`.row[data-id="${event.id}"]`)
        if (row) showRepeatOn(row, event)
    }
}

/** An `ERR,OVF`: input the build discarded, shown apart from the frames it refused. */
export const isOverflow = event => event.text.startsWith("$ERR,OVF,")

function showRepeatOn(row, { repeat, lastAt }) {
    row.classList.add("repeated")
    row.dataset.repeat = String(repeat)
    row.querySelector(".note").textContent = `×${count(repeat)} in a row, the last at ${seconds(lastAt)} s`
}
