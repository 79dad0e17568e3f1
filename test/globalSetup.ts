import { buildAll } from "../tools/build.js"

export default function setup() {
    buildAll()
}
