// The page: draws what the server streams (Server-Sent Events) and sends what a person does (POST).
// Plain JavaScript, no framework, no build step, nothing from the web.

const WINDOW_MS = 3000
/** Wakeups arrive in batches every 100 ms: the timeline's right edge stays this far behind, so it has no gap. */
const LAG_MS = 150
const MONITOR_ROWS = 400

const ABOUT = {
    superloop: "Event handlers only raise flags; one <code>while (true)</code> loop checks them every 10 ms and does all the work.",
    async: "Each press starts a task that sends its request, <code>await</code>s the reply or the timeout, and handles the result.",
}

const $ = selector => document.querySelector(selector)
const devices = new Map() // build name → { el, wakeups, marks, stats }
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
    }
}

function panel(build) {
    const el = $("#build-template").content.firstElementChild.cloneNode(true)
    el.dataset.build = build
    el.querySelector("[data-name]").textContent = build
    el.querySelector("[data-about]").innerHTML = ABOUT[build] ?? ""
    const device = { build, el, wakeups: [], marks: [], stats: null, errs: 0 }
    const part = name => el.querySelector(`[data-${name}]`)
    device.monitor = part("monitor")
    device.error = part("error")

    for (const input of el.querySelectorAll("[data-peer]")) {
        input.addEventListener("change", () => {
            const key = input.dataset.peer
            const value = Number(input.value)
            const share = key !== "replyDelayMs"
            post("/api/peer", { build, [key]: share ? value / 100 : value })
                .then(() => showError(device, ""))
                .catch(e => showError(device, e.message))
        })
    }

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
    if (event.kind === "frame") {
        row.className = `row ${event.dir} t-${event.type}`
        row.dataset.type = event.type
        row.dataset.dir = event.dir
        dir.textContent = event.dir === "out" ? "TX" : "RX"
        main.textContent = event.text
        note.textContent = event.note ?? ""
        device.marks.push({ at: event.at, kind: event.dir, type: event.type })
    } else if (event.kind === "press") {
        row.className = "row press-row"
        dir.textContent = "▼"
        main.textContent = "button pressed"
        device.marks.push({ at: event.at, kind: "press" })
    } else {
        row.className = "row peer-note"
        dir.textContent = "✕"
        main.textContent = event.text
    }
    row.append(time, dir, main, note)

    const box = device.monitor
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 40
    box.append(row)
    while (box.childElementCount > MONITOR_ROWS) box.firstElementChild.remove()
    if (atBottom) box.scrollTop = box.scrollHeight
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
    for (const input of device.el.querySelectorAll("[data-peer]")) {
        if (document.activeElement === input) continue // do not overwrite what someone is typing
        const value = peer[input.dataset.peer]
        input.value = input.dataset.peer === "replyDelayMs" ? String(value) : String(Math.round(value * 1000) / 10)
    }
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

function draw() {
    requestAnimationFrame(draw)
    const canvas = $("#timeline")
    const dpr = window.devicePixelRatio || 1
    const width = canvas.clientWidth
    const height = canvas.clientHeight
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr)
        canvas.height = Math.round(height * dpr)
    }
    const g = canvas.getContext("2d")
    g.setTransform(dpr, 0, 0, dpr, 0, 0)
    g.clearRect(0, 0, width, height)

    const right = paused ? pausedAt : serverNow() - LAG_MS
    const left = right - WINDOW_MS
    const plotLeft = 118
    const plotWidth = width - plotLeft - 8
    const x = at => plotLeft + ((at - left) / WINDOW_MS) * plotWidth
    const stripHeight = 62
    const gap = 10
    const top = 4
    const list = [...devices.values()]

    list.forEach((device, i) => {
        const y = top + i * (stripHeight + gap)
        const bottom = y + stripHeight
        const colour = css(`--${device.build}`) || "#333"
        g.fillStyle = "#f6f7f9"
        g.fillRect(plotLeft, y, plotWidth, stripHeight)
        g.strokeStyle = "#e3e6eb"
        g.strokeRect(plotLeft + 0.5, y + 0.5, plotWidth - 1, stripHeight - 1)

        g.fillStyle = colour
        g.font = "600 14px system-ui, sans-serif"
        g.textBaseline = "middle"
        g.fillText(device.build, 4, y + 18)
        if (device.stats) {
            g.fillStyle = "#667085"
            g.font = "11px system-ui, sans-serif"
            g.fillText(`ran code ${device.stats.bytecodeWakeupsPerSec}×/s`, 4, y + 38)
            g.fillText(`woke ${device.stats.wakeupsPerSec}×/s`, 4, y + 52)
        }

        g.save()
        g.beginPath()
        g.rect(plotLeft, y, plotWidth, stripHeight)
        g.clip()
        for (const [at, instructions] of device.wakeups) {
            if (at < left - 5 || at > right + 5) continue
            const px = Math.round(x(at)) + 0.5
            if (instructions > 0) {
                const h = 10 + 20 * Math.min(1, Math.log10(1 + instructions) / 3.5)
                g.fillStyle = colour
                g.fillRect(px - 1, bottom - 3 - h, 2, h)
            } else {
                g.fillStyle = "#adb5bd"
                g.fillRect(px - 0.5, bottom - 9, 1, 6)
            }
        }
        for (const mark of device.marks) {
            if (mark.at < left - 50 || mark.at > right + 50) continue
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
            const type = css(`--${mark.type}`) ? mark.type : "RDY"
            g.fillStyle = css(`--${type}`)
            g.strokeStyle = css(`--${type}`)
            g.beginPath()
            if (mark.kind === "out") {
                // frames sent: a dot and the type, on the top lane
                g.arc(px, y + 9, 4, 0, Math.PI * 2)
                g.fill()
                g.font = "600 10px system-ui, sans-serif"
                g.fillText(mark.type, px + 6, y + 9)
            } else {
                // frames received: a ring, on the lane below
                g.lineWidth = 1.5
                g.arc(px, y + 21, 3.5, 0, Math.PI * 2)
                g.stroke()
                g.lineWidth = 1
            }
        }
        g.restore()
    })

    // the time axis
    const axisY = top + list.length * (stripHeight + gap) + 4
    g.fillStyle = "#667085"
    g.font = "11px system-ui, sans-serif"
    g.textBaseline = "top"
    for (let t = 0; t <= WINDOW_MS; t += 500) {
        const px = plotLeft + (t / WINDOW_MS) * plotWidth
        g.fillRect(Math.round(px), axisY - 4, 1, 4)
        const label = t === WINDOW_MS ? (paused ? "paused" : "now") : `−${((WINDOW_MS - t) / 1000).toFixed(1)} s`
        g.textAlign = t === 0 ? "left" : t === WINDOW_MS ? "right" : "center"
        g.fillText(label, px, axisY)
    }
    g.textAlign = "left"
    for (const device of list) prune(device)
}

connect()
requestAnimationFrame(draw)
