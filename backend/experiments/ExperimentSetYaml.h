#pragma once

#include "common/YamlError.h"
#include "domain/experiments/ExperimentSet.h"

#include <string>
#include <variant>

namespace flywheel::experiments {

/// The experiment set as stored: YAML with one key per field (docs/experiments.md);
/// times in milliseconds since the epoch (0: unset).
std::string experimentSetToYaml(const ExperimentSet &set);
/// The set, or what is wrong with the text: every key experimentSetToYaml writes is
/// required except the optional ones of an experiment, and no other is allowed.
std::variant<ExperimentSet, common::YamlError> experimentSetFromYaml(const std::string &yaml,
                                                                     const std::string &source);

} // namespace flywheel::experiments
