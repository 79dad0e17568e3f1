// One build's panel: its name, style and summary, its LED and figures, its serial monitor, its peer, its flood
// and sending by hand.
import { count, ms, withCode } from "./format.js"
import { floodControls } from "./flood.js"
import { handSend } from "./handSend.js"
import { Monitor } from "./monitor.js"
import { peerFields } from "./peerFields.js"

/** The most requests a build keeps in flight (docs/protocol.md). */
const MAX_IN_FLIGHT = 4

export class Panel {
    /** `info`: the build as the server lists it; `limits`: what a person may type, from the server. */
    constructor(info, limits, serverNow) {
        const el = document.querySelector("#build-template").content.firstElementChild.cloneNode(true)
        const part = name => el.querySelector(`[data-${name}]`)
        this.el = el
        this.part = part
        this.errs = 0
        el.dataset.build = info.name
        el.style.setProperty("--accent", info.color)
        part("name").textContent = info.name
        part("style").textContent = info.style
        part("summary").replaceChildren(withCode(info.summary))
        this.monitor = new Monitor(part("monitor"))
        this.showPeer = peerFields(info.name, part("peer-fields"), part("peer-messages"), limits.peer)
        this.showFlood = floodControls(info.name, el.querySelector(".flood"), limits.flood, serverNow)
        handSend(info.name, part("send"), limits.handBytes, message => this.showError(message))
    }

    /** Everything the server knew of the build when the page connected. */
    show(snapshot) {
        for (const event of snapshot.monitor) this.monitor.add(event)
        this.setLed(snapshot.ledOn)
        this.showStats(snapshot.stats)
        this.showPeer(snapshot.peer)
        if (snapshot.flood) this.showFlood(snapshot.flood)
    }

    handle(event) {
        switch (event.kind) {
            case "frame":
            case "note":
            case "press":
                return this.monitor.add(event)
            case "repeat":
                return this.monitor.repeat(event)
            case "led":
                return this.setLed(event.on)
            case "stats":
                return this.showStats(event.stats)
            case "peer":
                return this.showPeer(event.peer)
            case "flood":
                return this.showFlood(event.flood)
        }
    }

    showError(message) {
        const error = this.part("error")
        error.textContent = message
        error.hidden = !message
    }

    setLed(on) {
        this.part("led").classList.toggle("on", on)
        this.part("led-label").textContent = on ? "LED on" : "LED off"
    }

    showStats(stats) {
        const set = (name, text) => (this.el.querySelector(`[data-stat="${name}"]`).textContent = text)
        set("last", ms(stats.lastPressToReqMs))
        set("median", ms(stats.medianPressToReqMs))
        set("inFlight", `${stats.inFlight} / ${MAX_IN_FLIGHT}`)
        set("acks", count(stats.acks))
        set("tmos", count(stats.tmos))
        set("errs", count(stats.errs))
        this.flashErrors(stats.errs)
        const figure = text => Object.assign(document.createElement("b"), { textContent: count(text) })
        this.part("vm").replaceChildren(
            "VM, last second: ",
            figure(stats.wakeupsPerSec),
            " wakeups, ",
            figure(stats.bytecodeWakeupsPerSec),
            " of them ran bytecode, ",
            figure(stats.instructionsPerSec),
            ` instructions · ${count(stats.reqs)} REQ for ${count(stats.presses)} presses`,
        )
    }

    /** The ERR figure flashes at each new ERR. */
    flashErrors(errs) {
        const figure = this.part("err-figure")
        if (errs === 0) figure.classList.remove("alert")
        if (errs > this.errs) {
            figure.classList.remove("alert")
            void figure.offsetWidth // restart the flash
            figure.classList.add("alert")
        }
        this.errs = errs
    }
}
