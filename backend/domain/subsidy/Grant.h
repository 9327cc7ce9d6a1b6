#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"
#include "domain/subsidy/Decision.h"

#include <cstdint>
#include <string>

namespace flywheel::subsidy {

/// issued (the order is created) → redeemed (paid) | released (cancelled or
/// expired unpaid: the budget is given back). A refund leaves it redeemed.
enum class GrantStatus : std::int32_t { Issued = 0, Redeemed = 1, Released = 2 };

/// A user's first-order subsidy, stored with its order in the order's transaction.
struct Grant {
    std::int64_t orderId = 0;
    std::int64_t uid = 0;
    std::string campaignId;
    std::string channel;
    Money amount;
    /// The UTC day (utcDay) whose daily budget it is charged to.
    std::int64_t day = 0;
    /// The budgets it was reserved against; the database refuses a spend above them.
    Money totalBudget;
    Money dailyBudget;
    Reason reason = Reason::Granted;
    GrantStatus status = GrantStatus::Issued;
    TimePoint createdAt;
    TimePoint redeemedAt;
    TimePoint closedAt;
    /// The GMV of the order (its total after the subsidy).
    Money orderTotal;
    std::string experimentKey;
    std::string variantKey;
    std::int64_t configVersion = 0;
};

/// One first-order decision with its raw inputs, for the replay of a draft.
struct DecisionRecord {
    TimePoint at;
    std::int64_t uid = 0;
    std::int64_t orderId = 0;
    Inputs inputs;
    Reason reason = Reason::Unspecified;
    Money amount;
    std::string campaignId;
    std::int64_t configVersion = 0;
    std::string experimentKey;
    std::string variantKey;
};

} // namespace flywheel::subsidy
