#pragma once

#include "common/YamlError.h"
#include "domain/referral/Program.h"

#include <string>
#include <variant>

namespace flywheel::referral {

/// A programme version as stored: YAML with one key per field (docs/referral.md).
std::string programToYaml(const Program &program);
/// The programme, or what is wrong with the text: every field programToYaml writes is
/// required, no other is allowed, and each is an unquoted whole number in its range.
/// `source` (e.g. "referral programme version 3") names the text in the error.
std::variant<Program, common::YamlError> programFromYaml(const std::string &yaml, const std::string &source);

} // namespace flywheel::referral
