#pragma once

#include "common/YamlError.h"
#include "domain/payments/ChannelConfig.h"
#include "versioning/VersionedDocument.h"

#include <string>
#include <variant>

namespace flywheel::payments {

/// A payment channel config version as stored (docs/payments.md): YAML with the
/// proto's field names. success_window_minutes, query_after_seconds and channels
/// are required; per channel id, provider, enabled, priority, fee_bp, currencies and
/// endpoint are required, the other fields optional (their defaults), and text
/// fields are written only when set. credentials maps a credential's name to its
/// file path. Unknown keys are refused.
std::string channelConfigToYaml(const ChannelConfig &config);
/// The config, or what is wrong with the text (line, column and key path); the whole
/// is then validated by validateChannelConfig, the error pointing at the channel.
std::variant<ChannelConfig, common::YamlError> channelConfigFromYaml(const std::string &yaml,
                                                                     const std::string &source);
/// parse (INVALID_ARGUMENT "cannot read <where>:<line>:<column>: ..."), validate
/// (validateChannelConfig) and emit, for the versioned document (area "payments").
versioning::Codec<ChannelConfig> channelConfigCodec();

} // namespace flywheel::payments
