// The baseline for VM work: the same three roles as both builds, and no behaviour.
import "../../src/shared/roles"
