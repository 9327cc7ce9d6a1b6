#pragma once

#include "domain/Order.h"
#include "domain/subsidy/Grant.h"
#include "storage/DocumentStore.h"

#include <vector>

namespace flywheel {

inline constexpr const char *kSubsidyArea = "subsidy";

/// A paid order's total and lines, for the category averages.
struct PaidOrder {
    TimePoint paidAt;
    Money total;
    std::vector<OrderLine> lines;
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
    /// Orders paid after `since` (refunded ones included), with their lines.
    virtual std::vector<PaidOrder> loadPaidOrders(TimePoint since) = 0;
};

} // namespace flywheel
