// The page: draws what the server streams (Server-Sent Events) and sends what a person does (POST).
// Plain JavaScript, no framework, no build step, nothing from the web.
import { stackLabels, windowTicks } from "./labels.js"

const WINDOW_MS = 3000
/** Wakeups arrive in batches every 100 ms: the timeline's right edge stays this far behind, so it has no gap. */
const LAG_MS = 150
const MONITOR_ROWS = 400
/** The peer's settings as the page shows them: in ms and %, with the range it accepts. */
const PEER_FIELDS = {
    replyDelayMs: { unit: "ms", max: 5000, scale: 1 },
    dropShare: { unit: "%", max: 100, scale: 100 },
    corruptShare: { unit: "%", max: 100, scale: 100 },
}
const FLOOD_SECONDS = { unit: "s", min: 0.1, max: 30 }

const ABOUT = {
    superloop: "Event handlers only raise flags; one <code>while (true)</code> loop checks them every 10 ms and does all the work.",
    async: "Each press starts a task that sends its request, <code>await</code>s the reply or the timeout, and handles the result.",
}

const $ = selector => document.querySelector(selector)
const devices = new Map() // build name → { el, wakeups, marks, floods, stats, peer }
let serverOffset = null // server clock minus performance.now(), from the freshest event
let paused = false
let pausedAt = 0

// ---- talking to the server

