#pragma once

namespace flywheel::app {

/// `flywheeld audit ...`: argv[0] is "audit". Returns the exit code: 0 when the
/// audit log is intact, 1 when it is not or cannot be read, 2 on misuse.
int runAuditCommand(int argc, char **argv);

} // namespace flywheel::app
