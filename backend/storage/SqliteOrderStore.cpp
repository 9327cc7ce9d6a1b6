// SqliteStore: the OrderStore area (orders, the journal, idempotency keys, order facts).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cstring>

namespace flywheel {

using sqlite_detail::statusCode;
using sqlite_detail::Statement;
using sqlite_detail::text;
using sqlite_detail::bindTime;
using sqlite_detail::columnTime;

void SqliteStore::insertOrderLocked(const Order &order)
{
    std::string lines;
    std::string adjustments;
    try {
        nlohmann::json array = nlohmann::json::array();
        for (const OrderLine &line : order.lines)
            array.push_back(nlohmann::json::array(
                {line.sku, line.quantity, line.unitPrice.minorUnits(), line.listPrice.minorUnits()}));
        lines = array.dump();
        if (order.adjustments.empty()) {
            adjustments = "[]";
        } else {
            array = nlohmann::json::array();
            for (const PriceAdjustment &a : order.adjustments)
                array.push_back(nlohmann::json::array({a.ruleId, a.ruleName, a.amount.minorUnits()}));
            adjustments = array.dump();
        }
    } catch (const nlohmann::json::exception &e) { // text that is not UTF-8
        throw StorageError("database " + m_path + ": cannot store order " + std::to_string(order.id) + ": " + e.what());
    }
    sqlite3_bind_int64(m_insertOrder, 1, order.id);
    sqlite3_bind_int64(m_insertOrder, 2, order.uid);
    sqlite3_bind_text(m_insertOrder, 3, order.channel.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(m_insertOrder, 4, order.total.minorUnits());
    sqlite3_bind_int64(m_insertOrder, 5, toEpochMs(order.createdAt));
    sqlite3_bind_int64(m_insertOrder, 6, order.listTotal.minorUnits());
    sqlite3_bind_int64(m_insertOrder, 7, order.ruleSetVersion);
    sqlite3_bind_int(m_insertOrder, 8, statusCode(order.status));
    bindTime(m_insertOrder, 9, order.expiresAt);
    bindTime(m_insertOrder, 10, order.paidAt);
    bindTime(m_insertOrder, 11, order.closedAt);
    sqlite3_bind_text(m_insertOrder, 12, lines.data(), static_cast<int>(lines.size()), SQLITE_STATIC);
    sqlite3_bind_text(m_insertOrder, 13, adjustments.data(), static_cast<int>(adjustments.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(m_insertOrder);
    sqlite3_reset(m_insertOrder);
    if (rc != SQLITE_DONE)
        fail("storing order " + std::to_string(order.id), rc);
    addRuleUsageLocked(order);
}

void SqliteStore::addRuleUsageLocked(const Order &order)
{
    // An order counts once per rule, however many of its adjustments name the rule.
    for (std::size_t i = 0; i < order.adjustments.size(); ++i) {
        const std::string &ruleId = order.adjustments[i].ruleId;
        const auto first = order.adjustments.begin() + static_cast<std::ptrdiff_t>(i);
        if (std::any_of(order.adjustments.begin(), first, [&](const PriceAdjustment &a) { return a.ruleId == ruleId; }))
            continue;
        sqlite3_bind_int64(m_addRuleUsage, 1, order.uid);
        sqlite3_bind_text(m_addRuleUsage, 2, ruleId.c_str(), -1, SQLITE_STATIC);
        const int rc = sqlite3_step(m_addRuleUsage);
        sqlite3_reset(m_addRuleUsage);
        if (rc != SQLITE_DONE)
            fail("counting the use of rule " + ruleId + " by user " + std::to_string(order.uid), rc);
    }
}

void SqliteStore::addOrderCountLocked(std::int64_t orders)
{
    if (orders == 0)
        return;
    sqlite3_bind_int64(m_addOrderCount, 1, orders);
    const int rc = sqlite3_step(m_addOrderCount);
    sqlite3_reset(m_addOrderCount);
    if (rc != SQLITE_DONE)
        fail("counting the orders", rc);
    if (sqlite3_changes(m_db) != 1)
        throw StorageError("database " + m_path + " has no order count (order_counts is missing its row)");
}

void SqliteStore::insertOrdersLocked(const std::vector<Order> &orders)
{
    prepareLocked();
    for (const Order &order : orders)
        insertOrderLocked(order);
    addOrderCountLocked(static_cast<std::int64_t>(orders.size()));
}

void SqliteStore::updateStatusLocked(const orders::OrderTransition &t)
{
    sqlite3_bind_int64(m_updateStatus, 1, t.orderId);
    sqlite3_bind_int(m_updateStatus, 2, statusCode(t.to));
    sqlite3_bind_int64(m_updateStatus, 3, toEpochMs(t.at));
    const int rc = sqlite3_step(m_updateStatus);
    sqlite3_reset(m_updateStatus);
    if (rc != SQLITE_DONE)
        fail("marking order " + std::to_string(t.orderId) + " " + orderStatusName(t.to), rc);
    if (sqlite3_changes(m_db) != 1)
        throw StorageError("database " + m_path + ": order " + std::to_string(t.orderId) +
                           (t.to == OrderStatus::Refunded ? " is not stored as paid" : " is not stored") +
                           ", so it cannot be marked " + orderStatusName(t.to));
}

void SqliteStore::insertKeyLocked(const orders::IdempotencyTable::Record &record)
{
    sqlite3_bind_text(m_insertKey, 1, record.key.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(m_insertKey, 2, record.orderId);
    sqlite3_bind_int64(m_insertKey, 3, toEpochMs(record.createdAt));
    sqlite3_bind_int64(m_insertKey, 4, record.uid);
    sqlite3_bind_blob(m_insertKey, 5, record.request.data(), static_cast<int>(record.request.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(m_insertKey);
    sqlite3_reset(m_insertKey);
    if (rc != SQLITE_DONE)
        fail("storing an idempotency key", rc);
}

void SqliteStore::appendOrders(const std::vector<Order> &orders)
{
    if (orders.empty())
        return;
    const std::lock_guard lock(m_mutex);
    exec("BEGIN IMMEDIATE");
    try {
        insertOrdersLocked(orders);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void SqliteStore::appendJournal(const std::vector<JournalEntry> &entries)
{
    if (entries.empty())
        return;
    const std::lock_guard lock(m_mutex);
    prepareLocked();
    exec("BEGIN IMMEDIATE");
    try {
        std::int64_t keys = 0;
        std::int64_t newestKeyMs = 0;
        std::int64_t newOrders = 0;
        for (const JournalEntry &entry : entries) {
            if (entry.newOrder) {
                insertOrderLocked(*entry.newOrder);
                ++newOrders;
            }
            if (entry.subsidyGrant)
                insertGrantLocked(*entry.subsidyGrant);
            if (entry.subsidyDecision)
                insertDecisionLocked(*entry.subsidyDecision);
            if (entry.transition) {
                updateStatusLocked(*entry.transition);
                grantTransitionLocked(*entry.transition);
                insertEventsLocked(entry.transition->events);
            }
            insertEventsLocked(entry.events);
            // The payment's settlement and the order's transition are stored together
            // or not at all: a payment that is no longer in a `from` state (another
            // notification or a query settled it first) refuses the whole batch, as
            // a grant the database refuses does.
            if (entry.payment && !updatePaymentLocked(*entry.payment)) {
                std::string states;
                for (const payments::PaymentState from : entry.payment->from)
                    states += (states.empty() ? "" : " or ") + std::string(payments::paymentStateName(from));
                throw StorageError("database " + m_path + ": payment " + std::to_string(entry.payment->after.id) +
                                   " is no longer " + (states.empty() ? std::string("in any state given") : states) +
                                   "; nothing of this batch was stored");
            }
            if (entry.refund && !updateRefundLocked(*entry.refund))
                throw StorageError("database " + m_path + ": refund " + std::to_string(entry.refund->after.id) +
                                   " is no longer " + std::string(payments::refundStateName(entry.refund->from)) +
                                   "; nothing of this batch was stored");
            if (entry.idempotency) {
                insertKeyLocked(*entry.idempotency);
                ++keys;
                newestKeyMs = std::max(newestKeyMs, toEpochMs(entry.idempotency->createdAt));
            }
        }
        addOrderCountLocked(newOrders);
        // Twice as many as came in, and a few: a backlog (after a pause, or from
        // before retention was set) drains while orders keep coming.
        if (keys > 0 && m_keyRetention.count() > 0)
            purgeKeysLocked(newestKeyMs - m_keyRetention.count(), 2 * keys + 16);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::optional<Order> SqliteStore::loadOrder(std::int64_t orderId)
{
    const std::lock_guard lock(m_mutex);
    Statement head(m_db, "SELECT uid, channel, total_minor, created_at_ms, COALESCE(list_total_minor, total_minor), "
                         "rule_set_version, status, expires_at_ms, paid_at_ms, closed_at_ms, lines, adjustments "
                         "FROM orders WHERE order_id = ?1");
    if (head.prepareResult() != SQLITE_OK)
        fail("reading order " + std::to_string(orderId), head.prepareResult());
    sqlite3_bind_int64(head.get(), 1, orderId);
    const int rc = sqlite3_step(head.get());
    if (rc == SQLITE_DONE)
        return std::nullopt;
    if (rc != SQLITE_ROW)
        fail("reading order " + std::to_string(orderId), rc);
    Order order;
    order.id = orderId;
    order.uid = sqlite3_column_int64(head.get(), 0);
    order.channel = text(head.get(), 1);
    order.total = Money(sqlite3_column_int64(head.get(), 2));
    order.createdAt = fromEpochMs(sqlite3_column_int64(head.get(), 3));
    order.listTotal = Money(sqlite3_column_int64(head.get(), 4));
    order.ruleSetVersion = sqlite3_column_int64(head.get(), 5);
    const int status = sqlite3_column_int(head.get(), 6);
    if (status < 0 || status > statusCode(OrderStatus::Refunded))
        throw StorageError("database " + m_path + ": order " + std::to_string(orderId) + " has unknown status " +
                           std::to_string(status));
    order.status = static_cast<OrderStatus>(status);
    order.expiresAt = columnTime(head.get(), 7);
    order.paidAt = columnTime(head.get(), 8);
    order.closedAt = columnTime(head.get(), 9);
    try {
        for (const nlohmann::json &line : nlohmann::json::parse(text(head.get(), 10)))
            order.lines.push_back(OrderLine{line.at(0).get<std::string>(), line.at(1).get<std::int64_t>(),
                                            Money(line.at(2).get<std::int64_t>()),
                                            Money(line.at(3).is_null() ? 0 : line.at(3).get<std::int64_t>())});
        for (const nlohmann::json &a : nlohmann::json::parse(text(head.get(), 11)))
            order.adjustments.push_back(PriceAdjustment{a.at(0).get<std::string>(), a.at(1).get<std::string>(),
                                                        Money(a.at(2).get<std::int64_t>())});
    } catch (const nlohmann::json::exception &e) {
        throw StorageError("database " + m_path + ": the lines or adjustments of order " + std::to_string(orderId) +
                           " are not readable: " + e.what());
    }
    return order;
}

namespace {

/// A stored request digest: 32 bytes, or none (NULL, a key from before schema 9).
std::optional<orders::RequestDigest> columnDigest(sqlite3_stmt *stmt, int column)
{
    if (sqlite3_column_type(stmt, column) != SQLITE_BLOB || sqlite3_column_bytes(stmt, column) != 32)
        return std::nullopt;
    orders::RequestDigest digest{};
    std::memcpy(digest.data(), sqlite3_column_blob(stmt, column), digest.size());
    return digest;
}

} // namespace

std::vector<orders::IdempotencyTable::Record> SqliteStore::loadIdempotencyKeys(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT key, COALESCE(uid, 0), request_sha256, order_id, created_at_ms FROM idempotency_keys "
                         "WHERE created_at_ms >= ?1");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the idempotency keys", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    std::vector<orders::IdempotencyTable::Record> records;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        records.push_back(orders::IdempotencyTable::Record{
            sqlite3_column_int64(stmt.get(), 1), text(stmt.get(), 0),
            columnDigest(stmt.get(), 2).value_or(orders::RequestDigest{}), sqlite3_column_int64(stmt.get(), 3),
            fromEpochMs(sqlite3_column_int64(stmt.get(), 4))});
    if (rc != SQLITE_DONE)
        fail("reading the idempotency keys", rc);
    return records;
}

std::optional<StoredIdempotencyKey> SqliteStore::findIdempotencyKey(std::int64_t uid, const std::string &key,
                                                                    TimePoint since)
{
    // The read connection, under its own mutex, held for one index seek: the
    // writer's transactions (and their fsync) hold m_mutex, never this one.
    const std::lock_guard lock(m_readMutex);
    if (m_findKey == nullptr) {
        // Keys of the user, and keys from before schema 9 (no user) whose order is the user's.
        const char *sql = "SELECT order_id, created_at_ms, request_sha256, fingerprint FROM idempotency_keys "
                          "WHERE uid = ?1 AND key = ?2 AND created_at_ms >= ?3 "
                          "UNION ALL "
                          "SELECT k.order_id, k.created_at_ms, NULL, k.fingerprint FROM idempotency_keys k "
                          "JOIN orders o ON o.order_id = k.order_id "
                          "WHERE k.uid IS NULL AND k.key = ?2 AND k.created_at_ms >= ?3 AND o.uid = ?1 "
                          "ORDER BY 2 DESC LIMIT 1";
        if (const int rc = sqlite3_prepare_v3(m_reader, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_findKey, nullptr);
            rc != SQLITE_OK)
            failOn(m_reader, "preparing the idempotency key lookup", rc);
    }
    sqlite3_bind_int64(m_findKey, 1, uid);
    sqlite3_bind_text(m_findKey, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_int64(m_findKey, 3, toEpochMs(since));
    std::optional<StoredIdempotencyKey> found;
    const int rc = sqlite3_step(m_findKey);
    if (rc == SQLITE_ROW)
        found = StoredIdempotencyKey{sqlite3_column_int64(m_findKey, 0), fromEpochMs(sqlite3_column_int64(m_findKey, 1)),
                                     columnDigest(m_findKey, 2),
                                     static_cast<std::uint64_t>(sqlite3_column_int64(m_findKey, 3))};
    sqlite3_reset(m_findKey);
    sqlite3_clear_bindings(m_findKey);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        failOn(m_reader, "looking up idempotency key \"" + key + "\"", rc);
    return found;
}

void SqliteStore::forEachIdempotencyKey(
    TimePoint since, const std::function<bool(std::int64_t uid, std::string_view key, TimePoint createdAt)> &f)
{
    // On the read connection, a chunk of keys at a time by rowid (the order they
    // were stored in), so that the mutex lookups share is held only for a chunk.
    constexpr int kChunk = 20000;
    const char *sql = "SELECT k.rowid, COALESCE(k.uid, o.uid, 0), k.key, k.created_at_ms FROM idempotency_keys k "
                      "LEFT JOIN orders o ON k.uid IS NULL AND o.order_id = k.order_id "
                      "WHERE k.rowid > ?1 AND k.created_at_ms >= ?2 ORDER BY k.rowid LIMIT ?3";
    std::int64_t after = 0;
    for (bool more = true; more;) {
        const std::lock_guard lock(m_readMutex);
        Statement stmt(m_reader, sql);
        if (stmt.prepareResult() != SQLITE_OK)
            failOn(m_reader, "reading the idempotency keys", stmt.prepareResult());
        sqlite3_bind_int64(stmt.get(), 1, after);
        sqlite3_bind_int64(stmt.get(), 2, toEpochMs(since));
        sqlite3_bind_int(stmt.get(), 3, kChunk);
        int rows = 0;
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
            ++rows;
            after = sqlite3_column_int64(stmt.get(), 0);
            const auto *key = reinterpret_cast<const char *>(sqlite3_column_text(stmt.get(), 2));
            const std::size_t length = static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 2));
            if (!f(sqlite3_column_int64(stmt.get(), 1), std::string_view(key == nullptr ? "" : key, length),
                   fromEpochMs(sqlite3_column_int64(stmt.get(), 3))))
                return;
        }
        if (rc != SQLITE_DONE)
            failOn(m_reader, "reading the idempotency keys", rc);
        more = rows == kChunk;
    }
}

void SqliteStore::setIdempotencyKeyRetention(Milliseconds retention)
{
    const std::lock_guard lock(m_mutex);
    m_keyRetention = retention;
}

void SqliteStore::purgeKeysLocked(std::int64_t cutoffMs, std::int64_t limit)
{
    // Most batches find the first key young enough and stop at one index seek.
    int rc = sqlite3_step(m_oldestKey);
    const bool due = rc == SQLITE_ROW && sqlite3_column_int64(m_oldestKey, 0) < cutoffMs;
    sqlite3_reset(m_oldestKey);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail("reading the oldest idempotency key", rc);
    if (!due)
        return;
    sqlite3_bind_int64(m_purgeKeys, 1, cutoffMs);
    sqlite3_bind_int64(m_purgeKeys, 2, limit);
    rc = sqlite3_step(m_purgeKeys);
    sqlite3_reset(m_purgeKeys);
    if (rc != SQLITE_DONE)
        fail("deleting old idempotency keys", rc);
}

std::vector<OrderFact> SqliteStore::loadOrderFactsSince(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, paid_at_ms, total_minor FROM orders WHERE paid_at_ms > ?1 "
                         "ORDER BY paid_at_ms, order_id");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading recent orders", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    std::vector<OrderFact> facts;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        facts.push_back(OrderFact{sqlite3_column_int64(stmt.get(), 0), fromEpochMs(sqlite3_column_int64(stmt.get(), 1)),
                                  sqlite3_column_int64(stmt.get(), 2)});
    }
    if (rc != SQLITE_DONE)
        fail("reading recent orders", rc);
    return facts;
}

std::int64_t SqliteStore::maxOrderId()
{
    const std::lock_guard lock(m_mutex);
    return scalar("SELECT COALESCE(MAX(order_id), 0) FROM orders");
}

std::int64_t SqliteStore::orderCount()
{
    const std::lock_guard lock(m_mutex);
    return scalar("SELECT value FROM order_counts WHERE name = 'orders'");
}

} // namespace flywheel
