// jacdac-ts draws ids and tags from Math.random and crypto.getRandomValues: seeded ones make runs repeatable.
import { seededRandom } from "../../host/random.js"

/** Replaces Math.random and crypto.getRandomValues with a seeded generator; returns the function that puts them back. */
export function stubMathRandom(seed = 0x5eed): () => void {
    const original = Math.random
    const next = seededRandom(seed)
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
