// Types of labels.js (plain JavaScript, so that the page loads it as it is).
export function roundSteps(span: number, maxIntervals?: number): Generator<number>
export function axisTicks(
    max: number,
    lengthPx: number,
    widthOf: (value: number) => number,
    gap?: number,
): { step: number; end: number; values: number[] }
export function windowTicks(windowMs: number, lengthPx: number, widthOf: (value: number) => number, steps: number[], gap?: number): number[]
export function stackLabels(labels: readonly { x: number; width: number }[], lanes: number, gap?: number): (number | null)[]
