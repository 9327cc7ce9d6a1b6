#pragma once

#include "common/YamlError.h"
#include "domain/pricing/PricingRule.h"

#include <string>
#include <variant>

namespace flywheel::pricing {

/// Where and why a pricing file was refused (the error of every YAML codec).
using common::YamlError;

/// Largest pricing file accepted, and most rules in one set.
inline constexpr std::size_t kMaxPricingFileBytes = 1024 * 1024;
inline constexpr std::size_t kMaxRules = 1000;

/// Parses a pricing.yaml document (format: docs/pricing.md) into rules in
/// evaluation order. Unknown keys, missing keys, wrong types, invalid values and
/// duplicate ids are refused with the position and key path of the offending node. `catalog`, when given,
/// must contain every SKU and category the rules name.
std::variant<std::vector<PricingRule>, YamlError> parseRuleSetYaml(const std::string &text, const std::string &file,
                                                                   const Catalog *catalog);

/// The rules as a pricing.yaml document that parseRuleSetYaml reads back to the
/// same rules (times at whole seconds).
std::string emitRuleSetYaml(const std::vector<PricingRule> &rules);

/// "1234.5" -> 123450 minor units; nullopt for anything but a non-negative decimal
/// with at most two decimals.
std::optional<Money> parseMoney(const std::string &text);
/// "15", "12.5" -> basis points (1500, 1250); nullopt unless 0 <= value <= 100 with
/// at most two decimals.
std::optional<int> parsePercent(const std::string &text);
/// "2026-06-01T00:00:00Z" or with a "+08:00" offset.
std::optional<TimePoint> parseTimestamp(const std::string &text);

} // namespace flywheel::pricing
