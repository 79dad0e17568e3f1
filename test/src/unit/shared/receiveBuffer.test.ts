import { describe, expect, test } from "@devicescript/test"
import { type Reply } from "../../../../src/shared/frame"
import { type Inbound, ReceiveBuffer } from "../../../../src/shared/receiveBuffer"

const HEX = "0123456789ABCDEF"

/** A `RES` frame with its checksum computed here, not by the code under test. */
function res(seq: number, payload: string) {
    const body = Buffer.from(`RES,${seq},${payload}`)
    let sum = 0
    for (let i = 0; i < body.length; ++i) sum = sum ^ body[i]
    return `$${body.toString()}*${HEX[sum >> 4]}${HEX[sum & 15]}\r\n`
}

function describeInbound(inbound: Inbound) {
    if (typeof inbound === "string") return inbound
    const reply = inbound as Reply
    return `${reply.seq}:${reply.payload.toString()}`
}

/** Feeds `input` in chunks of `chunkSize` bytes and lists every result, in order. */
function frameAll(input: string, chunkSize: number) {
    const buffer = new ReceiveBuffer()
    const bytes = Buffer.from(input)
    const results: string[] = []
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
        buffer.append(bytes.slice(offset, offset + chunkSize))
        for (let inbound = buffer.next(); inbound !== undefined; inbound = buffer.next())
            results.push(describeInbound(inbound))
    }
    return results.join(" ")
}

function repeat(s: string, n: number) {
    let out = ""
    for (let i = 0; i < n; ++i) out += s
    return out
}

describe("ReceiveBuffer", () => {
    test("frames replies split anywhere or packed together", () => {
        const input = `${res(1, "a")}${res(2, "b,c")}${res(3, "")}`
        for (const size of [1, 2, 3, 7, 100]) expect(frameAll(input, size)).toBe("1:a 2:b,c 3:")
    })
    test("discards bytes before a $ without a result", () => {
        expect(frameAll(`noise\r\n*12${res(4, "x")}`, 5)).toBe("4:x")
    })
    test("a $ before the LF drops the frame as FMT and starts a new one", () => {
        for (const size of [1, 4, 100]) expect(frameAll(`$RES,1,a${res(5, "y")}`, size)).toBe("FMT 5:y")
    })
    test("the CR before the LF is optional", () => {
        const frame = res(6, "z")
        expect(frameAll(frame.slice(0, frame.length - 2) + "\n", 3)).toBe("6:z")
    })
    test("an 82-byte frame is accepted", () => {
        const frame = res(255, repeat("p", 68))
        expect(frame.length).toBe(82)
        expect(frameAll(frame, 9)).toBe(`255:${repeat("p", 68)}`)
    })
    test("the 83rd byte is LEN, whatever it is, and input up to the next $ is discarded", () => {
        const body = "$" + repeat("q", 81)
        expect(frameAll(`${body}q\r\n${res(8, "k")}`, 10)).toBe("LEN 8:k")
        expect(frameAll(`${body}\n${res(8, "k")}`, 10)).toBe("LEN 8:k")
        // an 83rd `$` is discarded too: it does not start a frame
        expect(frameAll(`${body}$RES,1,a*00\r\n${res(8, "k")}`, 10)).toBe("LEN 8:k")
    })
    test("yields nothing until a frame is complete", () => {
        const buffer = new ReceiveBuffer()
        buffer.append(Buffer.from("$RES,1,"))
        expect(buffer.next()).toBe(undefined)
        buffer.append(Buffer.from("a*14\r\n"))
        expect(describeInbound(buffer.next())).toBe("1:a")
        expect(buffer.next()).toBe(undefined)
    })
    test("a reply keeps its payload when the buffer frames the next one", () => {
        const buffer = new ReceiveBuffer()
        buffer.append(Buffer.from(`${res(1, "first")}${res(2, "other")}`))
        const first = buffer.next() as Reply
        buffer.next()
        expect(first.payload.toString()).toBe("first")
    })

})

