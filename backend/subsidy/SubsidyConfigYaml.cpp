#include "subsidy/SubsidyConfigYaml.h"

#include "common/YamlReader.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace flywheel::subsidy {

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
    const std::string text = value.plainText("a number like 1.5");
    double parsed = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(parsed))
        value.refuse("must be a number like 1.5, not \"" + text + "\"");
    return parsed;
}

} // namespace

std::string configToYaml(const SubsidyConfig &c)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "enabled" << YAML::Value << c.enabled;
    out << YAML::Key << "campaign_id" << YAML::Value << c.campaignId;
    out << YAML::Key << "min_ltv_cac_ratio" << YAML::Value << shortest(c.minLtvCacRatio);
    out << YAML::Key << "base_amount_minor" << YAML::Value << c.baseAmount.minorUnits();
    out << YAML::Key << "cap_factor" << YAML::Value << shortest(c.capFactor);
    out << YAML::Key << "active_days" << YAML::Value << c.activeDays;
    out << YAML::Key << "risk" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "latency_threshold_ms" << YAML::Value << c.risk.latencyThresholdMs;
    out << YAML::Key << "score_threshold" << YAML::Value << c.risk.scoreThreshold;
    out << YAML::Key << "weight" << YAML::Value << shortest(c.risk.weight);
    out << YAML::EndMap;
    out << YAML::Key << "channel_cac" << YAML::Value << YAML::BeginSeq;
    for (const ChannelCac &cac : c.channelCac) {
        out << YAML::BeginMap << YAML::Key << "channel" << YAML::Value << cac.channel;
        out << YAML::Key << "cac_minor" << YAML::Value << cac.cac.minorUnits() << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "budgets" << YAML::Value << YAML::BeginSeq;
    for (const CampaignBudget &b : c.budgets) {
        out << YAML::BeginMap << YAML::Key << "campaign_id" << YAML::Value << b.campaignId;
        out << YAML::Key << "total_minor" << YAML::Value << b.total.minorUnits();
        out << YAML::Key << "daily_minor" << YAML::Value << b.daily.minorUnits() << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "ltv" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "base_orders" << YAML::Value << shortest(c.ltv.baseOrders);
    out << YAML::Key << "orders_per_active_day" << YAML::Value << shortest(c.ltv.ordersPerActiveDay);
    out << YAML::Key << "orders_per_past_order" << YAML::Value << shortest(c.ltv.ordersPerPastOrder);
    out << YAML::Key << "margin_bp" << YAML::Value << c.ltv.marginBp;
    out << YAML::Key << "min_category_orders" << YAML::Value << c.ltv.minCategoryOrders;
    out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::variant<SubsidyConfig, common::YamlError> configFromYaml(const std::string &yaml, const std::string &source)
{
    using common::YamlMap;
    using common::YamlValue;
    return common::readYaml<SubsidyConfig>(yaml, source, [](const YamlValue &root) {
        constexpr std::int64_t kMaxMinor = std::numeric_limits<std::int64_t>::max() / 4;
        constexpr std::int64_t kInt32 = std::numeric_limits<std::int32_t>::max();
        const YamlMap f = root.map({"enabled", "campaign_id", "min_ltv_cac_ratio", "base_amount_minor", "cap_factor",
                                    "active_days", "risk", "channel_cac", "budgets", "ltv"});
        SubsidyConfig c;
        c.enabled = f.required("enabled").boolean();
        c.campaignId = f.required("campaign_id").text();
        c.minLtvCacRatio = number(f.required("min_ltv_cac_ratio"));
        c.baseAmount = Money(f.required("base_amount_minor").integer(-kMaxMinor, kMaxMinor));
        c.capFactor = number(f.required("cap_factor"));
        c.activeDays = static_cast<std::int32_t>(f.required("active_days").integer(-kInt32, kInt32));
        const YamlMap risk = f.required("risk").map({"latency_threshold_ms", "score_threshold", "weight"});
        c.risk.latencyThresholdMs = static_cast<std::int32_t>(risk.required("latency_threshold_ms").integer(-kInt32, kInt32));
        c.risk.scoreThreshold = static_cast<std::int32_t>(risk.required("score_threshold").integer(-kInt32, kInt32));
        c.risk.weight = number(risk.required("weight"));
        for (const YamlValue &item : f.required("channel_cac").list(true)) {
            const YamlMap m = item.map({"channel", "cac_minor"});
            c.channelCac.push_back({m.required("channel").text(), Money(m.required("cac_minor").integer(-kMaxMinor, kMaxMinor))});
        }
        for (const YamlValue &item : f.required("budgets").list(true)) {
            const YamlMap m = item.map({"campaign_id", "total_minor", "daily_minor"});
            c.budgets.push_back({m.required("campaign_id").text(),
                                 Money(m.required("total_minor").integer(-kMaxMinor, kMaxMinor)),
                                 Money(m.required("daily_minor").integer(-kMaxMinor, kMaxMinor))});
        }
        const YamlMap ltv = f.required("ltv").map(
            {"base_orders", "orders_per_active_day", "orders_per_past_order", "margin_bp", "min_category_orders"});
        c.ltv.baseOrders = number(ltv.required("base_orders"));
        c.ltv.ordersPerActiveDay = number(ltv.required("orders_per_active_day"));
        c.ltv.ordersPerPastOrder = number(ltv.required("orders_per_past_order"));
        c.ltv.marginBp = static_cast<std::int32_t>(ltv.required("margin_bp").integer(-kInt32, kInt32));
        c.ltv.minCategoryOrders = static_cast<std::int32_t>(ltv.required("min_category_orders").integer(-kInt32, kInt32));
        if (auto error = validate(c))
            root.refuseWith(*error);
        return c;
    });
}

} // namespace flywheel::subsidy
