#include "alerts/AlertThresholdsYaml.h"

#include "common/YamlReader.h"

#include <charconv>
#include <cmath>
#include <map>

namespace flywheel::alerts {

namespace {

/// The shortest text that reads back as the same double.
std::string shortest(double value)
{
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

double number(const common::YamlValue &value)
{
    const std::string text = value.plainText("a number like 0.5");
    double parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(parsed))
        value.refuse("must be a number like 0.5, got \"" + text + "\"");
    return parsed;
}

/// Reads the fields of one alert's mapping and remembers where each was, so that
/// validate()'s refusal points at the value it names.
class Fields {
public:
    using Places = std::map<std::string, common::YamlValue>;

    Fields(const common::YamlMap &root, const char *alert, std::initializer_list<const char *> keys, Places &places)
        : m_map(root.required(alert).map(keys)), m_places(places)
    {}

    bool boolean(const char *key) { return at(key).boolean(); }
    std::int32_t whole(const char *key, WholeRange range)
    {
        return static_cast<std::int32_t>(at(key).integer(range.min, range.max));
    }
    double share(const char *key) { return number(at(key)); }

private:
    common::YamlValue at(const char *key)
    {
        const common::YamlValue value = m_map.required(key);
        m_places.insert_or_assign(value.path(), value);
        return value;
    }

    common::YamlMap m_map;
    Places &m_places;
};

} // namespace

std::string thresholdsToYaml(const AlertThresholds &t)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    const auto &inv = t.inventoryConfirmationSlow;
    out << YAML::Key << "inventory_confirmation_slow" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << inv.enabled;
    out << YAML::Key << "window_seconds" << YAML::Value << inv.windowSeconds;
    out << YAML::Key << "slow_after_ms" << YAML::Value << inv.slowAfterMs;
    out << YAML::Key << "share" << YAML::Value << shortest(inv.share);
    out << YAML::Key << "min_paid_orders" << YAML::Value << inv.minPaidOrders;
    out << YAML::EndMap;
    out << YAML::Key << "illegal_transition" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << t.illegalTransition.enabled;
    out << YAML::Key << "window_seconds" << YAML::Value << t.illegalTransition.windowSeconds;
    out << YAML::Key << "max_attempts" << YAML::Value << t.illegalTransition.maxAttempts;
    out << YAML::EndMap;
    out << YAML::Key << "pricing_reload_failed" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << t.pricingReloadFailed.enabled;
    out << YAML::EndMap;
    out << YAML::Key << "order_path_p99" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << t.orderPathP99.enabled;
    out << YAML::Key << "window_seconds" << YAML::Value << t.orderPathP99.windowSeconds;
    out << YAML::Key << "threshold_ms" << YAML::Value << t.orderPathP99.thresholdMs;
    out << YAML::Key << "min_samples" << YAML::Value << t.orderPathP99.minSamples;
    out << YAML::EndMap;
    out << YAML::Key << "budget_near_cap" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << t.budgetNearCap.enabled;
    out << YAML::Key << "share" << YAML::Value << shortest(t.budgetNearCap.share);
    out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::variant<AlertThresholds, common::YamlError> thresholdsFromYaml(const std::string &yaml, const std::string &source)
{
    return common::readYaml<AlertThresholds>(yaml, source, [](const common::YamlValue &root) {
        Fields::Places places;
        const common::YamlMap f = root.map({"inventory_confirmation_slow", "illegal_transition",
                                            "pricing_reload_failed", "order_path_p99", "budget_near_cap"});
        AlertThresholds t;
        Fields inv(f, "inventory_confirmation_slow",
                   {"enabled", "window_seconds", "slow_after_ms", "share", "min_paid_orders"}, places);
        t.inventoryConfirmationSlow.enabled = inv.boolean("enabled");
        t.inventoryConfirmationSlow.windowSeconds = inv.whole("window_seconds", kWindowSecondsRange);
        t.inventoryConfirmationSlow.slowAfterMs = inv.whole("slow_after_ms", kSlowAfterMsRange);
        t.inventoryConfirmationSlow.share = inv.share("share");
        t.inventoryConfirmationSlow.minPaidOrders = inv.whole("min_paid_orders", kCountRange);
        Fields ill(f, "illegal_transition", {"enabled", "window_seconds", "max_attempts"}, places);
        t.illegalTransition.enabled = ill.boolean("enabled");
        t.illegalTransition.windowSeconds = ill.whole("window_seconds", kWindowSecondsRange);
        t.illegalTransition.maxAttempts = ill.whole("max_attempts", kCountRange);
        Fields pricing(f, "pricing_reload_failed", {"enabled"}, places);
        t.pricingReloadFailed.enabled = pricing.boolean("enabled");
        Fields p99(f, "order_path_p99", {"enabled", "window_seconds", "threshold_ms", "min_samples"}, places);
        t.orderPathP99.enabled = p99.boolean("enabled");
        t.orderPathP99.windowSeconds = p99.whole("window_seconds", kP99WindowSecondsRange);
        t.orderPathP99.thresholdMs = p99.whole("threshold_ms", kP99ThresholdMsRange);
        t.orderPathP99.minSamples = p99.whole("min_samples", kCountRange);
        Fields budget(f, "budget_near_cap", {"enabled", "share"}, places);
        t.budgetNearCap.enabled = budget.boolean("enabled");
        t.budgetNearCap.share = budget.share("share");
        if (auto error = validate(t)) {
            const auto at = places.find(error->field);
            (at != places.end() ? at->second : root).refuseWith(error->message);
        }
        return t;
    });
}

} // namespace flywheel::alerts