async function post(path, body = {}) {
    const res = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
    })
    const answer = await res.json().catch(() => ({ error: `HTTP ${res.status}` }))
    if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`)
    return answer
}

function connect() {
    const events = new EventSource("/api/events")
    const status = $("#connection")
    events.onopen = () => {
        status.textContent = "live"
        status.classList.add("live")
    }
    events.onerror = () => {
        status.textContent = "reconnecting…"
        status.classList.remove("live")
    }
    events.onmessage = message => handle(JSON.parse(message.data))
}

function serverNow() {
    return serverOffset === null ? 0 : performance.now() + serverOffset
}

function handle(event) {
    const offset = event.at - performance.now()
    if (event.kind === "hello") {
        serverOffset = offset
        return hello(event)
    }
    if (serverOffset === null || offset > serverOffset) serverOffset = offset
    const device = devices.get(event.build)
    if (!device) return
    switch (event.kind) {
        case "frame":
        case "note":
        case "press":
            return monitorEvent(device, event)
        case "led":
            return setLed(device, event.on)
        case "wakeups":
            return addWakeups(device, event.list)
        case "stats":
            return showStats(device, event.stats)
        case "peer":
            return showPeer(device, event.peer)
        case "repeat":
            return showRepeat(device, event)
        case "flood":
            return showFlood(device, event.flood)
    }
}

// ---- building the panels

function hello({ devices: snapshots }) {
    const container = $("#builds")
    devices.clear()
    container.replaceChildren()
    $("#press").disabled = snapshots.length === 0
    if (snapshots.length === 0) {
        container.innerHTML = '<p class="starting">Starting both builds in the DeviceScript VM…</p>'
        return
    }
    for (const snapshot of snapshots) {
        const device = panel(snapshot.build)
        devices.set(snapshot.build, device)
        container.append(device.el)
        for (const event of snapshot.monitor) monitorEvent(device, event)
        addWakeups(device, snapshot.wakeups)
        setLed(device, snapshot.ledOn)
        showStats(device, snapshot.stats)
        showPeer(device, snapshot.peer)
        if (snapshot.flood) showFlood(device, snapshot.flood)
    }
}

function panel(build) {
    const el = $("#build-template").content.firstElementChild.cloneNode(true)
    el.dataset.build = build
    el.querySelector("[data-name]").textContent = build
    el.querySelector("[data-about]").innerHTML = ABOUT[build] ?? ""
    const device = { build, el, wakeups: [], marks: [], floods: [], stats: null, errs: 0, peer: null, flood: null }
    const part = name => el.querySelector(`[data-${name}]`)
    device.monitor = part("monitor")
    device.error = part("error")

    for (const message of el.querySelectorAll("[data-message]")) {
        message.id = `${build}-${message.dataset.message}-message`
        message.closest(".field").querySelector("input").setAttribute("aria-describedby", message.id)
    }
    for (const input of el.querySelectorAll("[data-peer]")) {
        input.addEventListener("change", () => changePeer(device, input))
    }
    const floodSeconds = part("flood-seconds")
    floodSeconds.addEventListener("change", () => {
        const { value, problem } = readField(floodSeconds.value, FLOOD_SECONDS)
        if (problem) {
            floodSeconds.value = String(device.floodSeconds)
            return fieldMessage(device, "floodSeconds", `${problem}; stays ${device.floodSeconds} s`)
        }
        device.floodSeconds = value
        fieldMessage(device, "floodSeconds", "")
    })
    device.floodSeconds = Number(floodSeconds.value)
    part("flood").addEventListener("click", () => {
        const body = device.flood?.running ? { build, stop: true } : { build, seconds: device.floodSeconds }
        post("/api/flood", body)
            .then(() => fieldMessage(device, "floodSeconds", ""))
            .catch(e => fieldMessage(device, "floodSeconds", e.message))
    })

    const form = part("send")
    const text = part("send-text")
    const preview = part("preview")
    text.addEventListener("input", () => (preview.innerHTML = previewOf(text.value)))
    form.addEventListener("submit", e => {
        e.preventDefault()
        const checksum = e.submitter?.value === "wrong" ? "wrong" : "right"
        post("/api/send", { build, text: text.value, checksum })
            .then(() => showError(device, ""))
            .catch(e => showError(device, e.message))
    })
    return device
}

/** A number typed in a field, checked against its range; `problem` says what is wrong, in the field's unit. */
function readField(text, { unit, min = 0, max }) {
    const range = `from ${min} to ${max} ${unit}`
    if (text.trim() === "") return { problem: `enter a number ${range}` }
    const value = Number(text)
    if (!Number.isFinite(value)) return { problem: `enter a number ${range}` }
    if (value < min || value > max) return { problem: `${value} ${unit} is out of range: ${range}` }
    return { value }
}

/** The value of a peer setting as its field shows it (ms, or % for a share). */
function shown(key, peer) {
    return Math.round(peer[key] * PEER_FIELDS[key].scale * 100) / 100
}

/**
 * Sends a peer setting once it is checked here, in the field's unit. A value that
 * is refused (here or by the server) leaves the field showing the value in force,
 * with a message beside it.
 */
function changePeer(device, input) {
    const key = input.dataset.peer
    const field = PEER_FIELDS[key]
    const refuse = problem => {
        input.value = String(shown(key, device.peer))
        input.setAttribute("aria-invalid", "true")
        fieldMessage(device, key, `${problem}; still ${input.value} ${field.unit}`)
    }
    const { value, problem } = readField(input.value, field)
    if (problem) return refuse(problem)
    post("/api/peer", { build: device.build, [key]: value / field.scale })
        .then(({ peer }) => {
            device.peer = peer
            input.value = String(shown(key, peer))
            input.removeAttribute("aria-invalid")
            fieldMessage(device, key, "")
        })
        .catch(e => refuse(e.message))
}

function fieldMessage(device, name, message) {
    const element = device.el.querySelector(`[data-message="${name}"]`)
    element.textContent = message
    element.classList.toggle("shown", !!message)
}

function showError(device, message) {
    device.error.textContent = message
    device.error.hidden = !message
}

// ---- the serial monitor

const seconds = at => (at / 1000).toFixed(3)

function monitorEvent(device, event) {
    const row = document.createElement("div")
    const time = document.createElement("time")
    time.textContent = seconds(event.at)
    const dir = document.createElement("span")
    dir.className = "dir"
    const main = document.createElement(event.kind === "frame" ? "code" : "span")
    const note = document.createElement("span")
    note.className = "note"
    row.dataset.id = String(event.id)
    if (event.kind === "frame") {
        const ovf = event.text.startsWith("$ERR,OVF,")
        row.className = `row ${event.dir} t-${event.type}${ovf ? " ovf" : ""}`
        row.dataset.type = event.type
        row.dataset.dir = event.dir
        dir.textContent = event.dir === "out" ? "TX" : "RX"
        main.textContent = event.text
        note.textContent = event.note ?? ""
        device.marks.push({ at: event.at, kind: event.dir, type: event.type, label: ovf ? "OVF" : event.type })
    } else if (event.kind === "press") {
        row.className = "row press-row"
        dir.textContent = "▼"
        main.textContent = "button pressed"
        device.marks.push({ at: event.at, kind: "press" })
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

    const box = device.monitor
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 40
    box.append(row)
    while (box.childElementCount > MONITOR_ROWS) box.firstElementChild.remove()
    if (atBottom) box.scrollTop = box.scrollHeight
}

/** The same frame sent again and again (a flood's answers): one line, with a count. */
function showRepeat(device, event) {
    const row = device.monitor.querySelector(`.row[data-id="${event.id}"]`)
    if (row) showRepeatOn(row, event)
}

function showRepeatOn(row, { repeat, lastAt }) {
    row.classList.add("repeated")
    row.dataset.repeat = String(repeat)
    row.querySelector(".note").textContent = `×${count(repeat)} in a row, the last at ${seconds(lastAt)} s`
}

// ---- LED, figures, peer settings

function setLed(device, on) {
    device.el.querySelector("[data-led]").classList.toggle("on", on)
    device.el.querySelector("[data-led-label]").textContent = on ? "LED on" : "LED off"
}

const ms = value => (value === null ? "–" : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`)
const count = value => value.toLocaleString("en-US")

