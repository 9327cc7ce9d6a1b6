// SqliteStore: the SegmentStore area (segment set versions, profiles, deliveries).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

namespace {

/// Tags as "name=weight,name=weight"; weights with 17 significant digits, so a
/// profile reads back exactly as it was.
std::string joinTags(const std::vector<std::pair<std::string, double>> &tags)
{
    std::string out;
    char number[32];
    for (const auto &[name, weight] : tags) {
        std::snprintf(number, sizeof number, "%.17g", weight);
        out += (out.empty() ? "" : ",") + name + "=" + number;
    }
    return out;
}

std::vector<std::pair<std::string, double>> splitTags(const std::string &text)
{
    std::vector<std::pair<std::string, double>> tags;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string item = text.substr(start, end - start);
        if (const std::size_t eq = item.find('='); eq != std::string::npos)
            tags.emplace_back(item.substr(0, eq), std::strtod(item.c_str() + eq + 1, nullptr));
        start = end + 1;
    }
    return tags;
}

} // namespace

void SqliteStore::saveProfiles(const std::vector<StoredProfile> &profiles)
{
    if (profiles.empty())
        return;
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "INSERT OR REPLACE INTO profiles (uid, registered_day, last_active_day, active_days, "
                         "pay_count, session_depth, session_at_ms, device, region, install_channel, registered, paid, "
                         "tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("preparing the profile insert", stmt.prepareResult());
    exec("BEGIN IMMEDIATE");
    try {
        for (const StoredProfile &p : profiles) {
            sqlite3_stmt *st = stmt.get();
            const std::string tags = joinTags(p.tags);
            sqlite3_bind_int64(st, 1, p.uid);
            sqlite3_bind_int(st, 2, p.registeredDay);
            sqlite3_bind_int(st, 3, p.lastActiveDay);
            sqlite3_bind_int64(st, 4, p.activeDays);
            sqlite3_bind_int(st, 5, p.payCount);
            sqlite3_bind_int(st, 6, p.sessionDepth);
            sqlite3_bind_int64(st, 7, p.sessionAtMs);
            sqlite3_bind_text(st, 8, p.device.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 9, p.region.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 10, p.installChannel.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 11, p.registered ? 1 : 0);
            sqlite3_bind_int(st, 12, p.paid ? 1 : 0);
            sqlite3_bind_text(st, 13, tags.c_str(), -1, SQLITE_STATIC);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing the profile of user " + std::to_string(p.uid), rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::vector<StoredProfile> SqliteStore::loadProfiles()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, registered_day, last_active_day, active_days, pay_count, session_depth, "
                         "session_at_ms, device, region, install_channel, registered, paid, tags FROM profiles "
                         "ORDER BY uid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading profiles", stmt.prepareResult());
    std::vector<StoredProfile> profiles;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        StoredProfile p;
        p.uid = sqlite3_column_int64(st, 0);
        p.registeredDay = sqlite3_column_int(st, 1);
        p.lastActiveDay = sqlite3_column_int(st, 2);
        p.activeDays = static_cast<std::uint32_t>(sqlite3_column_int64(st, 3));
        p.payCount = sqlite3_column_int(st, 4);
        p.sessionDepth = sqlite3_column_int(st, 5);
        p.sessionAtMs = sqlite3_column_int64(st, 6);
        p.device = text(st, 7);
        p.region = text(st, 8);
        p.installChannel = text(st, 9);
        p.registered = sqlite3_column_int(st, 10) != 0;
        p.paid = sqlite3_column_int(st, 11) != 0;
        p.tags = splitTags(text(st, 12));
        profiles.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE)
        fail("reading profiles", rc);
    return profiles;
}

std::vector<std::pair<std::int64_t, std::int32_t>> SqliteStore::loadPayCounts()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, COUNT(*) FROM orders WHERE paid_at_ms IS NOT NULL GROUP BY uid ORDER BY uid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("counting payments per user", stmt.prepareResult());
    std::vector<std::pair<std::int64_t, std::int32_t>> counts;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        counts.emplace_back(sqlite3_column_int64(stmt.get(), 0), sqlite3_column_int(stmt.get(), 1));
    if (rc != SQLITE_DONE)
        fail("counting payments per user", rc);
    return counts;
}

std::vector<PurchaseSummary> SqliteStore::loadPurchaseSummaries()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT o.uid, p.category, COUNT(DISTINCT o.order_id), MAX(o.created_at_ms) FROM orders o "
                         "JOIN json_each(o.lines) l JOIN products p ON p.sku = l.value ->> 0 "
                         "WHERE o.paid_at_ms IS NOT NULL GROUP BY o.uid, p.category ORDER BY o.uid, p.category");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("summarising purchases", stmt.prepareResult());
    std::vector<PurchaseSummary> summaries;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        summaries.push_back(PurchaseSummary{sqlite3_column_int64(st, 0), text(st, 1), sqlite3_column_int(st, 2),
                                            fromEpochMs(sqlite3_column_int64(st, 3))});
    }
    if (rc != SQLITE_DONE)
        fail("summarising purchases", rc);
    return summaries;
}

void SqliteStore::appendDeliveries(const std::vector<StoredDelivery> &deliveries)
{
    if (deliveries.empty())
        return;
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "INSERT INTO reach_deliveries (uid, segment_id, channel, at_ms, set_version, status, error) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("preparing the delivery insert", stmt.prepareResult());
    exec("BEGIN IMMEDIATE");
    try {
        for (const StoredDelivery &d : deliveries) {
            sqlite3_stmt *st = stmt.get();
            sqlite3_bind_int64(st, 1, d.uid);
            sqlite3_bind_text(st, 2, d.segmentId.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, d.channel.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, toEpochMs(d.at));
            sqlite3_bind_int64(st, 5, d.setVersion);
            sqlite3_bind_text(st, 6, d.status.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, d.error.c_str(), -1, SQLITE_STATIC);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing a message to user " + std::to_string(d.uid), rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::vector<StoredDelivery> SqliteStore::loadDeliveriesSince(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, segment_id, channel, at_ms, set_version, status, error FROM reach_deliveries "
                         "WHERE at_ms >= ?1 ORDER BY at_ms, rowid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading sent messages", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    std::vector<StoredDelivery> deliveries;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        deliveries.push_back(StoredDelivery{sqlite3_column_int64(st, 0), text(st, 1), text(st, 2),
                                            fromEpochMs(sqlite3_column_int64(st, 3)), sqlite3_column_int64(st, 4),
                                            text(st, 5), text(st, 6)});
    }
    if (rc != SQLITE_DONE)
        fail("reading sent messages", rc);
    return deliveries;
}

std::int64_t SqliteStore::purgeDeliveries(TimePoint cutoff)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "DELETE FROM reach_deliveries WHERE at_ms < ?1");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("purging old messages", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(cutoff));
    if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
        fail("purging old messages", rc);
    return sqlite3_changes(m_db);
}

} // namespace flywheel
