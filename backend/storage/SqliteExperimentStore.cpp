// SqliteStore: the ExperimentStore area (exposures and what the exposed users did).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

std::int64_t SqliteStore::writeExposures(const std::vector<StoredExposure> &exposures,
                                         const std::vector<StoredExposure> &metrics)
{
    if (exposures.empty() && metrics.empty())
        return 0;
    const std::lock_guard lock(m_mutex);
    Statement insert(m_db, "INSERT OR IGNORE INTO experiment_exposures (experiment, uid, variant, at_ms) "
                           "VALUES (?1, ?2, ?3, ?4)");
    Statement update(m_db, "UPDATE experiment_exposures SET shares = ?3, registrations = ?4, orders = ?5, "
                           "gmv_minor = ?6, subsidy_minor = ?7, commission_minor = ?8 "
                           "WHERE experiment = ?1 AND uid = ?2");
    if (insert.prepareResult() != SQLITE_OK || update.prepareResult() != SQLITE_OK)
        fail("preparing the experiment exposures",
             insert.prepareResult() != SQLITE_OK ? insert.prepareResult() : update.prepareResult());
    std::int64_t inserted = 0;
    exec("BEGIN IMMEDIATE");
    try {
        for (const StoredExposure &e : exposures) {
            sqlite3_stmt *st = insert.get();
            sqlite3_bind_text(st, 1, e.experiment.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, e.uid);
            sqlite3_bind_text(st, 3, e.variant.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, toEpochMs(e.at));
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing the exposure of user " + std::to_string(e.uid) + " in experiment " + e.experiment, rc);
            inserted += sqlite3_changes(m_db);
        }
        for (const StoredExposure &e : metrics) {
            sqlite3_stmt *st = update.get();
            sqlite3_bind_text(st, 1, e.experiment.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, e.uid);
            sqlite3_bind_int64(st, 3, e.metrics.shares);
            sqlite3_bind_int64(st, 4, e.metrics.registrations);
            sqlite3_bind_int64(st, 5, e.metrics.orders);
            sqlite3_bind_int64(st, 6, e.metrics.gmvMinor);
            sqlite3_bind_int64(st, 7, e.metrics.subsidyMinor);
            sqlite3_bind_int64(st, 8, e.metrics.commissionMinor);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing the results of user " + std::to_string(e.uid) + " in experiment " + e.experiment, rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return inserted;
}

void SqliteStore::forEachExposure(const std::function<void(const StoredExposure &)> &row)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT experiment, uid, variant, at_ms, shares, registrations, orders, gmv_minor, "
                         "subsidy_minor, commission_minor FROM experiment_exposures");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the experiment exposures", stmt.prepareResult());
    int rc = SQLITE_OK;
    StoredExposure e;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        e.experiment = text(st, 0);
        e.uid = sqlite3_column_int64(st, 1);
        e.variant = text(st, 2);
        e.at = fromEpochMs(sqlite3_column_int64(st, 3));
        e.metrics = ExposureMetrics{sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
                                    sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
                                    sqlite3_column_int64(st, 8), sqlite3_column_int64(st, 9)};
        row(e);
    }
    if (rc != SQLITE_DONE)
        fail("reading the experiment exposures", rc);
}

} // namespace flywheel
