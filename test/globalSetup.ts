import { buildAll } from "../sim/index.js"

export default function setup() {
    buildAll()
}
