// What the server streams to the page (Server-Sent Events): `at` is milliseconds on the server's clock.
import type { BuildName } from "../../host/index.js"
import type { FloodStatus, FLOOD_SECONDS } from "./flood.js"
import type { PeerLimit, PeerSettings } from "./peer.js"
import type { Stats } from "./stats.js"
import type { Wakeup } from "./wakeups.js"

/** What the page shows of a build, as it happens. */
export type DeviceEvent =
    | {
          kind: "frame"
          build: BuildName
          at: number
          /** The monitor line's number (a `repeat` event refers to it). */
          id: number
          dir: "out" | "in"
          text: string
          type: string
          note?: string
          /** How many times in a row the build sent this same frame (1 when absent), and when it last did. */
          repeat?: number
          lastAt?: number
      }
    | { kind: "note"; build: BuildName; at: number; id: number; text: string; tone?: "flood" }
    | { kind: "press"; build: BuildName; at: number; id: number }
    | { kind: "repeat"; build: BuildName; at: number; id: number; repeat: number; lastAt: number }
    | { kind: "flood"; build: BuildName; at: number; flood: FloodStatus }
    | { kind: "led"; build: BuildName; at: number; on: boolean }
    | { kind: "wakeups"; build: BuildName; at: number; list: Wakeup[] }
    | { kind: "stats"; build: BuildName; at: number; stats: Stats }
    | { kind: "peer"; build: BuildName; at: number; peer: PeerSettings }

/** The monitor's lines: frames both ways, presses and the peer's notes. */
export type MonitorEvent = Extract<DeviceEvent, { kind: "frame" | "note" | "press" }>
/** A monitor line as a device makes it (the monitor numbers each line). */
export type NewMonitorEvent = DistributiveOmit<MonitorEvent, "id">
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export interface DeviceSnapshot {
    build: BuildName
    peer: PeerSettings
    ledOn: boolean
    stats: Stats
    monitor: MonitorEvent[]
    wakeups: Wakeup[]
    flood: FloodStatus | null
}

/** A build as the page introduces it (from host/builds.ts). */
export interface BuildInfo {
    name: BuildName
    style: string
    /** One sentence; `code` in backquotes. */
    summary: string
    color: string
}

/** What a person may type on the page, checked there and again here. */
export interface PageLimits {
    peer: Record<keyof PeerSettings, PeerLimit>
    flood: {
        seconds: typeof FLOOD_SECONDS
        /** What the flood sends: a chunk of this many bytes every `everyMs`. */
        chunkBytes: number
        everyMs: number
    }
    /** The longest line a person may send by hand. */
    handBytes: number
}

/** What the page gets first on connecting, and again after the server restarts or the counts are cleared. */
export interface Hello {
    kind: "hello"
    at: number
    builds: BuildInfo[]
    limits: PageLimits
    /** Empty while the builds are starting. */
    devices: DeviceSnapshot[]
}

/** How many pages (tabs) watch the server now: they share its builds, counts and monitors. */
export interface ViewersEvent {
    kind: "viewers"
    at: number
    count: number
}

export type PageEvent = DeviceEvent | Hello | ViewersEvent
