#pragma once

#include "storage/StoreCommon.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

using StoredRuleSet = StoredVersion;

/// How often a rule has applied to a user's orders (per-user limits).
struct RuleUsage {
    std::int64_t uid = 0;
    std::string ruleId;
    int count = 0;
};

/// Pricing: versions of the rule set and how often each rule applied per user.
class PricingStore : public virtual StoreArea {
public:
    /// Saves rules as the next version (its version and time are filled in).
    virtual StoredRuleSet appendRuleSet(const StoredRuleSet &ruleSet) = 0;
    /// A version; 0 for the newest. nullopt when there is none.
    virtual std::optional<StoredRuleSet> ruleSet(std::int64_t version) = 0;
    /// Newest first.
    virtual std::vector<StoredRuleSet> ruleSets(int limit) = 0;
    /// Counts per user and rule, kept up to date by OrderStore::appendJournal.
    virtual std::vector<RuleUsage> loadRuleUsage() = 0;
};

} // namespace flywheel
