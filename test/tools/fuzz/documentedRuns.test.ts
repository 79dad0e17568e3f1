// Only the documented fuzz runs write the published figures; a quick or partial run leaves the README and reports/ alone.
import { describe, expect, test } from "vitest"
import { BUILD_NAMES } from "../../../host/index.js"
import { publishesFigures } from "../../../tools/fuzz/documentedRuns.js"

describe("which fuzz runs write the published figures", () => {
    test("the documented run: every build at the default settings, whatever the seed", () => {
        expect(publishesFigures({ builds: BUILD_NAMES })).toBe(true)
    })
    test("the documented campaign, of 30 minutes or more", () => {
        expect(publishesFigures({ builds: BUILD_NAMES, minutes: 30 })).toBe(true)
        expect(publishesFigures({ builds: BUILD_NAMES, minutes: 45 })).toBe(true)
    })
    test("not a run with fewer or more inputs or floods, of one build, or a short campaign", () => {
        expect(publishesFigures({ builds: BUILD_NAMES, runs: 20 })).toBe(false)
        expect(publishesFigures({ builds: BUILD_NAMES, floods: 5 })).toBe(false)
        expect(publishesFigures({ builds: BUILD_NAMES.slice(0, 1) })).toBe(false)
        expect(publishesFigures({ builds: BUILD_NAMES, minutes: 5 })).toBe(false)
    })
})
