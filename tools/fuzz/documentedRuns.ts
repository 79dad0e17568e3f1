// Which runs of `npm run fuzz` write the published figures (docs/reliability.md, reports/reliability.json):
// the documented ones only. Any other run prints its figures and writes nothing, so a quick try never
// replaces a long run's figures.
import { isEveryBuild } from "../lib/builds.js"

export const DOCUMENTED_RUN = "npm run fuzz"
export const DOCUMENTED_CAMPAIGN_MINUTES = 30
export const DOCUMENTED_CAMPAIGN = `npm run fuzz -- --minutes ${DOCUMENTED_CAMPAIGN_MINUTES}`

export interface FuzzRunShape {
    builds: readonly string[]
    /** `--runs` and `--floods` as given (undefined: the defaults). */
    runs?: number
    floods?: number
    minutes?: number
}

/** Every build at the default settings (any seed), or such a campaign of at least DOCUMENTED_CAMPAIGN_MINUTES. */
export function publishesFigures(run: FuzzRunShape): boolean {
    const documented = isEveryBuild(run.builds) && run.runs === undefined && run.floods === undefined
    return documented && (run.minutes === undefined || run.minutes >= DOCUMENTED_CAMPAIGN_MINUTES)
}
