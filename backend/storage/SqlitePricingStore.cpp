// SqliteStore: the PricingStore area (rule set versions, rule usage).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

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
