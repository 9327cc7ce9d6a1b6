// SqliteStore: the InventoryStore area (the inventory event log and ledger snapshots).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::eventCode;
using sqlite_detail::reasonCode;
using sqlite_detail::Statement;
using sqlite_detail::text;
using sqlite_detail::bindTime;
using sqlite_detail::columnTime;

namespace {

constexpr const char *kEventColumns = "seq, type, sku, order_id, quantity, at_ms, expires_at_ms, reason";

std::string levelsJson(const inventory::LedgerSnapshot &snapshot)
{
    nlohmann::json array = nlohmann::json::array();
    for (const auto &[sku, l] : snapshot.levels)
        array.push_back(nlohmann::json::array({sku, l.received, l.available, l.reserved, l.sold}));
    return array.dump();
}

std::string reservationsJson(const inventory::LedgerSnapshot &snapshot)
{
    nlohmann::json array = nlohmann::json::array();
    for (const inventory::OpenReservation &r : snapshot.reservations) {
        nlohmann::json lines = nlohmann::json::array();
        for (const inventory::ReservationLine &line : r.lines)
            lines.push_back(nlohmann::json::array({line.sku, line.quantity}));
        array.push_back(nlohmann::json::array({r.orderId, toEpochMs(r.expiresAt), std::move(lines)}));
    }
    return array.dump();
}

std::string recentJson(const inventory::LedgerSnapshot &snapshot)
{
    nlohmann::json array = nlohmann::json::array();
    for (const inventory::Event &e : snapshot.recent)
        array.push_back(e.seq);
    return array.dump();
}

} // namespace

void SqliteStore::insertEventsLocked(const std::vector<inventory::Event> &events)
{
    for (const inventory::Event &e : events) {
        sqlite3_bind_int64(m_insertEvent, 1, e.seq);
        sqlite3_bind_int(m_insertEvent, 2, eventCode(e.type));
        sqlite3_bind_text(m_insertEvent, 3, e.sku.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(m_insertEvent, 4, e.orderId);
        sqlite3_bind_int64(m_insertEvent, 5, e.quantity);
        sqlite3_bind_int64(m_insertEvent, 6, toEpochMs(e.at));
        bindTime(m_insertEvent, 7, e.expiresAt);
        sqlite3_bind_int(m_insertEvent, 8, reasonCode(e.reason));
        const int rc = sqlite3_step(m_insertEvent);
        sqlite3_reset(m_insertEvent);
        if (rc != SQLITE_DONE)
            fail("storing inventory event " + std::to_string(e.seq) + " (" + e.sku + ")", rc);
    }
}

std::vector<inventory::Event> SqliteStore::readEventsLocked(sqlite3_stmt *stmt, const std::string &what)
{
    std::vector<inventory::Event> events;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const int type = sqlite3_column_int(stmt, 1);
        const int reason = sqlite3_column_int(stmt, 7);
        if (type < 0 || type > eventCode(inventory::EventType::Released) || reason < 0 ||
            reason > reasonCode(inventory::ReleaseReason::Refunded))
            throw StorageError("database " + m_path + ": inventory event " +
                               std::to_string(sqlite3_column_int64(stmt, 0)) + " has an unknown type or reason");
        events.push_back(inventory::Event{sqlite3_column_int64(stmt, 0), static_cast<inventory::EventType>(type),
                                          text(stmt, 2), sqlite3_column_int64(stmt, 3), sqlite3_column_int64(stmt, 4),
                                          columnTime(stmt, 5), columnTime(stmt, 6),
                                          static_cast<inventory::ReleaseReason>(reason)});
    }
    if (rc != SQLITE_DONE)
        fail(what, rc);
    return events;
}

std::vector<inventory::Event> SqliteStore::loadInventoryEvents(std::int64_t afterSeq)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql =
        std::string("SELECT ") + kEventColumns + " FROM inventory_events WHERE seq > ?1 ORDER BY seq";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the inventory events", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, afterSeq);
    return readEventsLocked(stmt.get(), "reading the inventory events");
}

