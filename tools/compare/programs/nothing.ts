// The runtime alone: a program that does nothing, so that what the runtime does idle is measured without any role.
export {}