/** Appends each chunk in turn, then frames everything stored, listing the results. */
function storeThenFrame(chunks: Buffer[]) {
    const buffer = new ReceiveBuffer()
    for (const chunk of chunks) buffer.append(chunk)
    const results: string[] = []
    for (let inbound = buffer.next(); inbound !== undefined; inbound = buffer.next()) results.push(describeInbound(inbound))
    return results.join(" ")
}

describe("ReceiveBuffer, bounded (rule 10)", () => {
    // mostly bytes outside a frame, made and framed natively: the VM stops a test that runs too long
    function noise(n: number) {
        const bytes = Buffer.alloc(n)
        bytes.fillAt(0, n, 0x7e)
        return bytes
    }
    const text = (s: string) => Buffer.from(s)

    test("holds 512 unframed bytes; a chunk that would exceed them is discarded whole, as one OVF", () => {
        // 250 + 262 = 512 kept; the next 13 would make 525
        const results = storeThenFrame([text(res(1, "a")).concat(noise(237)), noise(249).concat(text(res(2, "b"))), text(res(3, "c"))])
        expect(results).toBe("1:a 2:b OVF,13")
    })
    test("a run of discarded chunks is one OVF; a kept chunk starts a new run", () => {
        const buffer = new ReceiveBuffer()
        for (let seq = 1; seq <= 5; seq++) buffer.append(text(res(seq, "x")).concat(noise(221)))
        expect(buffer.unframedBytes()).toBe(468)
        const results = [describeInbound(buffer.next()), describeInbound(buffer.next())]
        // what is left of the second chunk: its noise
        expect(buffer.unframedBytes()).toBe(221)
        buffer.append(text(res(6, "x")).concat(noise(221)))
        buffer.append(text(res(7, "x")).concat(noise(221)))
        for (let inbound = buffer.next(); inbound !== undefined; inbound = buffer.next()) results.push(describeInbound(inbound))
        expect(results.join(" ")).toBe("1:x 2:x OVF,702 6:x OVF,234")
        expect(buffer.unframedBytes()).toBe(0)
    })
    test("the OVF comes after the answers to the bytes before it and drops the frame in progress", () => {
        // the kept chunk ends inside a reply; the chunk after the discard holds the rest of it
        const results = storeThenFrame([text(res(1, "a") + "$RES,2,b"), noise(500), text("*14\r\n" + res(3, "c"))])
        expect(results).toBe("1:a OVF,500 3:c")
    })
    test("framing goes on outside a frame after an OVF: bytes up to the next $ are discarded", () => {
        const results = storeThenFrame([text("$RES,4,"), noise(506), text(`d*14\r\n${res(4, "e")}`)])
        expect(results).toBe("OVF,506 4:e")
    })
    test("counts a stored chunk as unframed until it is framed", () => {
        const buffer = new ReceiveBuffer()
        buffer.append(Buffer.from(`${res(5, "f")}${res(6, "g")}`))
        expect(buffer.unframedBytes()).toBe(26)
        buffer.next()
        expect(buffer.unframedBytes()).toBe(13)
        buffer.next()
        expect(buffer.next()).toBe(undefined)
        expect(buffer.unframedBytes()).toBe(0)
    })
    test("counts the items stored and not taken: kept chunks, and each run of discarded ones as one", () => {
        const buffer = new ReceiveBuffer()
        expect(buffer.storedItems()).toBe(0)
        buffer.append(noise(300))
        buffer.append(noise(200))
        expect(buffer.storedItems()).toBe(2)
        buffer.append(noise(20))
        buffer.append(noise(30))
        // 500 kept; 20 and 30 do not fit and are one run
        expect(buffer.storedItems()).toBe(3)
        buffer.append(Buffer.from("$"))
        expect(buffer.storedItems()).toBe(4)
        // the kept noise gives nothing, then the run its OVF
        expect(describeInbound(buffer.next())).toBe("OVF,50")
        expect(buffer.storedItems()).toBe(1)
        expect(buffer.next()).toBe(undefined)
        expect(buffer.storedItems()).toBe(0)
    })
})
