// SqliteStore: the DocumentStore area (versions of the edited documents, each
// appended with its audit entry in one transaction).

#include "storage/SqliteStore.h"

#include "storage/AlertStore.h"
#include "storage/ExperimentStore.h"
#include "storage/PaymentStore.h"
#include "storage/PricingStore.h"
#include "storage/ReferralStore.h"
#include "storage/SegmentStore.h"
#include "storage/SubsidyStore.h"
#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

namespace {

/// The version table of `area`; nullptr for an area without one.
const char *tableOf(const std::string &area)
{
    if (area == kPricingArea)
        return sqlite_detail::kRuleSetTable;
    if (area == kSegmentsArea)
        return sqlite_detail::kSegmentSetTable;
    if (area == kReferralArea)
        return sqlite_detail::kProgramTable;
    if (area == kExperimentsArea)
        return sqlite_detail::kExperimentSetTable;
    if (area == kSubsidyArea)
        return sqlite_detail::kSubsidyConfigTable;
    if (area == kPaymentsArea)
        return sqlite_detail::kPaymentChannelTable;
    if (area == kAlertsArea)
        return sqlite_detail::kAlertThresholdTable;
    return nullptr;
}

StoredVersion readVersion(sqlite3_stmt *stmt)
{
    return StoredVersion{sqlite3_column_int64(stmt, 0), text(stmt, 1), text(stmt, 2), text(stmt, 3),
                         fromEpochMs(sqlite3_column_int64(stmt, 4)), sqlite3_column_int64(stmt, 5) != 0};
}

} // namespace

DocumentAppend SqliteStore::appendDocumentVersion(const std::string &area, std::int64_t base,
                                                  const StoredVersion &version,
                                                  const std::optional<audit::Entry> &audit)
{
    const char *table = tableOf(area);
    if (table == nullptr)
        throw StorageError("database " + m_path + " keeps no versions of \"" + area + "\"");
    const std::lock_guard lock(m_mutex);
    DocumentAppend result;
    // The newest version is read, the next one written and its audit entry
    // appended in one write transaction: nothing can come in between, and a
    // failure of either insert leaves neither. PRIMARY KEY (version) refuses a
    // second version of the same number even if something else tried.
    //
    // Live versions and candidates share one sequence of numbers (the next is
    // MAX(version) + 1 of either), but only a live save is guarded by its base:
    // the newest LIVE version must be `base`. A candidate changes nothing in force
    // and is stored whatever is live; its audit entry's "before" is the live yaml.
    exec("BEGIN IMMEDIATE");
    try {
        const std::int64_t live = scalar(
            ("SELECT COALESCE(MAX(version), 0) FROM " + std::string(table) + " WHERE candidate = 0").c_str());
        const std::int64_t last = scalar(("SELECT COALESCE(MAX(version), 0) FROM " + std::string(table)).c_str());
        if (!version.candidate && live != base) {
            exec("ROLLBACK");
            result.outcome = DocumentAppend::Outcome::Stale;
            result.newest = live;
            return result;
        }
        std::string before;
        if (live > 0) {
            const std::vector<StoredVersion> previous = readVersionsLocked(table, live, 1);
            if (!previous.empty())
                before = previous.front().yaml;
        }
        result.stored = version;
        result.stored.version = last + 1;
        result.newest = version.candidate ? live : result.stored.version;
        const std::string sql = "INSERT INTO " + std::string(table) +
                                " (version, yaml, reason, source, created_at_ms, candidate) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
        Statement stmt(m_db, sql.c_str());
        if (stmt.prepareResult() != SQLITE_OK)
            fail(std::string("preparing the insert into ") + table, stmt.prepareResult());
        const StoredVersion &saved = result.stored;
        sqlite3_bind_int64(stmt.get(), 1, saved.version);
        sqlite3_bind_text(stmt.get(), 2, saved.yaml.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt.get(), 3, saved.reason.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt.get(), 4, saved.source.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt.get(), 5, toEpochMs(saved.createdAt));
        sqlite3_bind_int(stmt.get(), 6, saved.candidate ? 1 : 0);
        if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
            fail("storing version " + std::to_string(saved.version) + " in " + table, rc);
        if (audit) {
            audit::Entry draft = *audit;
            draft.version = saved.version;
            draft.before = std::move(before);
            draft.after = saved.yaml;
            result.entry = appendAuditsLocked({draft}).front();
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    result.outcome = DocumentAppend::Outcome::Stored;
    return result;
}

std::optional<StoredVersion> SqliteStore::documentVersion(const std::string &area, std::int64_t version)
{
    const char *table = tableOf(area);
    if (table == nullptr)
        throw StorageError("database " + m_path + " keeps no versions of \"" + area + "\"");
    const std::lock_guard lock(m_mutex);
    auto versions = version == 0 ? readVersionsLocked(table, 0, 1, true) : readVersionsLocked(table, version, 1);
    return versions.empty() ? std::nullopt : std::optional(std::move(versions.front()));
}

std::vector<StoredVersion> SqliteStore::documentVersions(const std::string &area, int limit)
{
    const char *table = tableOf(area);
    if (table == nullptr)
        throw StorageError("database " + m_path + " keeps no versions of \"" + area + "\"");
    const std::lock_guard lock(m_mutex);
    return readVersionsLocked(table, 0, limit);
}

std::vector<StoredVersion> SqliteStore::readVersionsLocked(const char *table, std::int64_t version, int limit,
                                                           bool liveOnly)
{
    const std::string sql = "SELECT version, yaml, reason, source, created_at_ms, candidate FROM " + std::string(table) +
                            (version != 0 ? " WHERE version = ?1"
                             : liveOnly   ? " WHERE candidate = 0 ORDER BY version DESC LIMIT ?2"
                                          : " ORDER BY version DESC LIMIT ?2");
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail(std::string("reading ") + table, stmt.prepareResult());
    if (version != 0)
        sqlite3_bind_int64(stmt.get(), 1, version);
    else
        sqlite3_bind_int(stmt.get(), 2, limit);
    std::vector<StoredVersion> versions;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        versions.push_back(readVersion(stmt.get()));
    if (rc != SQLITE_DONE)
        fail(std::string("reading ") + table, rc);
    return versions;
}

} // namespace flywheel
