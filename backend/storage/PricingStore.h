#pragma once

#include "storage/DocumentStore.h"
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

/// The DocumentStore area of rule sets.
inline constexpr const char *kPricingArea = "pricing";

/// Pricing: versions of the rule set (the document of area "pricing", written
/// through DocumentStore) and how often each rule applied per user.
class PricingStore : public virtual DocumentStore {
public:
    /// A version; 0 for the newest. nullopt when there is none.
    std::optional<StoredRuleSet> ruleSet(std::int64_t version) { return documentVersion(kPricingArea, version); }
    /// Newest first.
    std::vector<StoredRuleSet> ruleSets(int limit) { return documentVersions(kPricingArea, limit); }
    /// Counts per user and rule, kept up to date by OrderStore::appendJournal.
    virtual std::vector<RuleUsage> loadRuleUsage() = 0;
};

} // namespace flywheel
