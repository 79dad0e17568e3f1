// A build's simulated serial peer: its settings, as a person sets them on the page, and its automatic replies.
import { frame, seededRandom } from "../../host/index.js"
import { wrongChecksum } from "./lines.js"

/** How the simulated serial peer answers each `REQ`. */
export interface PeerSettings {
    /** Milliseconds from the `REQ` to the peer's `RES`. */
    replyDelayMs: number
    /** Share of requests the peer never answers (0–1): each of them ends in a `TMO`. */
    dropShare: number
    /** Share of replies sent with a wrong checksum (0–1): `ERR,CHK`, then a `TMO`. */
    corruptShare: number
}

export const DEFAULT_PEER: PeerSettings = { replyDelayMs: 150, dropShare: 0, corruptShare: 0 }

/** A number a person types on the page: its name there, its unit, its range, and its field's step. */
export interface NumberLimit {
    name: string
    unit: string
    min: number
    max: number
    step: number
}

/** A peer setting as the page shows it: shares in %, that is `scale` times the setting. */
export interface PeerLimit extends NumberLimit {
    scale: number
}

/** Each peer setting's limits, here and on the page (which gets them from the server). */
export const PEER_LIMITS: Record<keyof PeerSettings, PeerLimit> = {
    replyDelayMs: { name: "reply delay", unit: "ms", min: 0, max: 5000, step: 10, scale: 1 },
    dropShare: { name: "dropped", unit: "%", min: 0, max: 100, step: 10, scale: 100 },
    corruptShare: { name: "corrupted", unit: "%", min: 0, max: 100, step: 10, scale: 100 },
}

/**
 * Checks peer settings sent by the page (shares from 0 to 1); returns the merged
 * settings, or throws a one-line error in the page's terms (its field names, ms and %).
 */
export function checkPeerSettings(current: PeerSettings, change: Record<string, unknown>): PeerSettings {
    const next = { ...current }
    for (const [key, value] of Object.entries(change)) {
        if (key === "build") continue
        if (!(key in PEER_LIMITS)) throw new Error(`no peer setting ${key}: one of ${Object.keys(PEER_LIMITS).join(", ")}`)
        const { name, unit, min, max, scale } = PEER_LIMITS[key as keyof PeerSettings]
        const shown = typeof value === "number" ? Math.round(value * scale * 1e4) / 1e4 : value
        if (typeof shown !== "number" || !Number.isFinite(shown)) throw new Error(`${name} must be a number of ${unit}`)
        if (shown < min || shown > max) throw new Error(`${name} must be from ${min} to ${max} ${unit}, not ${shown} ${unit}`)
        next[key as keyof PeerSettings] = value as number
    }
    return next
}

/** What the peer does with a `REQ`: nothing, or a reply after its delay (with a wrong checksum if corrupted). */
export type PeerReply = { dropped: true } | { dropped: false; line: string; corrupted: boolean; afterMs: number }

export class AutoPeer {
    settings: PeerSettings = { ...DEFAULT_PEER }
    private readonly random: () => number

    constructor(seed: number) {
        this.random = seededRandom(seed)
    }

    /** Takes a change from the page, checked; returns the settings now in force. */
    set(change: Record<string, unknown>): PeerSettings {
        this.settings = checkPeerSettings(this.settings, change)
        return { ...this.settings }
    }

    replyTo(seq: string): PeerReply {
        // both draws every time, so that one setting does not shift the other's sequence
        const dropped = this.random() < this.settings.dropShare
        const corrupted = this.random() < this.settings.corruptShare
        if (dropped) return { dropped }
        const body = `RES,${seq},ok${seq}`
        const line = corrupted ? frame(body, wrongChecksum(body)) : frame(body)
        return { dropped, line, corrupted, afterMs: this.settings.replyDelayMs }
    }
}
