// npm run compare -- --quick: the figures that depend on how long or how often it measured are marked as not
// comparable with a full run's; sizes, heap and the burst are measured the same way in both and stay unmarked.
import { describe, expect, test } from "vitest"
import { markNotComparable, notComparableNote, type Row } from "../../../tools/compare/report.js"

describe("compare --quick marks what a full run would measure differently", () => {
    test("sampled figures get †, the others do not", () => {
        const table: Row[] = [
            ["bytecode (.devs bytes)", "7,840", "7,936"],
            ["  own functions / library / strings", "1 / 2 / 3", "1 / 2 / 3"],
            ["own source lines / decision points", "68 / 14", "80 / 13"],
            ["heap live when idle (bytes)", "3,288", "3,408"],
            ["heap per request in flight (bytes)", "0", "218.4"],
            ["idle: instructions/s (empty program: 276)", "28,002", "332.2"],
            ["load: host wakeups/s", "113.8", "112"],
            ["press→REQ, virtual worst / mean (ms)", "10 / 5.5", "0 / 0"],
            ["press→REQ, real median / p99 (ms)", "10.07 / 13.46", "0.63 / 8.04"],
            ["back-to-back RES→ACK, median / p99 (ms)", "37.5 / 43.37", "39.81 / 45.58"],
            ["highest steady rate, nothing lost (req/s)", "50", "50"],
            ["a row added later", "1", "1"],
            ["burst: REQ / BUSY / lost", "4 / 16 / 0 of 20", "4 / 16 / 0 of 20"],
        ]
        expect(markNotComparable(table).map(([label]) => label)).toEqual([
            "bytecode (.devs bytes)",
            "  own functions / library / strings",
            "own source lines / decision points",
            "heap live when idle (bytes)",
            "heap per request in flight (bytes)",
            "idle: instructions/s (empty program: 276) †",
            "load: host wakeups/s †",
            "press→REQ, virtual worst / mean (ms) †",
            "press→REQ, real median / p99 (ms) †",
            "back-to-back RES→ACK, median / p99 (ms) †",
            "highest steady rate, nothing lost (req/s) †",
            "a row added later †",
            "burst: REQ / BUSY / lost",
        ])
        expect(markNotComparable(table).map(([, s, a]) => [s, a])).toEqual(table.map(([, s, a]) => [s, a]))
    })

    test("the note says what the quick run measured less of", () => {
        expect(notComparableNote(["idle and load for 5 s (full: 30 s)", "40 request cycles on virtual time (full: 200)"])).toBe(
            "† not comparable with a full run: this quick run measured less (idle and load for 5 s (full: 30 s); 40 request cycles on virtual time (full: 200)). The other figures are the same as a full run's.",
        )
    })
})
