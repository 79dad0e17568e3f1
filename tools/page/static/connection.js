// Whether the page is in touch with the server, said where a person sees it; and the controls, on only when a
// press or a setting can reach a build.

/** Every control that asks the server for something (Pause only holds the timeline still, here). */
const CONTROLS = "main button:not(#pause), main input"

const TEXT = { connecting: "connecting…", starting: "starting the builds…", live: "live", lost: "no server" }

/**
 * `state`: "connecting", "starting" (the server answers, its builds boot),
 * "live", or "lost" (the server has stopped or cannot be reached): then a banner
 * says so and the figures grey out, showing how things stood.
 */
export function showConnection(state) {
    const pill = document.querySelector("#connection")
    pill.textContent = TEXT[state]
    pill.dataset.state = state
    document.querySelector("#offline").hidden = state !== "lost"
    document.body.classList.toggle("offline", state === "lost")
    enableControls(state === "live")
}

function enableControls(enabled) {
    for (const control of document.querySelectorAll(CONTROLS)) control.disabled = !enabled
}

/** How many pages watch the server: with more than one, each says that they share everything. */
export function showViewers(count) {
    const note = document.querySelector("#viewers")
    note.hidden = count < 2
    note.textContent = `Open in ${count} pages: they share these builds, their presses, settings and counts.`
}