function showStats(device, stats) {
    const set = (name, text) => (device.el.querySelector(`[data-stat="${name}"]`).textContent = text)
    set("last", ms(stats.lastPressToReqMs))
    set("median", ms(stats.medianPressToReqMs))
    set("inFlight", `${stats.inFlight} / 4`)
    set("acks", count(stats.acks))
    set("tmos", count(stats.tmos))
    set("errs", count(stats.errs))
    if (stats.errs === 0) device.el.querySelector("[data-err-figure]").classList.remove("alert")
    if (stats.errs > device.errs) {
        const figure = device.el.querySelector("[data-err-figure]")
        figure.classList.remove("alert")
        void figure.offsetWidth // restart the flash
        figure.classList.add("alert")
    }
    device.errs = stats.errs
    device.stats = stats
    device.el.querySelector("[data-vm]").innerHTML =
        `VM, last second: <b>${count(stats.wakeupsPerSec)}</b> wakeups, <b>${count(stats.bytecodeWakeupsPerSec)}</b> of them ran bytecode, ` +
        `<b>${count(stats.instructionsPerSec)}</b> instructions · ${count(stats.reqs)} REQ for ${count(stats.presses)} presses`
}

function showPeer(device, peer) {
    device.peer = peer
    for (const input of device.el.querySelectorAll("[data-peer]")) {
        if (document.activeElement === input) continue // do not overwrite what someone is typing
        input.value = String(shown(input.dataset.peer, peer))
    }
}

// ---- the flood

