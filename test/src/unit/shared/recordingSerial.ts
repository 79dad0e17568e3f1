import * as ds from "@devicescript/core"

/** Stands in for the serial role: records each send, which takes 5 ms. */
export class RecordingSerial {
    sends: string[] = []
    async send(data: Buffer) {
        this.sends.push(data.toString())
        await ds.sleep(5)
    }
}

/** A frame-sized buffer of `length` bytes, `fill` repeated. */
export function frameOf(length: number, fill: string) {
    let body = ""
    while (body.length < length) body += fill
    return Buffer.from(body)
}
