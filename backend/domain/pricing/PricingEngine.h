#pragma once

#include "domain/Order.h"
#include "domain/pricing/PricingRule.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace flywheel::pricing {

/// What pricing needs to know about the buyer.
struct Buyer {
    std::int64_t uid = 0;
    /// The ids of the segments the user is a member of now (segment prices).
    std::set<std::string> segments;
    /// Orders of this user that `ruleId` has already applied to (per-user limits).
    std::function<int(const std::string &ruleId)> timesUsed;
};

/// One rule that changed the price, and by how much (negative: cheaper).
struct Adjustment {
    std::string ruleId;
    std::string ruleName;
    RuleKind kind = RuleKind::PercentOff;
    Money amount;
    friend bool operator==(const Adjustment &, const Adjustment &) = default;
};

struct PricedLine {
    std::string sku;
    std::int64_t quantity = 0;
    Money listPrice;
    /// After line-level rules.
    Money unitPrice;
};

struct Quote {
    std::vector<PricedLine> lines;
    /// At list prices.
    Money listTotal;
    /// What the buyer pays: never below zero.
    Money total;
    /// One per rule that changed the price, in the order applied; they add up to
    /// total - listTotal.
    std::vector<Adjustment> adjustments;
};

/// Prices validated order lines (see priceOrder) with a rule set.
///
/// Rules are evaluated in the set's order (line-level rules, then order-level ones,
/// each by descending priority). A rule applies when it is active now, under the
/// buyer's per-user limit, not excluded by its group or by a non-stackable rule,
/// and it actually lowers the price. Line-level rules set a line's unit price (the
/// first one that lowers it wins); order-level rules take an amount off the total
/// of the lines in their scope at line-level prices. Percentages are rounded half
/// away from zero to the minor unit, once per rule; the total never goes below 0.
Quote quote(const RuleSet &rules, const Catalog &catalog, const std::vector<OrderLine> &lines, const Buyer &buyer,
            TimePoint now);

} // namespace flywheel::pricing