function showFlood(device, flood) {
    device.flood = flood
    const button = device.el.querySelector("[data-flood]")
    button.textContent = flood.running ? "Stop the flood" : "Flood with garbage"
    button.classList.toggle("running", flood.running)
    const span = device.floods.find(f => f.from === flood.startedAt)
    const to = flood.running ? null : flood.endsAt
    if (span) span.to = to
    else device.floods.push({ from: flood.startedAt, to })
    const secondsSoFar = ((flood.running ? flood.chunks * 20 : flood.endsAt - flood.startedAt) / 1000).toFixed(1)
    const answers =
        `${count(flood.errs - flood.ovfs)} ERR back, ` +
        (flood.ovfs ? `<b class="ovf-count">${count(flood.ovfs)} OVF: ${count(flood.discardedBytes)} bytes discarded</b>` : "no OVF")
    device.el.querySelector("[data-flood-status]").innerHTML =
        `${flood.running ? "Flooding" : "Last flood"}: ${count(flood.bytes)} bytes in ${secondsSoFar} s; ${answers}`
}

// ---- sending by hand: what will go out

function checksum(body) {
    let sum = 0
    for (const c of body) sum ^= c.charCodeAt(0) & 0xff
    return sum
}

const hex = n => n.toString(16).toUpperCase().padStart(2, "0")
const escapeHtml = s => s.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)

function previewOf(text) {
    if (!text) return "The checksum is filled in; a line starting with <code>$</code> is sent as typed."
    if (text.startsWith("$")) return `sends, as typed: <code>${escapeHtml(text)}</code> and <code>\\r\\n</code>`
    const sum = checksum(text)
    return (
        `Send: <code>$${escapeHtml(text)}*${hex(sum)}</code> · ` +
        `with wrong checksum: <code>$${escapeHtml(text)}*${hex(sum ^ 0x5a)}</code>`
    )
}

// ---- the press button and the space bar

async function press() {
    const button = $("#press")
    if (button.disabled) return
    button.classList.add("down")
    setTimeout(() => button.classList.remove("down"), 120)
    try {
        await post("/api/press")
    } catch (e) {
        for (const device of devices.values()) showError(device, e.message)
    }
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
    if (!e.repeat) void press()
})
document.addEventListener("keyup", e => {
    if (isSpace(e) && !typingIn(e.target)) e.preventDefault()
})
$("#press").addEventListener("click", () => void press())
$("#clear").addEventListener("click", () => void post("/api/clear"))
$("#pause").addEventListener("click", () => {
    paused = !paused
    pausedAt = serverNow() - LAG_MS
    $("#pause").textContent = paused ? "Resume" : "Pause"
    $("#pause").setAttribute("aria-pressed", String(paused))
})

// ---- the timeline: one strip per build, one tick per wakeup

function addWakeups(device, list) {
    device.wakeups.push(...list)
    prune(device)
}

function prune(device) {
    const horizon = serverNow() - WINDOW_MS - LAG_MS - 2000
    if (paused) return
    while (device.wakeups.length && device.wakeups[0][0] < horizon) device.wakeups.shift()
    while (device.marks.length && device.marks[0].at < horizon) device.marks.shift()
}

const colours = new Map()
/** A colour of the style sheet (`--REQ`, `--async`...), or "" if it has none. */
function css(name) {
    if (!colours.has(name)) colours.set(name, getComputedStyle(document.documentElement).getPropertyValue(name).trim())
    return colours.get(name)
}

const FONT = "system-ui, sans-serif"
const STRIP_HEIGHT = 72
const STRIP_GAP = 10
/** Below this width, each strip's name goes above it instead of beside it. */
const NARROW_PX = 560
const FRAME_LABEL_LANES = 2

/**
 * Draws text on the timeline and keeps its box, so that a test can check that no
 * two labels overlap (`canvas.labelBoxes`, in CSS pixels from the canvas' corner).
 */
