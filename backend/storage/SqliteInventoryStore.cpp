// SqliteStore: the InventoryStore area (the inventory event log).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::eventCode;
using sqlite_detail::reasonCode;
using sqlite_detail::Statement;
using sqlite_detail::text;
using sqlite_detail::bindTime;
using sqlite_detail::columnTime;

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

std::vector<inventory::Event> SqliteStore::loadInventoryEvents()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT seq, type, sku, order_id, quantity, at_ms, expires_at_ms, reason "
                         "FROM inventory_events ORDER BY seq");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the inventory events", stmt.prepareResult());
    std::vector<inventory::Event> events;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        const int type = sqlite3_column_int(stmt.get(), 1);
        const int reason = sqlite3_column_int(stmt.get(), 7);
        if (type < 0 || type > eventCode(inventory::EventType::Released) || reason < 0 ||
            reason > reasonCode(inventory::ReleaseReason::Refunded))
            throw StorageError("database " + m_path + ": inventory event " +
                               std::to_string(sqlite3_column_int64(stmt.get(), 0)) + " has an unknown type or reason");
        events.push_back(inventory::Event{sqlite3_column_int64(stmt.get(), 0), static_cast<inventory::EventType>(type),
                                          text(stmt.get(), 2), sqlite3_column_int64(stmt.get(), 3),
                                          sqlite3_column_int64(stmt.get(), 4), columnTime(stmt.get(), 5),
                                          columnTime(stmt.get(), 6), static_cast<inventory::ReleaseReason>(reason)});
    }
    if (rc != SQLITE_DONE)
        fail("reading the inventory events", rc);
    return events;
}

} // namespace flywheel
