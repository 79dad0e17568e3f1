// jacdac-ts draws its own device ID (and packet tags) from Math.random: a seeded one makes runs repeatable.

/** Replaces Math.random with a seeded generator (mulberry32); returns the function that puts it back. */
export function stubMathRandom(seed = 0x5eed): () => void {
    const original = Math.random
    let state = seed >>> 0
    Math.random = () => {
        state = (state + 0x6d2b79f5) >>> 0
        let t = state
        t = Math.imul(t ^ (t >>> 15), t | 1)
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    return () => {
        Math.random = original
    }
}
