import { buildAll } from "../host/index.js"

export default function setup() {
    buildAll()
}