std::optional<inventory::LedgerSnapshot> SqliteStore::loadInventorySnapshot()
{
    const std::lock_guard lock(m_mutex);
    Statement head(m_db, "SELECT seq, levels, reservations, recent FROM inventory_snapshots ORDER BY seq DESC LIMIT 1");
    if (head.prepareResult() != SQLITE_OK)
        fail("reading the inventory snapshot", head.prepareResult());
    const int rc = sqlite3_step(head.get());
    if (rc == SQLITE_DONE)
        return std::nullopt;
    if (rc != SQLITE_ROW)
        fail("reading the inventory snapshot", rc);
    inventory::LedgerSnapshot snapshot;
    snapshot.seq = sqlite3_column_int64(head.get(), 0);
    const std::string name = "database " + m_path + ": the inventory snapshot at event " + std::to_string(snapshot.seq);
    std::size_t recentCount = 0;
    try {
        for (const nlohmann::json &l : nlohmann::json::parse(text(head.get(), 1))) {
            const inventory::StockLevel level{l.at(1).get<std::int64_t>(), l.at(2).get<std::int64_t>(),
                                              l.at(3).get<std::int64_t>(), l.at(4).get<std::int64_t>()};
            const std::string sku = l.at(0).get<std::string>();
            // Negative levels are possible (a receipt whose commit failed, used before a
            // restart), as in a replay of the log; a broken sum is not.
            if (level.available + level.reserved + level.sold != level.received)
                throw StorageError(name + " has inconsistent stock for " + sku);
            snapshot.levels.emplace_back(sku, level);
        }
        for (const nlohmann::json &r : nlohmann::json::parse(text(head.get(), 2))) {
            inventory::OpenReservation reservation{
                r.at(0).get<std::int64_t>(), {}, fromEpochMs(r.at(1).get<std::int64_t>())};
            for (const nlohmann::json &line : r.at(2))
                reservation.lines.push_back({line.at(0).get<std::string>(), line.at(1).get<std::int64_t>()});
            if (reservation.lines.empty())
                throw StorageError(name + " has a reservation of order " + std::to_string(reservation.orderId) +
                                   " without lines");
            snapshot.reservations.push_back(std::move(reservation));
        }
        recentCount = nlohmann::json::parse(text(head.get(), 3)).size();
    } catch (const nlohmann::json::exception &e) {
        throw StorageError(name + " cannot be read: " + e.what());
    }
    // The recent events themselves are in the log.
    const std::string recent = text(head.get(), 3);
    const std::string sql = std::string("SELECT ") + kEventColumns +
                            " FROM inventory_events WHERE seq IN (SELECT value FROM json_each(?1)) ORDER BY seq";
    Statement events(m_db, sql.c_str());
    if (events.prepareResult() != SQLITE_OK)
        fail("reading the recent inventory events", events.prepareResult());
    sqlite3_bind_text(events.get(), 1, recent.c_str(), -1, SQLITE_STATIC);
    snapshot.recent = readEventsLocked(events.get(), "reading the recent inventory events");
    if (snapshot.recent.size() != recentCount)
        throw StorageError(name + " names " + std::to_string(recentCount) + " recent events, of which only " +
                           std::to_string(snapshot.recent.size()) + " are stored");
    return snapshot;
}

void SqliteStore::saveInventorySnapshot(const inventory::LedgerSnapshot &snapshot, TimePoint takenAt)
{
    std::string levels;
    std::string reservations;
    std::string recent;
    try {
        levels = levelsJson(snapshot);
        reservations = reservationsJson(snapshot);
        recent = recentJson(snapshot);
    } catch (const nlohmann::json::exception &e) { // a SKU that is not UTF-8
        throw StorageError("database " + m_path + ": cannot store the inventory snapshot: " + e.what());
    }
    const std::lock_guard lock(m_mutex);
    exec("BEGIN IMMEDIATE");
    try {
        const std::int64_t stored = scalar("SELECT COALESCE(MAX(seq), 0) FROM inventory_events");
        if (snapshot.seq > stored)
            throw StorageError("database " + m_path + ": the inventory snapshot at event " +
                               std::to_string(snapshot.seq) + " is ahead of the stored events (the last is " +
                               std::to_string(stored) + ")");
        Statement insert(m_db, "INSERT OR REPLACE INTO inventory_snapshots (seq, taken_at_ms, levels, reservations, "
                               "recent) VALUES (?1, ?2, ?3, ?4, ?5)");
        if (insert.prepareResult() != SQLITE_OK)
            fail("preparing the inventory snapshot insert", insert.prepareResult());
        sqlite3_bind_int64(insert.get(), 1, snapshot.seq);
        sqlite3_bind_int64(insert.get(), 2, toEpochMs(takenAt));
        sqlite3_bind_text(insert.get(), 3, levels.data(), static_cast<int>(levels.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert.get(), 4, reservations.data(), static_cast<int>(reservations.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert.get(), 5, recent.data(), static_cast<int>(recent.size()), SQLITE_STATIC);
        if (const int rc = sqlite3_step(insert.get()); rc != SQLITE_DONE)
            fail("storing the inventory snapshot at event " + std::to_string(snapshot.seq), rc);
        Statement prune(m_db, "DELETE FROM inventory_snapshots WHERE seq < ?1");
        if (prune.prepareResult() != SQLITE_OK)
            fail("preparing the inventory snapshot purge", prune.prepareResult());
        sqlite3_bind_int64(prune.get(), 1, snapshot.seq);
        if (const int rc = sqlite3_step(prune.get()); rc != SQLITE_DONE)
            fail("deleting older inventory snapshots", rc);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace flywheel
