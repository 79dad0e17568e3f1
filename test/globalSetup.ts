import { buildAll } from "../sim/builds.js"

export default function setup() {
    buildAll()
}
