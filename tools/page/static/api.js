// What the page asks of the server: a JSON POST to its own origin (the only kind the server takes).

/** POSTs `body` as JSON; resolves with the answer, or rejects with the server's one-line error. */
export async function post(path, body = {}) {
    const res = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
    })
    const answer = await res.json().catch(() => ({ error: `HTTP ${res.status}` }))
    if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`)
    return answer
}
