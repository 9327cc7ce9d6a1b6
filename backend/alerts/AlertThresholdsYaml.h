#pragma once

#include "common/YamlError.h"
#include "domain/alerts/AlertMonitor.h"

#include <string>
#include <variant>

namespace flywheel::alerts {

/// An alert thresholds version as stored: YAML with one mapping per alert, named
/// as the alert, and one key per field:
///
///     inventory_confirmation_slow: {enabled, window_seconds, slow_after_ms, share, min_paid_orders}
///     illegal_transition: {enabled, window_seconds, max_attempts}
///     pricing_reload_failed: {enabled}
///     order_path_p99: {enabled, window_seconds, threshold_ms, min_samples}
///     budget_near_cap: {enabled, share}
///
/// Shares as plain numbers (0.005), never percentages.
std::string thresholdsToYaml(const AlertThresholds &thresholds);
/// The thresholds, or what is wrong with the text (line, column, key path): every
/// key thresholdsToYaml writes is required, no other is allowed, and each value must
/// be within the range validate() enforces.
std::variant<AlertThresholds, common::YamlError> thresholdsFromYaml(const std::string &yaml, const std::string &source);

} // namespace flywheel::alerts
