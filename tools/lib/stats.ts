/** The value below which `p` (0..1) of the sorted samples fall, by nearest rank. */
export function percentile(samples: number[], p: number): number {
    if (samples.length === 0) return NaN
    const sorted = [...samples].sort((a, b) => a - b)
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
    return sorted[rank]
}

export const median = (samples: number[]) => percentile(samples, 0.5)

export function mean(samples: number[]): number {
    return samples.reduce((sum, x) => sum + x, 0) / samples.length
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
    const mx = mean(xs)
    const my = mean(ys)
    let num = 0
    let den = 0
    for (let i = 0; i < xs.length; i++) {
        num += (xs[i] - mx) * (ys[i] - my)
        den += (xs[i] - mx) ** 2
    }
    return num / den
}

export function round(x: number, digits = 2): number {
    const f = 10 ** digits
    return Math.round(x * f) / f
}
