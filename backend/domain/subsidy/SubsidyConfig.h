#pragma once

#include "domain/Money.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::subsidy {

/// Down-weighting of risky users while the order path is slow (docs/subsidies.md).
struct Risk {
    /// 1-60000 ms.
    std::int32_t latencyThresholdMs = 800;
    /// 0-100.
    std::int32_t scoreThreshold = 75;
    /// (0, 1].
    double weight = 0.3;
};

struct ChannelCac {
    std::string channel;
    Money cac;
};

struct CampaignBudget {
    std::string campaignId;
    Money total;
    /// Per UTC day.
    Money daily;
};

/// LTV = expected_orders × average_order_value × margin (see subsidy.proto).
struct LtvModel {
    double baseOrders = 1.0;
    double ordersPerActiveDay = 0.4;
    double ordersPerPastOrder = 0.5;
    std::int32_t marginBp = 2500;
    std::int32_t minCategoryOrders = 20;
};

/// The subsidy config: one version of the document "subsidy config".
struct SubsidyConfig {
    bool enabled = false;
    std::string campaignId = "first_order";
    double minLtvCacRatio = 1.5;
    Money baseAmount{1000};
    double capFactor = 2.0;
    std::int32_t activeDays = 2;
    Risk risk;
    std::vector<ChannelCac> channelCac;
    std::vector<CampaignBudget> budgets;
    LtvModel ltv;

    /// nullptr when the channel has no CAC / the campaign no budget.
    const ChannelCac *cacOf(const std::string &channel) const;
    const CampaignBudget *budgetOf(const std::string &campaignId) const;
};

/// Why `config` may not be saved, naming the field ("base_amount must be positive,
/// not 0"); nullopt when it is valid.
std::optional<std::string> validate(const SubsidyConfig &config);

/// Campaign ids and channels: [a-z0-9_-]{1,40}.
bool validSubsidyId(const std::string &id);

/// The config installed when there is none: campaign "first_order" with budgets and
/// a CAC per channel ("app", "mini_program", "web"); `enabled` as given.
SubsidyConfig initialSubsidyConfig(bool enabled);

} // namespace flywheel::subsidy
