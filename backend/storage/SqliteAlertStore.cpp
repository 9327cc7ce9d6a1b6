// SqliteStore: the AlertStore area (the history of the business alerts' changes; the
// thresholds' versions are in SqliteDocumentStore.cpp).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

using nlohmann::json;

namespace {

json toJson(const alerts::Alert &a)
{
    return json{{"enabled", a.enabled},
                {"firing", a.state == alerts::AlertState::Firing},
                {"since_ms", toEpochMs(a.since)},
                {"resolved_at_ms", toEpochMs(a.resolvedAt)},
                {"evaluated_at_ms", toEpochMs(a.evaluatedAt)},
                {"value", a.value},
                {"threshold", a.threshold},
                {"count", a.count},
                {"samples", a.samples},
                {"min_samples", a.minSamples},
                {"window_seconds", a.windowSeconds},
                {"slow_after_ms", a.slowAfterMs},
                {"order_id", a.orderId},
                {"from", a.from},
                {"to", a.to},
                {"budget", a.budget},
                {"error", a.error},
                {"event_at_ms", toEpochMs(a.eventAt)},
                {"explanation", a.explanation}};
}

/// The alert `id` as stored; a field missing from an older row keeps its default.
alerts::Alert fromJson(alerts::AlertId id, const json &j)
{
    alerts::Alert a;
    a.id = id;
    a.name = alerts::alertName(id);
    a.title = alerts::alertTitle(id);
    a.enabled = j.value("enabled", true);
    a.state = j.value("firing", false) ? alerts::AlertState::Firing : alerts::AlertState::Ok;
    a.since = fromEpochMs(j.value("since_ms", std::int64_t{0}));
    a.resolvedAt = fromEpochMs(j.value("resolved_at_ms", std::int64_t{0}));
    a.evaluatedAt = fromEpochMs(j.value("evaluated_at_ms", std::int64_t{0}));
    a.value = j.value("value", 0.0);
    a.threshold = j.value("threshold", 0.0);
    a.count = j.value("count", std::int64_t{0});
    a.samples = j.value("samples", std::int64_t{0});
    a.minSamples = j.value("min_samples", std::int64_t{0});
    a.windowSeconds = j.value("window_seconds", 0);
    a.slowAfterMs = j.value("slow_after_ms", 0);
    a.orderId = j.value("order_id", std::int64_t{0});
    a.from = j.value("from", std::string());
    a.to = j.value("to", std::string());
    a.budget = j.value("budget", std::string());
    a.error = j.value("error", std::string());
    a.eventAt = fromEpochMs(j.value("event_at_ms", std::int64_t{0}));
    a.explanation = j.value("explanation", std::string());
    return a;
}

} // namespace

void SqliteStore::appendAlertChange(const alerts::AlertChange &change)
{
    // Error texts quote files: bytes that are not UTF-8 are replaced, never thrown on.
    const std::string snapshot = toJson(change.alert).dump(-1, ' ', false, json::error_handler_t::replace);
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "INSERT INTO alert_history (at_ms, alert, fired, snapshot) VALUES (?, ?, ?, ?)");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("recording an alert change", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(change.at));
    sqlite3_bind_text(stmt.get(), 2, change.alert.name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt.get(), 3, change.kind == alerts::ChangeKind::Fired ? 1 : 0);
    sqlite3_bind_text(stmt.get(), 4, snapshot.c_str(), -1, SQLITE_TRANSIENT);
    if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
        fail("recording an alert change", rc);
    // The newest 1000 changes are kept (the console shows 500): a flapping alert does
    // not grow the file.
    Statement prune(m_db, "DELETE FROM alert_history WHERE id <= (SELECT MAX(id) FROM alert_history) - 1000");
    if (prune.prepareResult() != SQLITE_OK)
        fail("pruning the alert history", prune.prepareResult());
    if (const int rc = sqlite3_step(prune.get()); rc != SQLITE_DONE)
        fail("pruning the alert history", rc);
}

std::vector<alerts::AlertChange> SqliteStore::loadAlertHistory(int limit)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT at_ms, alert, fired, snapshot FROM alert_history ORDER BY id DESC LIMIT ?");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the alert history", stmt.prepareResult());
    sqlite3_bind_int(stmt.get(), 1, limit);
    std::vector<alerts::AlertChange> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        const std::optional<alerts::AlertId> id = alerts::parseAlertId(text(stmt.get(), 1));
        if (!id)
            continue; // an alert a later version had and this one has not
        json snapshot = json::parse(text(stmt.get(), 3), nullptr, false);
        if (snapshot.is_discarded() || !snapshot.is_object())
            throw StorageError("database " + m_path + ": an alert history row is not a JSON object");
        alerts::AlertChange change;
        change.at = fromEpochMs(sqlite3_column_int64(stmt.get(), 0));
        change.kind = sqlite3_column_int(stmt.get(), 2) != 0 ? alerts::ChangeKind::Fired : alerts::ChangeKind::Resolved;
        change.alert = fromJson(*id, snapshot);
        out.push_back(std::move(change));
    }
    if (rc != SQLITE_DONE)
        fail("reading the alert history", rc);
    return out;
}

} // namespace flywheel
