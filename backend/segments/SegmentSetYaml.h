#pragma once

#include "domain/segments/SegmentSet.h"

#include <string>
#include <variant>

namespace flywheel::segments {

/// A segment set as stored in segment_set_versions (and shown in the console's
/// version diff): YAML a person can read. Format in docs/segments.md.
std::string emitSegmentSetYaml(const SegmentSet &set);
/// Reads what emitSegmentSetYaml wrote; the error says where it is wrong.
std::variant<SegmentSet, std::string> parseSegmentSetYaml(const std::string &text);

std::optional<Channel> channelFromName(std::string_view name);

} // namespace flywheel::segments
