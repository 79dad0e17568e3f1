// A build's simulated peer on the page: one field per setting the server lists, in ms or %, each checked as it
// changes. A refused value leaves the field showing the value in force, and a message under the row of fields
// (so that the fields never move).
import { post } from "./api.js"
import { element } from "./format.js"
import { applyLimits, readNumber, showMessage } from "./numberField.js"

/** The value of a peer setting as its field shows it (ms, or % for a share). */
const shown = (value, { scale }) => Math.round(value * scale * 100) / 100

/**
 * Builds the fields in `row` and their messages in `messages`; returns
 * `show(peer)`, which shows settings the server reports (except in the field
 * someone is typing in).
 */
export function peerFields(build, row, messages, limits) {
    let current = null
    const inputs = Object.entries(limits).map(([key, limit]) => {
        const input = element("input")
        input.type = "number"
        input.inputMode = "decimal"
        input.dataset.peer = key
        applyLimits(input, limit)
        const message = element("p", "field-message")
        message.dataset.message = key
        message.id = `${build}-${key}-message`
        message.setAttribute("aria-live", "polite")
        input.setAttribute("aria-describedby", message.id)
        const label = element("label", "field")
        label.append(`${limit.name} `, input, ` ${limit.unit}`)
        row.append(label)
        messages.append(message)
        input.addEventListener("change", () => change(input, key, limit, message))
        return input
    })

    function change(input, key, limit, message) {
        const refuse = problem => {
            input.value = String(shown(current[key], limit))
            input.setAttribute("aria-invalid", "true")
            showMessage(message, `${limit.name}: ${problem}; still ${input.value} ${limit.unit}`)
        }
        const { value, problem } = readNumber(input.value, limit)
        if (problem) return refuse(problem)
        post("/api/peer", { build, [key]: value / limit.scale })
            .then(({ peer }) => {
                current = peer
                input.value = String(shown(peer[key], limit))
                input.removeAttribute("aria-invalid")
                showMessage(message, "")
            })
            .catch(e => refuse(e.message))
    }

    return function show(peer) {
        current = peer
        for (const input of inputs) {
            if (document.activeElement === input) continue // do not overwrite what someone is typing
            input.value = String(shown(peer[input.dataset.peer], limits[input.dataset.peer]))
        }
    }
}
