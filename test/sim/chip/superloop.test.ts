// Both builds are checked in files of their own, so that they run in parallel.
import { chipChecks } from "./chipCase.js"

chipChecks("superloop")
