#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/Money.h"

#include <optional>
#include <string>
#include <vector>

namespace flywheel::pricing {

enum class RuleKind {
    /// Line level: one SKU at a fixed unit price.
    SkuPrice,
    /// Line level: the products in scope at a percentage of their list price.
    CategoryPrice,
    /// Line level: like CategoryPrice, but only for members of a user segment.
    SegmentPrice,
    /// Order level: a percentage off the eligible subtotal, optionally capped.
    PercentOff,
    /// Order level: spend at least X (in scope), get Y off; the best tier reached applies.
    Threshold,
};

const char *ruleKindName(RuleKind kind);
std::optional<RuleKind> parseRuleKind(const std::string &name);
/// Line-level rules change unit prices; order-level rules take an amount off.
bool isLineLevel(RuleKind kind);

/// Which products a rule touches. Empty lists mean every product.
struct Scope {
    std::vector<std::string> skus;
    std::vector<std::string> categories;
    bool matches(const Product &product) const;
    bool everything() const { return skus.empty() && categories.empty(); }
    friend bool operator==(const Scope &, const Scope &) = default;
};

struct Tier {
    Money spend;
    Money off;
    friend bool operator==(const Tier &, const Tier &) = default;
};

/// Percentages are basis points: 1500 is 15 %.
inline constexpr int kBasisPoints = 10000;

struct PricingRule {
    std::string id;
    std::string name;
    RuleKind kind = RuleKind::PercentOff;
    bool enabled = true;
    /// Higher first; ties by id.
    int priority = 0;
    /// False: applies only when no rule applied before it, and ends the evaluation.
    bool stackable = true;
    /// At most one rule of a non-empty group applies to an order: the first in order.
    std::string exclusionGroup;
    /// Active in [startsAt, endsAt); open-ended when absent.
    std::optional<TimePoint> startsAt;
    std::optional<TimePoint> endsAt;
    /// Orders per user this rule may apply to; 0 for no limit.
    int perUserLimit = 0;
    Scope scope;

    /// SkuPrice: the unit price of scope.skus (exactly one SKU).
    Money unitPrice;
    /// CategoryPrice, SegmentPrice: percentage of the list price to charge.
    int percentOfList = kBasisPoints;
    /// SegmentPrice: the segment whose members get the price.
    std::string segment;
    /// PercentOff: the percentage taken off.
    int percentOff = 0;
    /// PercentOff: the most it takes off; no cap when absent.
    std::optional<Money> maxOff;
    /// Threshold: ascending by spend.
    std::vector<Tier> tiers;

    friend bool operator==(const PricingRule &, const PricingRule &) = default;
};

enum class RuleState { Active, Scheduled, Expired, Disabled };
const char *ruleStateName(RuleState state);
RuleState ruleState(const PricingRule &rule, TimePoint now);

/// A versioned, immutable set of rules, shared by every request priced with it.
struct RuleSet {
    /// 0 for the empty set a new backend starts with.
    std::int64_t version = 0;
    /// In evaluation order: line-level rules, then order-level rules, each by
    /// descending priority, ties by id (see sortForEvaluation).
    std::vector<PricingRule> rules;
    /// Per rule, whether each product of catalogue `compiledFor` (by its index)
    /// is in the rule's scope, so that pricing tests a bit instead of comparing
    /// SKU and category names. Filled by compileScopes; used only when pricing
    /// with that very catalogue, otherwise scopes are matched by name.
    std::vector<std::vector<bool>> inScope = {};
    const Catalog *compiledFor = nullptr;
};

/// Puts rules in evaluation order.
void sortForEvaluation(std::vector<PricingRule> &rules);

/// Fills rules.inScope for `catalog`. Call again after the rules change.
void compileScopes(RuleSet &rules, const Catalog &catalog);

/// One reason a rule is unusable: the field it is about, named as in pricing.yaml
/// ("id", "name", "ends_at", "per_user_limit", "scope.skus", "scope.categories",
/// "unit_price", "percent_of_list", "segment", "percent_off", "max_off", "tiers"),
/// and a sentence that names it.
struct RuleProblem {
    std::string field;
    std::string message;
    friend bool operator==(const RuleProblem &, const RuleProblem &) = default;
};

/// Every problem of a rule (at most one per field), in a fixed order; empty when the
/// rule is valid. `catalog` checks that named SKUs and categories exist (null: no such check).
std::vector<RuleProblem> ruleProblems(const PricingRule &rule, const Catalog *catalog);

/// The first of ruleProblems' messages; empty when the rule is valid.
std::string validateRule(const PricingRule &rule, const Catalog *catalog);

/// A problem of the rule at `index` in a set.
struct RuleSetProblem {
    std::size_t index = 0;
    RuleProblem problem;
    friend bool operator==(const RuleSetProblem &, const RuleSetProblem &) = default;
};

/// Every problem of a set of rules: each rule's own, and an id used by an earlier rule
/// or among `otherIds` (the ids of the set's other rules, when only some are given).
std::vector<RuleSetProblem> ruleSetProblems(const std::vector<PricingRule> &rules, const Catalog *catalog,
                                            const std::vector<std::string> &otherIds = {});

} // namespace flywheel::pricing
