// jacdac-ts draws ids and tags from Math.random and crypto.getRandomValues: seeded ones make runs repeatable.

/** Replaces Math.random and crypto.getRandomValues with a seeded generator (mulberry32); returns the function that puts them back. */
export function stubMathRandom(seed = 0x5eed): () => void {
    const original = Math.random
    let state = seed >>> 0
    const next = () => {
        state = (state + 0x6d2b79f5) >>> 0
        let t = state
        t = Math.imul(t ^ (t >>> 15), t | 1)
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    Math.random = next
    const { crypto } = globalThis
    Object.defineProperty(crypto, "getRandomValues", {
        configurable: true,
        value: <T extends ArrayBufferView | null>(array: T): T => {
            if (array) {
                const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
                for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256)
            }
            return array
        },
    })
    return () => {
        Math.random = original
        delete (crypto as unknown as Record<string, unknown>).getRandomValues
    }
}
