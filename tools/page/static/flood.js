// A build's flood on the page: how long, start or stop, and what it sent and what came back.
import { post } from "./api.js"
import { count, withCode } from "./format.js"
import { applyLimits, readNumber, showMessage } from "./numberField.js"

/**
 * Wires the flood's controls in `el` (its button, seconds and status) to the
 * server, with the limits it gave; returns `show(flood)` for the server's reports.
 */
export function floodControls(build, el, { seconds: limit, chunkBytes, everyMs }, serverNow) {
    const part = name => el.querySelector(`[data-${name}]`)
    const button = part("flood")
    const field = part("flood-seconds")
    const message = part("message")
    const status = part("flood-status")
    applyLimits(field, limit)
    field.value = String(limit.initial)
    message.id = `${build}-floodSeconds-message`
    field.setAttribute("aria-describedby", message.id)
    let chosen = limit.initial
    let flood = null
    status.replaceChildren(
        withCode(
            `A ${chunkBytes}-byte chunk of frames with a wrong checksum every ${everyMs} ms (about 115,200 baud): ` +
                "more `ERR` to answer than the link can carry back, so the build holds input back and, when it has no room, " +
                "discards it and says `ERR,OVF`.",
        ),
    )

    field.addEventListener("change", () => {
        const { value, problem } = readNumber(field.value, limit)
        if (problem) {
            field.value = String(chosen)
            return showMessage(message, `${problem}; stays ${chosen} ${limit.unit}`)
        }
        chosen = value
        showMessage(message, "")
    })
    button.addEventListener("click", () => {
        post("/api/flood", flood?.running ? { build, stop: true } : { build, seconds: chosen })
            .then(() => showMessage(message, ""))
            .catch(e => showMessage(message, e.message))
    })

    return function show(next) {
        flood = next
        button.textContent = flood.running ? "Stop the flood" : "Flood with garbage"
        button.classList.toggle("running", flood.running)
        const lasted = (flood.running ? Math.min(serverNow(), flood.endsAt) : flood.endsAt) - flood.startedAt
        const answers = `${count(flood.errs - flood.ovfs)} ERR back, `
        const overflow = document.createElement("b")
        overflow.className = "ovf-count"
        overflow.textContent = `${count(flood.ovfs)} OVF: ${count(flood.discardedBytes)} bytes discarded`
        status.replaceChildren(
            `${flood.running ? "Flooding" : "Last flood"}: ${count(flood.bytes)} bytes in ${(Math.max(0, lasted) / 1000).toFixed(1)} s; ${answers}`,
            flood.ovfs ? overflow : "no OVF",
        )
    }
}
