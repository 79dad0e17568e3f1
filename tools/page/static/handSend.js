// Sending a frame to a build by hand, with a preview of what will go out. The server frames the line (one
// codec, on the server): the preview asks it, so it shows exactly what Send would put on the link.
import { post } from "./api.js"
import { withCode } from "./format.js"

const HINT = "The checksum is filled in; a line starting with `$` is sent as typed."

/** Wires the form `form` of `build`: its preview, and its two ways to send; `showError` shows what the server refused. */
export function handSend(build, form, maxBytes, showError) {
    const text = form.querySelector("[data-send-text]")
    const preview = form.querySelector("[data-preview]")
    text.maxLength = maxBytes
    preview.replaceChildren(withCode(HINT))
    let asked = 0

    text.addEventListener("input", () => {
        const typed = text.value
        const ask = ++asked
        if (!typed) return preview.replaceChildren(withCode(HINT))
        post("/api/preview", { text: typed })
            .then(answer => ask === asked && preview.replaceChildren(previewOf(answer.preview)))
            .catch(e => ask === asked && preview.replaceChildren(e.message))
    })
    form.addEventListener("submit", e => {
        e.preventDefault()
        const checksum = e.submitter?.value === "wrong" ? "wrong" : "right"
        post("/api/send", { build, text: text.value, checksum })
            .then(() => showError(""))
            .catch(e => showError(e.message))
    })
}

/** The server's preview as nodes: the lines in code elements, never parsed as HTML. */
function previewOf(preview) {
    const code = text => Object.assign(document.createElement("code"), { textContent: text })
    const fragment = document.createDocumentFragment()
    if ("problem" in preview) fragment.append(`Cannot be sent: ${preview.problem}`)
    else if ("asTyped" in preview) fragment.append("Sends, as typed: ", code(preview.asTyped), " and ", code("\\r\\n"))
    else fragment.append("Send: ", code(preview.right), " · with wrong checksum: ", code(preview.wrong))
    return fragment
}