function labeller(g, boxes) {
    /** `clip`: the part of the canvas drawn on now ({ left, right, top, bottom }); what falls outside is not seen. */
    return (text, x, y, font, align = "left", clip = null, halo = null) => {
        g.font = font
        g.textAlign = align
        g.textBaseline = "middle"
        if (halo) {
            // a rim of the background colour keeps a label legible over the dots of the frames after it
            g.save()
            g.strokeStyle = halo
            g.lineWidth = 3
            g.lineJoin = "round"
            g.strokeText(text, x, y)
            g.restore()
        }
        g.fillText(text, x, y)
        const m = g.measureText(text)
        const box = { text, left: x - m.actualBoundingBoxLeft, right: x + m.actualBoundingBoxRight, top: y - m.actualBoundingBoxAscent, bottom: y + m.actualBoundingBoxDescent }
        if (clip) {
            box.left = Math.max(box.left, clip.left)
            box.right = Math.min(box.right, clip.right)
            if (box.left >= box.right) return
        }
        boxes.push(box)
    }
}

function textWidth(g, text, font) {
    g.font = font
    return g.measureText(text).width
}

function draw() {
    requestAnimationFrame(draw)
    const canvas = $("#timeline")
    const list = [...devices.values()]
    const width = canvas.clientWidth
    const narrow = width < NARROW_PX
    const nameHeight = narrow ? 18 : 0
    const axisHeight = 18
    const neededHeight = 4 + list.length * (nameHeight + STRIP_HEIGHT + STRIP_GAP) + axisHeight
    if (list.length && canvas.clientHeight !== neededHeight) canvas.style.height = `${neededHeight}px`
    const height = canvas.clientHeight
    const dpr = window.devicePixelRatio || 1
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr)
        canvas.height = Math.round(height * dpr)
    }
    const g = canvas.getContext("2d")
    g.setTransform(dpr, 0, 0, dpr, 0, 0)
    g.clearRect(0, 0, width, height)
    const boxes = []
    const label = labeller(g, boxes)
    const drawn = {}

    const right = paused ? pausedAt : serverNow() - LAG_MS
    const left = right - WINDOW_MS
    const plotLeft = narrow ? 0 : 118
    const plotWidth = width - plotLeft - (narrow ? 0 : 8)
    const x = at => plotLeft + ((at - left) / WINDOW_MS) * plotWidth
    const top = 4

    list.forEach((device, i) => {
        const nameY = top + i * (nameHeight + STRIP_HEIGHT + STRIP_GAP)
        const y = nameY + nameHeight
        const bottom = y + STRIP_HEIGHT
        const colour = css(`--${device.build}`) || "#333"
        g.fillStyle = "#f6f7f9"
        g.fillRect(plotLeft, y, plotWidth, STRIP_HEIGHT)
        g.strokeStyle = "#e3e6eb"
        g.strokeRect(plotLeft + 0.5, y + 0.5, plotWidth - 1, STRIP_HEIGHT - 1)

        const rates = device.stats && [`ran code ${device.stats.bytecodeWakeupsPerSec}×/s`, `woke ${device.stats.wakeupsPerSec}×/s`]
        g.fillStyle = colour
        if (narrow) {
            const nameFont = `600 13px ${FONT}`
            label(device.build, 2, nameY + 8, nameFont)
            g.fillStyle = "#667085"
            if (rates) label(rates.join(" · "), 2 + textWidth(g, device.build, nameFont) + 10, nameY + 8, `11px ${FONT}`)
        } else {
            label(device.build, 4, y + 18, `600 14px ${FONT}`)
            g.fillStyle = "#667085"
            if (rates) rates.forEach((text, line) => label(text, 4, y + 38 + 14 * line, `11px ${FONT}`))
        }

        g.save()
        g.beginPath()
        g.rect(plotLeft, y, plotWidth, STRIP_HEIGHT)
        g.clip()
        g.fillStyle = "rgb(224 49 49 / 10%)"
        for (const flood of device.floods) {
            const to = flood.to ?? right
            if (to < left || flood.from > right) continue
            g.fillRect(x(flood.from), y, x(to) - x(flood.from), STRIP_HEIGHT)
        }
        const ticks = (drawn[device.build] = { ran: 0, idle: 0 })
        for (const [at, instructions] of device.wakeups) {
            if (at < left - 5 || at > right + 5) continue
            const px = Math.round(x(at)) + 0.5
            ticks[instructions > 0 ? "ran" : "idle"]++
            if (instructions > 0) {
                const h = 10 + 20 * Math.min(1, Math.log10(1 + instructions) / 3.5)
                g.fillStyle = colour
                g.fillRect(px - 1, bottom - 3 - h, 2, h)
            } else {
                g.fillStyle = "#adb5bd"
                g.fillRect(px - 0.5, bottom - 9, 1, 6)
            }
        }
        const clip = { left: plotLeft, right: plotLeft + plotWidth, top: y, bottom }
        drawMarks(g, device, x, y, bottom, left, right, (text, lx, ly, font) => label(text, lx, ly, font, "left", clip, "#f6f7f9"))
        g.restore()
    })

    // the time axis: round steps, as many as fit without their labels touching
    const axisY = top + list.length * (nameHeight + STRIP_HEIGHT + STRIP_GAP) + 2
    const axisFont = `11px ${FONT}`
    const tickLabel = v => (v === 0 ? (paused ? "paused" : "now") : `−${-v / 1000} s`)
    const ticks = windowTicks(WINDOW_MS, plotWidth, v => textWidth(g, tickLabel(v), axisFont), [250, 500, 1000, 1500, 3000], 60)
    g.fillStyle = "#667085"
    ticks.forEach((v, i) => {
        const px = plotLeft + ((v + WINDOW_MS) / WINDOW_MS) * plotWidth
        g.fillRect(Math.round(px), axisY - 4, 1, 4)
        label(tickLabel(v), px, axisY + 7, axisFont, i === 0 ? "left" : i === ticks.length - 1 ? "right" : "center")
    })
    g.textAlign = "left"
    // what a test reads back (reading the canvas' pixels is slow in a software-rendered browser)
    canvas.labelBoxes = boxes
    canvas.drawnWidth = width
    canvas.drawnTicks = drawn
    for (const device of list) prune(device)
}

