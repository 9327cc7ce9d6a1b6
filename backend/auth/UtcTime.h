#pragma once

#include "domain/Clock.h"

#include <optional>
#include <string>
#include <string_view>

namespace flywheel::auth {

/// "2026-12-07T09:30:00Z": how the tokens file and `flywheeld token list` write times.
std::string formatUtc(TimePoint time);
/// Exactly that form (whole seconds, UTC); nothing for anything else.
std::optional<TimePoint> parseUtc(std::string_view text);

} // namespace flywheel::auth
