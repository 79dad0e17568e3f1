// How the page writes numbers, times and the builds' summaries.

export const count = value => value.toLocaleString("en-US")

export const ms = value => (value === null ? "–" : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`)

/** A time on the server's clock, in seconds, as the monitor shows it. */
export const seconds = at => (at / 1000).toFixed(3)

const WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

/** A small count in words ("three"), a larger one in digits. */
export const inWords = n => WORDS[n] ?? String(n)

/** Text with `code` in backquotes, as nodes: never parsed as HTML. */
export function withCode(text) {
    const fragment = document.createDocumentFragment()
    text.split("`").forEach((part, i) => {
        if (!part) return
        if (i % 2 === 0) return fragment.append(part)
        const code = document.createElement("code")
        code.textContent = part
        fragment.append(code)
    })
    return fragment
}

/** An element with a class and text. */
export function element(tag, className, text) {
    const made = document.createElement(tag)
    if (className) made.className = className
    if (text !== undefined) made.textContent = text
    return made
}
