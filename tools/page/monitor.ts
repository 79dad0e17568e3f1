// A build's serial monitor: its last lines, numbered, with the same frame sent again and again folded into one line.
import type { BuildName } from "../../host/index.js"
import type { DeviceEvent, MonitorEvent, NewMonitorEvent } from "./events.js"

const KEEP = 400

type FrameLine = Extract<MonitorEvent, { kind: "frame" }>

export class Monitor {
    private readonly kept: MonitorEvent[] = []
    private nextId = 0
    /** The last line, if it is a sent frame whose repeats have not been told yet. */
    private untoldRepeat?: FrameLine

    constructor(
        private readonly build: BuildName,
        private readonly clock: { readonly now: number },
        private readonly emit: (event: DeviceEvent) => void,
    ) {}

    /** A new line: kept, numbered and emitted (after the repeats of the line before, if untold). */
    add(line: NewMonitorEvent) {
        this.tellRepeats()
        const event = { ...line, id: this.nextId++ } as MonitorEvent
        this.kept.push(event)
        if (this.kept.length > KEEP) this.kept.splice(0, this.kept.length - KEEP)
        this.emit(event)
    }

    /**
     * A frame the build sent: a new line, or, if it is the line before again
     * (a flood's answers), one more of it, told at the next `tellRepeats`.
     * Returns whether it made a new line.
     */
    addSent(line: Omit<FrameLine, "id">): boolean {
        const last = this.kept.at(-1)
        if (!line.note && last?.kind === "frame" && last.dir === "out" && last.text === line.text && !last.note) {
            last.repeat = (last.repeat ?? 1) + 1
            last.lastAt = line.at
            this.untoldRepeat = last
            return false
        }
        this.add(line)
        return true
    }

    tellRepeats() {
        const line = this.untoldRepeat
        if (!line) return
        this.untoldRepeat = undefined
        this.emit({ kind: "repeat", build: this.build, at: this.clock.now, id: line.id, repeat: line.repeat ?? 1, lastAt: line.lastAt ?? line.at })
    }

    lines(): MonitorEvent[] {
        return [...this.kept]
    }

    clear() {
        this.kept.length = 0
        this.untoldRepeat = undefined
    }
}
