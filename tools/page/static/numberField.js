// A number a person types, checked in the field against the limits the server gave, and the message that says why not.

/** The number typed, checked against its range; or `problem`, saying what is wrong, in the field's unit. */
export function readNumber(text, { unit, min, max }) {
    const range = `from ${min} to ${max} ${unit}`
    if (text.trim() === "") return { problem: `enter a number ${range}` }
    const value = Number(text)
    if (!Number.isFinite(value)) return { problem: `enter a number ${range}` }
    if (value < min || value > max) return { problem: `${value} ${unit} is out of range: ${range}` }
    return { value }
}

/** Sets an input's range and step from its limits. */
export function applyLimits(input, { min, max, step }) {
    input.min = String(min)
    input.max = String(max)
    input.step = String(step)
}

/** Shows `message` in its element, or hides the element when the message is empty. */
export function showMessage(element, message) {
    element.textContent = message
    element.classList.toggle("shown", !!message)
}
