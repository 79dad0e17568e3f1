// The page: builds itself from the server's hello (its builds, what a person may type) and then draws what the
// server streams (Server-Sent Events) and sends what a person does (POST). Plain JavaScript modules, no
// framework, no build step, nothing from the web.
import { post } from "./api.js"
import { showConnection, showViewers } from "./connection.js"
import { connect, serverNow } from "./events.js"
import { element, inWords } from "./format.js"
import { Panel } from "./panel.js"
import { Timeline } from "./timeline.js"

const $ = selector => document.querySelector(selector)
const panels = new Map() // build name → Panel
const timeline = new Timeline($("#timeline"))

function handle(event) {
    if (event.kind === "hello") return hello(event)
    if (event.kind === "viewers") return showViewers(event.count)
    const panel = panels.get(event.build)
    if (!panel) return
    panel.handle(event)
    if (event.kind === "frame" || event.kind === "press") timeline.addMark(event.build, event)
    else if (event.kind === "wakeups") timeline.addWakeups(event.build, event.list)
    else if (event.kind === "stats") timeline.setRates(event.build, event.stats)
    else if (event.kind === "flood") timeline.setFlood(event.build, event.flood)
}

/** The page from scratch, from what the server says it runs: a panel and a strip per build. */
function hello({ builds, limits, devices }) {
    introduce(builds)
    const container = $("#builds")
    panels.clear()
    container.replaceChildren()
    timeline.reset(devices.length ? builds : [])
    timeline.resume()
    if (devices.length === 0) {
        container.innerHTML = `<p class="starting">Starting the ${inWords(builds.length)} builds in the DeviceScript VM…</p>`
        return showConnection("starting")
    }
    for (const snapshot of devices) {
        const info = builds.find(b => b.name === snapshot.build)
        const panel = new Panel(info, limits, serverNow)
        panels.set(snapshot.build, panel)
        container.append(panel.el)
        panel.show(snapshot)
        for (const event of snapshot.monitor) timeline.addMark(snapshot.build, event)
        timeline.addWakeups(snapshot.build, snapshot.wakeups)
        timeline.setRates(snapshot.build, snapshot.stats)
        if (snapshot.flood) timeline.setFlood(snapshot.build, snapshot.flood)
    }
    showConnection("live")
}

/** The title, the lede and the legend name the builds the server runs, in their colours. */
function introduce(builds) {
    const names = builds.map(b => b.name)
    document.title = `${names.join(" vs ")}: the builds, live`
    const title = $("#title")
    title.replaceChildren()
    names.forEach((name, i) => {
        if (i > 0) title.append(element("span", "vs", " vs "))
        title.append(name)
    })
    $("#build-count").textContent = inWords(builds.length)
    const share = 100 / builds.length
    $("#key-ran").style.background = `linear-gradient(${builds.map((b, i) => `${b.color} ${i * share}% ${(i + 1) * share}%`).join(", ")})`
}

function lost() {
    showConnection("lost")
    timeline.stop(serverNow())
}

// ---- the press button and the space bar

/** Asks the server; what it refuses shows in every panel. */
function act(path) {
    post(path).catch(e => {
        for (const panel of panels.values()) panel.showError(e.message)
    })
}

function press() {
    const button = $("#press")
    if (button.disabled) return
    button.classList.add("down")
    setTimeout(() => button.classList.remove("down"), 120)
    act("/api/press")
}

function typingIn(target) {
    if (!(target instanceof HTMLElement)) return false
    if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
    return target instanceof HTMLInputElement && !["button", "submit", "checkbox", "radio", "range"].includes(target.type)
}

const isSpace = e => e.code === "Space" || e.key === " "

document.addEventListener("keydown", e => {
    if (!isSpace(e) || typingIn(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
    e.preventDefault() // no scrolling, and no click of whatever button has the focus
    if (!e.repeat) press()
})
document.addEventListener("keyup", e => {
    if (isSpace(e) && !typingIn(e.target)) e.preventDefault()
})
$("#press").addEventListener("click", press)
$("#clear").addEventListener("click", () => act("/api/clear"))
$("#pause").addEventListener("click", () => {
    const paused = !timeline.paused
    timeline.pause(paused, serverNow())
    $("#pause").textContent = paused ? "Resume" : "Pause"
    $("#pause").setAttribute("aria-pressed", String(paused))
})

/** The timeline redraws at most this often: it scrolls smoothly enough, at half the work of every frame. */
const DRAW_EVERY_MS = 1000 / 30
let drawnAt = -Infinity

function draw(at) {
    requestAnimationFrame(draw)
    if (at - drawnAt < DRAW_EVERY_MS - 1) return
    drawnAt = at
    timeline.draw(serverNow())
}

showConnection("connecting")
connect({ onEvent: handle, onLost: lost })
requestAnimationFrame(draw)
