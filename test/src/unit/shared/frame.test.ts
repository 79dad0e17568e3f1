import { describe, expect, test } from "@devicescript/test"
import { ackFrame, checksum, encodeFrame, errFrame, parseFrame, type Reply, reqFrame, seqErrFrame } from "../../../../src/shared/frame"

// Expected values are written here, or computed by this file's own XOR: never by the code under test.

function text(buf: Buffer) {
    return buf.toString()
}

/** Parses a frame written as text, without its `$` and `\n`. */
function parse(frame: string) {
    return parseFrame(Buffer.from(frame))
}

const HEX = "0123456789ABCDEF"

/** `body*HH` with the right checksum, as the receive buffer hands a frame on (without `$` and `\r\n`). */
function framed(body: string) {
    const bytes = Buffer.from(body)
    let sum = 0
    for (let i = 0; i < bytes.length; ++i) sum = sum ^ bytes[i]
    return Buffer.from(`${body}*${HEX[sum >> 4]}${HEX[sum & 15]}`)
}

function reply(frame: string): Reply {
    const result = parse(frame)
    if (typeof result === "string") throw new Error(`expected a reply, got ${result}`)
    return result
}

describe("checksum", () => {
    test("is the XOR of the body's bytes", () => {
        expect(checksum(Buffer.from("REQ,0"))).toBe(0x52 ^ 0x45 ^ 0x51 ^ 0x2c ^ 0x30)
        expect(checksum(Buffer.from(""))).toBe(0)
    })
})

describe("encodeFrame", () => {
    test("wraps a body with upper-case hex and CRLF", () => {
        expect(text(encodeFrame(Buffer.from("GPGLL,5300.97914,N,00259.98174,E,125926,A")))).toBe(
            "$GPGLL,5300.97914,N,00259.98174,E,125926,A*28\r\n"
        )
        expect(text(reqFrame(0))).toBe("$REQ,0*5A\r\n")
        expect(text(errFrame("BUSY"))).toBe("$ERR,BUSY*74\r\n")
        expect(text(seqErrFrame(17))).toBe("$ERR,SEQ,17*04\r\n")
    })
    test("echoes an ACK payload byte for byte, commas included", () => {
        expect(text(ackFrame(255, Buffer.from("a,b,,c")))).toBe("$ACK,255,a,b,,c*37\r\n")
        expect(text(ackFrame(3, Buffer.from("")))).toBe("$ACK,3,*7A\r\n")
    })
})

describe("parseFrame", () => {
    test("accepts a RES with either case of hex and an optional CR", () => {
        const a = reply("RES,7,hello*11")
        expect(a.seq).toBe(7)
        expect(text(a.payload)).toBe("hello")
        expect(reply("RES,7,hello*11\r").seq).toBe(7)
        expect(reply("RES,007,hello*11").seq).toBe(7)
        expect(text(reply("RES,1,x,y*58").payload)).toBe("x,y")
        expect(reply("RES,255,*76").payload.length).toBe(0)
        expect(reply("RES,0,ok*70").seq).toBe(0)
        expect(text(reply("RES,2,p78*09").payload)).toBe("p78")
    })
    test("accepts every hex letter in either case (the checksum of RES,0,lower is 17: no letter)", () => {
        const cases = ["RES,3,mixed*0A", "RES,2,mixed*0B", "RES,0,x*0C", "RES,0,y*0D", "RES,0,z*0E", "RES,1,z*0F"]
        for (const upper of cases) {
            const lower = upper.slice(0, upper.length - 1) + upper[upper.length - 1].toLowerCase()
            for (const frame of [upper, lower, `${lower}\r`]) {
                const result = parse(frame)
                expect(typeof result === "string" ? `${frame}: ${result}` : frame).toBe(frame)
            }
        }
        expect(text(reply("RES,1,z*0f").payload)).toBe("z")
    })
    test("FMT when the star or the body is missing, or the tail is not two hex digits", () => {
        expect(parse("RES,1,x")).toBe("FMT")
        expect(parse("*00")).toBe("FMT")
        expect(parse("RES,1,x*1")).toBe("FMT")
        expect(parse("RES,1,x*1G")).toBe("FMT")
        expect(parse("RES,1,x*1F0")).toBe("FMT")
        expect(parse("RES,1,x*1F\r\r")).toBe("FMT")
        expect(parse("RES,1,x*1F*1F")).toBe("FMT")
        expect(parse("RES,1,x*0D\n")).toBe("FMT")
        expect(parse("*41")).toBe("FMT") // an empty body, whatever its checksum
        expect(parse("*00")).toBe("FMT")
    })
    test("FMT for a byte outside 0x20-0x7E in the body, before the checksum is checked", () => {
        const frame = Buffer.from("RES,1,x*00")
        frame[6] = 0x7f
        expect(parseFrame(frame)).toBe("FMT")
    })
    test("CHK when the checksum does not match, before the fields are checked", () => {
        expect(parse("RES,7,hello*12")).toBe("CHK") // the right one is 11: the low digit differs
        expect(parse("RES,7,hello*21")).toBe("CHK") // only the high digit differs
        expect(parse("RES,7,hello*71")).toBe("CHK")
        expect(parse("RES,1,z*1f")).toBe("CHK") // 0F, in lower case, high digit wrong
        expect(parse("RES,1,z*0e")).toBe("CHK")
        expect(parse("NOPE*00")).toBe("CHK")
    })
    test("FMT for a wrong type, a missing field, a bad seq or a long payload", () => {
        const cases = ["REQ,1,x", "RES", "RES,1", "RES,,x", "RES,1a,x", "RES,256,x", "RES,0001,x", "RES,-1,x", "RESX,1,x", "res,1,x", "RES,12", "RES,:,x", "RES,1:,x", "RES,/,x", "XRES,1,x", "RE,1,x"]
        for (const body of cases) {
            expect(parseFrame(framed(body))).toBe("FMT")
        }
    })
    test("a 68-byte payload is accepted, a 69-byte one is FMT", () => {
        let payload = ""
        for (let i = 0; i < 68; ++i) payload += "p"
        const accepted = parseFrame(framed(`RES,1,${payload}`)) as Reply
        expect(accepted.payload.length).toBe(68)
        expect(parseFrame(framed(`RES,1,${payload}q`))).toBe("FMT")
    })
})
