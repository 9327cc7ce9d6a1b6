// SqliteStore: the PricingStore area (rule set versions, rule usage).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;
using sqlite_detail::kRuleSetTable;

StoredRuleSet SqliteStore::appendRuleSet(const StoredRuleSet &ruleSet)
{
    return appendVersion(kRuleSetTable, ruleSet);
}

std::optional<StoredRuleSet> SqliteStore::ruleSet(std::int64_t version)
{
    auto versions = readVersions(kRuleSetTable, version, 1);
    return versions.empty() ? std::nullopt : std::optional(std::move(versions.front()));
}

std::vector<StoredRuleSet> SqliteStore::ruleSets(int limit)
{
    return readVersions(kRuleSetTable, 0, limit);
}

std::vector<RuleUsage> SqliteStore::loadRuleUsage()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, rule_id, orders FROM rule_usage");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading rule usage", stmt.prepareResult());
    std::vector<RuleUsage> usage;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        usage.push_back(
            RuleUsage{sqlite3_column_int64(stmt.get(), 0), text(stmt.get(), 1), sqlite3_column_int(stmt.get(), 2)});
    if (rc != SQLITE_DONE)
        fail("reading rule usage", rc);
    return usage;
}

} // namespace flywheel