/**
 * Presses as dashed lines; frames sent as dots with their type, the labels in
 * two lanes that thin out when crowded (a burst); frames received as rings.
 */
function drawMarks(g, device, x, y, bottom, left, right, label) {
    const isVisible = m => m.at >= left - 50 && m.at <= right + 50
    const visible = device.marks.filter(isVisible)
    const labelFont = `600 10px ${FONT}`
    // lanes over every mark kept, not only the visible ones, so that a label keeps its lane as it scrolls
    const sent = device.marks.filter(m => m.kind === "out")
    const lanes = stackLabels(
        sent.map(m => ({ x: x(m.at) + 6, width: textWidth(g, m.label, labelFont) })),
        FRAME_LABEL_LANES,
        4,
    )
    for (const mark of visible) {
        const px = Math.round(x(mark.at)) + 0.5
        if (mark.kind === "press") {
            g.strokeStyle = "#343a40"
            g.setLineDash([4, 3])
            g.beginPath()
            g.moveTo(px, y)
            g.lineTo(px, bottom)
            g.stroke()
            g.setLineDash([])
            continue
        }
        const colour = css(`--${mark.type}`) || css("--RDY")
        g.fillStyle = colour
        g.strokeStyle = colour
        g.beginPath()
        if (mark.kind === "out") {
            g.arc(px, y + 9, 4, 0, Math.PI * 2)
            g.fill()
        } else {
            g.lineWidth = 1.5
            g.arc(px, y + 33, 3.5, 0, Math.PI * 2)
            g.stroke()
            g.lineWidth = 1
        }
    }
    sent.forEach((mark, i) => {
        if (lanes[i] === null || !isVisible(mark)) return
        g.fillStyle = css(`--${mark.type}`) || css("--RDY")
        label(mark.label, x(mark.at) + 6, y + 9 + 12 * lanes[i], labelFont)
    })
}

connect()
requestAnimationFrame(draw)
