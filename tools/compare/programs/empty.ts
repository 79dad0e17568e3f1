// The baseline of idle work: the same three roles as every build, and no behaviour.
import "../../../src/shared/roles"
