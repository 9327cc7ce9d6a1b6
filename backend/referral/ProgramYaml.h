#pragma once

#include "domain/referral/Program.h"

#include <string>
#include <variant>

namespace flywheel::referral {

/// A programme version as stored: YAML with one key per field (docs/referral.md).
std::string programToYaml(const Program &program);
/// The programme, or what is wrong with the text.
std::variant<Program, std::string> programFromYaml(const std::string &yaml);

} // namespace flywheel::referral
