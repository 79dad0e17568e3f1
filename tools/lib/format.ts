// How every figure is written, in tables and in charts alike, so that the same value reads the same everywhere.

/** A number with thousands separated and at most `digits` decimals (trailing zeros dropped). */
export function number(x: number, digits = 1): string {
    if (!Number.isFinite(x)) return "—"
    return x.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: digits })
}

/** A figure in a chart's labels: whole from 100, 1 decimal from 1, else 2 (a chart has room for no more). */
export function figure(x: number): string {
    const size = Math.abs(x)
    return number(x, size >= 100 ? 0 : size >= 1 ? 1 : 2)
}

/** Milliseconds, from milliseconds: 1 decimal under 100 ms, none above. */
export function ms(x: number): string {
    return `${number(x, Math.abs(x) < 100 ? 1 : 0)} ms`
}

/** Milliseconds, from microseconds. */
export function msOfUs(us: number): string {
    return ms(us / 1000)
}

/** A share (0..1) as a percentage with 1 decimal. */
export function percent(share: number): string {
    return Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : "—"
}

/** `value`, and the range over the seeds in brackets when it is not one value. */
export function withRange(value: string, min: string, max: string): string {
    return min === max ? value : `${value} (${min}–${max})`
}
