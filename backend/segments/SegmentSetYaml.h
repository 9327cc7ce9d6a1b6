#pragma once

#include "common/YamlError.h"
#include "domain/segments/SegmentSet.h"

#include <string>
#include <variant>

namespace flywheel::segments {

/// A segment set as stored in segment_set_versions (and shown in the console's
/// version diff): YAML a person can read. Format in docs/segments.md.
std::string emitSegmentSetYaml(const SegmentSet &set);
/// Reads what emitSegmentSetYaml wrote, strictly (every key it writes is required, no
/// other key is allowed, numbers and booleans must be unquoted); the error gives the
/// line, column and key path, with `source` (e.g. "segment set version 4") as the file.
std::variant<SegmentSet, common::YamlError> parseSegmentSetYaml(const std::string &text, const std::string &source);

std::optional<Channel> channelFromName(std::string_view name);

} // namespace flywheel::segments
