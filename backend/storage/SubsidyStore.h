#pragma once

#include "domain/Order.h"
#include "domain/subsidy/Grant.h"
#include "storage/DocumentStore.h"

#include <string>
#include <vector>

namespace flywheel {

inline constexpr const char *kSubsidyArea = "subsidy";

/// Paid orders of one main SKU (the line with the largest amount, the first of
/// equals) in one hour, for the category averages.
struct PaidSkuHour {
    std::string sku; ///< empty when the order's lines cannot be read
    std::int64_t hour = 0; ///< hours since the epoch (UTC)
    std::int64_t orders = 0;
    std::int64_t sum = 0; ///< their totals, in minor units
};

/// First-order subsidies: the config's versions (DocumentStore, area "subsidy"),
/// the grants, the campaign spend and the decisions. Grants, spend and decisions
/// are written by OrderStore::appendJournal in the orders' transaction (a grant
/// with its order; redeemed or released with the order's transition), so a
/// backend implementing both must honour: at most one grant in force (issued or
/// redeemed) per user, and a spend above the grant's budget refused, both by the
/// database itself.
class SubsidyStore : public virtual DocumentStore {
public:
    /// Every grant, oldest first.
    virtual std::vector<subsidy::Grant> loadSubsidyGrants() = 0;
    /// Decisions made at or after `since`, oldest first.
    virtual std::vector<subsidy::DecisionRecord> loadSubsidyDecisions(TimePoint since) = 0;
    /// How many decisions were stored with each reason (by its number), all time.
    virtual std::vector<std::pair<std::int32_t, std::int64_t>> loadSubsidyReasonCounts() = 0;
    /// Orders paid after `since` (refunded ones included), counted and summed by
    /// main SKU and hour: a few thousand rows however many orders there were.
    virtual std::vector<PaidSkuHour> loadPaidSkuHours(TimePoint since) = 0;
};

} // namespace flywheel
