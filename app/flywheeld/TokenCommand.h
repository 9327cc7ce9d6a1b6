#pragma once

#include "domain/Clock.h"

namespace flywheel::app {

/// `flywheeld token create|list|revoke ...`: manages the tokens file. `argc`/`argv`
/// start at the word after "token". Returns the exit code: 0, 1 when the file cannot
/// be used or names no such token, 2 for a command-line mistake.
int runTokenCommand(int argc, char **argv, const Clock &clock);

} // namespace flywheel::app
