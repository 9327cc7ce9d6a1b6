#include "domain/subsidy/SubsidyConfig.h"

#include <cmath>
#include <set>

namespace flywheel::subsidy {

namespace {

std::string number(double value)
{
    std::string text = std::to_string(value);
    while (text.size() > 1 && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text;
}

} // namespace

const ChannelCac *SubsidyConfig::cacOf(const std::string &channel) const
{
    for (const ChannelCac &c : channelCac) {
        if (c.channel == channel)
            return &c;
    }
    return nullptr;
}

const CampaignBudget *SubsidyConfig::budgetOf(const std::string &id) const
{
    for (const CampaignBudget &b : budgets) {
        if (b.campaignId == id)
            return &b;
    }
    return nullptr;
}

bool validSubsidyId(const std::string &id)
{
    if (id.empty() || id.size() > 40)
        return false;
    for (const char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

std::optional<std::string> validate(const SubsidyConfig &c)
{
    constexpr std::int64_t kMaxAmount = 1'000'000'000'000; // 10^12 minor units
    if (!validSubsidyId(c.campaignId))
        return "campaign_id must be 1-40 of a-z, 0-9, _ and -, not \"" + c.campaignId + "\"";
    if (!std::isfinite(c.minLtvCacRatio) || c.minLtvCacRatio <= 0 || c.minLtvCacRatio > 1000)
        return "min_ltv_cac_ratio must be greater than 0 and at most 1000, not " + number(c.minLtvCacRatio);
    if (c.baseAmount.minorUnits() <= 0 || c.baseAmount.minorUnits() > kMaxAmount)
        return "base_amount must be positive and at most 10^12 minor units, not " +
               std::to_string(c.baseAmount.minorUnits());
    if (!std::isfinite(c.capFactor) || c.capFactor <= 0 || c.capFactor > 100)
        return "cap_factor must be greater than 0 and at most 100, not " + number(c.capFactor);
    if (c.activeDays < 0 || c.activeDays > 7)
        return "active_days must be from 0 to 7, not " + std::to_string(c.activeDays);
    if (c.risk.latencyThresholdMs < 1 || c.risk.latencyThresholdMs > 60000)
        return "risk.latency_threshold_ms must be from 1 to 60000, not " + std::to_string(c.risk.latencyThresholdMs);
    if (c.risk.scoreThreshold < 0 || c.risk.scoreThreshold > 100)
        return "risk.score_threshold must be from 0 to 100, not " + std::to_string(c.risk.scoreThreshold);
    if (!std::isfinite(c.risk.weight) || c.risk.weight <= 0 || c.risk.weight > 1)
        return "risk.weight must be greater than 0 and at most 1, not " + number(c.risk.weight);
    std::set<std::string> channels;
    for (std::size_t i = 0; i < c.channelCac.size(); ++i) {
        const ChannelCac &cac = c.channelCac[i];
        const std::string where = "channel_cac[" + std::to_string(i) + "]";
        if (!validSubsidyId(cac.channel))
            return where + ".channel must be 1-40 of a-z, 0-9, _ and -, not \"" + cac.channel + "\"";
        if (!channels.insert(cac.channel).second)
            return where + ".channel \"" + cac.channel + "\" is given twice";
        if (cac.cac.minorUnits() <= 0 || cac.cac.minorUnits() > kMaxAmount)
            return where + ".cac must be positive and at most 10^12 minor units, not " +
                   std::to_string(cac.cac.minorUnits());
    }
    std::set<std::string> campaigns;
    for (std::size_t i = 0; i < c.budgets.size(); ++i) {
        const CampaignBudget &b = c.budgets[i];
        const std::string where = "budgets[" + std::to_string(i) + "]";
        if (!validSubsidyId(b.campaignId))
            return where + ".campaign_id must be 1-40 of a-z, 0-9, _ and -, not \"" + b.campaignId + "\"";
        if (!campaigns.insert(b.campaignId).second)
            return where + ".campaign_id \"" + b.campaignId + "\" is given twice";
        if (b.total.minorUnits() <= 0 || b.total.minorUnits() > kMaxAmount)
            return where + ".total must be positive and at most 10^12 minor units, not " +
                   std::to_string(b.total.minorUnits());
        if (b.daily.minorUnits() <= 0 || b.daily > b.total)
            return where + ".daily must be positive and at most the total (" + std::to_string(b.total.minorUnits()) +
                   "), not " + std::to_string(b.daily.minorUnits());
    }
    if (c.budgetOf(c.campaignId) == nullptr)
        return "campaign_id \"" + c.campaignId + "\" has no budget: add it to budgets";
    const LtvModel &m = c.ltv;
    const auto rate = [](double v) { return std::isfinite(v) && v >= 0 && v <= 1000; };
    if (!rate(m.baseOrders))
        return "ltv.base_orders must be from 0 to 1000, not " + number(m.baseOrders);
    if (!rate(m.ordersPerActiveDay))
        return "ltv.orders_per_active_day must be from 0 to 1000, not " + number(m.ordersPerActiveDay);
    if (!rate(m.ordersPerPastOrder))
        return "ltv.orders_per_past_order must be from 0 to 1000, not " + number(m.ordersPerPastOrder);
    if (m.marginBp < 1 || m.marginBp > 10000)
        return "ltv.margin_bp must be from 1 to 10000, not " + std::to_string(m.marginBp);
    if (m.minCategoryOrders < 0 || m.minCategoryOrders > 100000)
        return "ltv.min_category_orders must be from 0 to 100000, not " + std::to_string(m.minCategoryOrders);
    return std::nullopt;
}

SubsidyConfig initialSubsidyConfig(bool enabled)
{
    SubsidyConfig c;
    c.enabled = enabled;
    c.campaignId = "first_order";
    c.baseAmount = Money(1000);
    c.channelCac = {{"app", Money(1500)}, {"mini_program", Money(1000)}, {"web", Money(2000)}};
    c.budgets = {{"first_order", Money(50'000'000), Money(2'000'000)}};
    return c;
}

} // namespace flywheel::subsidy
