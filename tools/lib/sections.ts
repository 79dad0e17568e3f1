// The parts of the README and docs/ that commands write: the text between
// `<!-- name:start -->` and `<!-- name:end -->`. Nothing between the markers is typed by hand.
import { readFileSync, writeFileSync } from "node:fs"
import { relative } from "node:path"
import { ROOT } from "../../host/index.js"

export function sectionMarkers(name: string): { start: string; end: string } {
    return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` }
}

/** `text` with the content of section `name` replaced by `content`; throws, naming `where`, if the markers are missing. */
export function replaceSection(text: string, name: string, content: string, where = "the text"): string {
    const { start, end } = sectionMarkers(name)
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`${where} has no ${start} … ${end} section to update`)
    const body = content.replace(/^\n+|\n+$/g, "")
    return `${text.slice(0, from)}${start}\n${body}${body ? "\n" : ""}${end}${text.slice(to + end.length)}`
}

/** The content of section `name` in `text` (without its markers), or undefined. */
export function readSection(text: string, name: string): string | undefined {
    const { start, end } = sectionMarkers(name)
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) return undefined
    return text.slice(from + start.length, to).replace(/^\n+|\n+$/g, "")
}

/** Rewrites section `name` of `file` (a path) with `content`. */
export function writeSection(file: string, name: string, content: string): void {
    const text = readFileSync(file, "utf8")
    writeFileSync(file, replaceSection(text, name, content, relative(ROOT, file)))
}
