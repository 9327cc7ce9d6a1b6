#pragma once

#include "common/YamlError.h"
#include "domain/subsidy/SubsidyConfig.h"

#include <string>
#include <variant>

namespace flywheel::subsidy {

/// A subsidy config version as stored: YAML with one key per field
/// (docs/subsidies.md). Amounts in minor units, ratios as plain numbers.
std::string configToYaml(const SubsidyConfig &config);
/// The config, or what is wrong with the text: every field configToYaml writes is
/// required, no other is allowed, and the whole is then validated.
std::variant<SubsidyConfig, common::YamlError> configFromYaml(const std::string &yaml, const std::string &source);

} // namespace flywheel::subsidy
