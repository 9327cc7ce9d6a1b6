// SqliteStore: the PaymentStore area (payments, refunds, refused notifications). The
// invariants are the schema's (migration 17): unique keys, a partial unique index,
// triggers, and guarded UPDATE ... WHERE state IN (...) instead of read-then-write,
// so that a server database enforces the same with the same statements.

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

#include <cstring>

namespace flywheel {

using sqlite_detail::bindTime;
using sqlite_detail::CachedStatement;
using sqlite_detail::columnTime;
using sqlite_detail::Statement;
using sqlite_detail::text;
using payments::Payment;
using payments::PaymentState;
using payments::Refund;
using payments::RefundState;

namespace {

constexpr const char *kPaymentColumns =
    "id, order_id, channel_id, provider, amount_minor, currency, state, out_trade_no, provider_payment_id, pay_url, "
    "route_reason, detail, difference_minor, confirming, created_at_ms, updated_at_ms, expires_at_ms, paid_order";
constexpr const char *kRefundColumns = "id, payment_id, order_id, amount_minor, currency, state, out_refund_no, "
                                       "provider_refund_id, reason, detail, created_at_ms, updated_at_ms";

void bindText(sqlite3_stmt *stmt, int index, const std::string &value)
{
    sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

Payment readPayment(sqlite3_stmt *s)
{
    Payment p;
    p.id = sqlite3_column_int64(s, 0);
    p.orderId = sqlite3_column_int64(s, 1);
    p.channelId = text(s, 2);
    p.provider = text(s, 3);
    p.amountMinor = sqlite3_column_int64(s, 4);
    p.currency = text(s, 5);
    p.state = static_cast<PaymentState>(sqlite3_column_int(s, 6));
    p.outTradeNo = text(s, 7);
    p.providerPaymentId = text(s, 8);
    p.payUrl = text(s, 9);
    p.routeReason = text(s, 10);
    p.detail = text(s, 11);
    p.differenceMinor = sqlite3_column_int64(s, 12);
    p.confirming = sqlite3_column_int(s, 13) != 0;
    p.createdAt = columnTime(s, 14);
    p.updatedAt = columnTime(s, 15);
    p.expiresAt = columnTime(s, 16);
    p.paidOrder = sqlite3_column_int(s, 17) != 0;
    return p;
}

Refund readRefund(sqlite3_stmt *s)
{
    Refund r;
    r.id = sqlite3_column_int64(s, 0);
    r.paymentId = sqlite3_column_int64(s, 1);
    r.orderId = sqlite3_column_int64(s, 2);
    r.amountMinor = sqlite3_column_int64(s, 3);
    r.currency = text(s, 4);
    r.state = static_cast<RefundState>(sqlite3_column_int(s, 5));
    r.outRefundNo = text(s, 6);
    r.providerRefundId = text(s, 7);
    r.reason = text(s, 8);
    r.detail = text(s, 9);
    r.createdAt = columnTime(s, 10);
    r.updatedAt = columnTime(s, 11);
    return r;
}

bool mentions(sqlite3 *db, const char *what)
{
    return std::strstr(sqlite3_errmsg(db), what) != nullptr;
}

} // namespace

std::vector<Payment> SqliteStore::readPaymentsLocked(sqlite3_stmt *stmt, const std::string &what)
{
    std::vector<Payment> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        out.push_back(readPayment(stmt));
    if (rc != SQLITE_DONE)
        fail(what, rc);
    return out;
}

std::vector<Refund> SqliteStore::readRefundsLocked(sqlite3_stmt *stmt, const std::string &what)
{
    std::vector<Refund> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        out.push_back(readRefund(stmt));
    if (rc != SQLITE_DONE)
        fail(what, rc);
    return out;
}

PaymentStore::Inserted SqliteStore::insertPayment(const Payment &payment, const std::string &idempotencyKey)
{
    const std::lock_guard lock(m_mutex);
    const std::string what = "storing a payment of order " + std::to_string(payment.orderId);
    exec("BEGIN IMMEDIATE");
    try {
        Inserted result;
        {
            // The same (order, key) stores nothing: the first payment stands. An empty
            // out_trade_no is filled in below from the id, in this transaction.
            Statement insert(m_db, "INSERT INTO payments (order_id, channel_id, provider, amount_minor, currency, "
                                   "state, out_trade_no, provider_payment_id, pay_url, route_reason, detail, "
                                   "difference_minor, confirming, idempotency_key, created_at_ms, updated_at_ms, "
                                   "expires_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                   "?14, ?15, ?16, ?17) ON CONFLICT (order_id, idempotency_key) DO NOTHING");
            if (insert.prepareResult() != SQLITE_OK)
                fail(what, insert.prepareResult());
            sqlite3_stmt *s = insert.get();
            sqlite3_bind_int64(s, 1, payment.orderId);
            bindText(s, 2, payment.channelId);
            bindText(s, 3, payment.provider);
            sqlite3_bind_int64(s, 4, payment.amountMinor);
            bindText(s, 5, payment.currency);
            sqlite3_bind_int(s, 6, static_cast<int>(payment.state));
            bindText(s, 7, payment.outTradeNo);
            bindText(s, 8, payment.providerPaymentId);
            bindText(s, 9, payment.payUrl);
            bindText(s, 10, payment.routeReason);
            bindText(s, 11, payment.detail);
            sqlite3_bind_int64(s, 12, payment.differenceMinor);
            sqlite3_bind_int(s, 13, payment.confirming ? 1 : 0);
            bindText(s, 14, idempotencyKey);
            sqlite3_bind_int64(s, 15, toEpochMs(payment.createdAt));
            sqlite3_bind_int64(s, 16, toEpochMs(payment.updatedAt == TimePoint{} ? payment.createdAt : payment.updatedAt));
            bindTime(s, 17, payment.expiresAt);
            const int rc = sqlite3_step(s);
            if ((rc & 0xff) == SQLITE_CONSTRAINT) {
                const std::string why = mentions(m_db, "out_trade_no")
                                            ? "out_trade_no \"" + payment.outTradeNo + "\" is already stored"
                                            : std::string(sqlite3_errmsg(m_db));
                throw StorageError("database " + m_path + ": the payment of order " + std::to_string(payment.orderId) +
                                   " is not stored: " + why);
            }
            if (rc != SQLITE_DONE)
                fail(what, rc);
            result.created = sqlite3_changes(m_db) == 1;
        }
        if (result.created) {
            const std::int64_t id = sqlite3_last_insert_rowid(m_db);
            if (payment.outTradeNo.empty()) {
                Statement name(m_db, "UPDATE payments SET out_trade_no = printf('FW%d-%04d', order_id, id) WHERE id = ?1");
                if (name.prepareResult() != SQLITE_OK)
                    fail(what, name.prepareResult());
                sqlite3_bind_int64(name.get(), 1, id);
                if (const int rc = sqlite3_step(name.get()); rc != SQLITE_DONE)
                    fail("naming payment " + std::to_string(id), rc);
            }
            const std::string sql = std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE id = ?1";
            Statement read(m_db, sql.c_str());
            sqlite3_bind_int64(read.get(), 1, id);
            result.payment = readPaymentsLocked(read.get(), what).at(0);
        } else {
            const std::string sql = std::string("SELECT ") + kPaymentColumns +
                                    " FROM payments WHERE order_id = ?1 AND idempotency_key = ?2";
            Statement read(m_db, sql.c_str());
            sqlite3_bind_int64(read.get(), 1, payment.orderId);
            bindText(read.get(), 2, idempotencyKey);
            result.payment = readPaymentsLocked(read.get(), what).at(0);
        }
        exec("COMMIT");
        return result;
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

bool SqliteStore::updatePaymentLocked(const PaymentChange &change)
{
    if (change.from.empty())
        return false;
    // One statement: the guard and the write cannot be told apart by a concurrent
    // writer (no read-then-write). The states of `from` are numbers, never text.
    std::string states;
    for (const PaymentState from : change.from)
        states += (states.empty() ? "" : ", ") + std::to_string(static_cast<int>(from));
    const std::string sql = "UPDATE payments SET state = ?2, provider_payment_id = ?3, pay_url = ?4, detail = ?5, "
                            "difference_minor = ?6, confirming = ?7, updated_at_ms = ?8, expires_at_ms = ?9, "
                            "channel_id = ?10, provider = ?11, route_reason = ?12, paid_order = ?13 "
                            "WHERE id = ?1 AND state IN (" +
                            states + ")";
    const std::string what = "updating payment " + std::to_string(change.after.id);
    const CachedStatement stmt(cachedLocked(sql, what));
    const Payment &p = change.after;
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int64(s, 1, p.id);
    sqlite3_bind_int(s, 2, static_cast<int>(p.state));
    bindText(s, 3, p.providerPaymentId);
    bindText(s, 4, p.payUrl);
    bindText(s, 5, p.detail);
    sqlite3_bind_int64(s, 6, p.differenceMinor);
    sqlite3_bind_int(s, 7, p.confirming ? 1 : 0);
    sqlite3_bind_int64(s, 8, toEpochMs(p.updatedAt));
    bindTime(s, 9, p.expiresAt);
    // A created payment may move to a fallback channel (the trigger refuses it later).
    bindText(s, 10, p.channelId);
    bindText(s, 11, p.provider);
    bindText(s, 12, p.routeReason);
    sqlite3_bind_int(s, 13, p.paidOrder ? 1 : 0);
    const int rc = sqlite3_step(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        const std::string why = mentions(m_db, "payments.order_id")
                                    ? "order " + std::to_string(p.orderId) + " was already paid by another payment"
                                    : std::string(sqlite3_errmsg(m_db));
        throw StorageError("database " + m_path + ": payment " + std::to_string(p.id) + " cannot be changed: " + why);
    }
    if (rc != SQLITE_DONE)
        fail(what, rc);
    return sqlite3_changes(m_db) == 1;
}

bool SqliteStore::updatePayment(const PaymentChange &change)
{
    const std::lock_guard lock(m_mutex);
    return updatePaymentLocked(change);
}

// A payment (or an order's payments) is read on the read-only connection: in WAL mode it sees every
// committed change without waiting for the writer, whose lock (m_mutex) is held
// through each group commit and its fsync. A notification reads its payment first;
// on the writer's connection every one of them would wait for the batch in progress.
std::optional<Payment> SqliteStore::readPaymentOnReaderLocked(sqlite3_stmt *stmt, const std::string &what)
{
    std::optional<Payment> found;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        found = readPayment(stmt);
    if (rc != SQLITE_DONE)
        failOn(m_reader, what, rc);
    return found;
}

std::optional<Payment> SqliteStore::loadPayment(std::int64_t paymentId)
{
    const std::lock_guard lock(m_readMutex);
    static const std::string sql = std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE id = ?1";
    const std::string what = "reading payment " + std::to_string(paymentId);
    const CachedStatement stmt(cachedReaderLocked(sql, what));
    sqlite3_bind_int64(stmt.get(), 1, paymentId);
    return readPaymentOnReaderLocked(stmt.get(), what);
}

std::optional<Payment> SqliteStore::findPaymentByOutTradeNo(const std::string &outTradeNo)
{
    const std::lock_guard lock(m_readMutex);
    static const std::string sql = std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE out_trade_no = ?1";
    const std::string what = "reading payment " + outTradeNo;
    const CachedStatement stmt(cachedReaderLocked(sql, what));
    bindText(stmt.get(), 1, outTradeNo);
    return readPaymentOnReaderLocked(stmt.get(), what);
}

std::optional<Payment> SqliteStore::findPaymentByKey(std::int64_t orderId, const std::string &idempotencyKey)
{
    const std::lock_guard lock(m_mutex);
    static const std::string sql =
        std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE order_id = ?1 AND idempotency_key = ?2";
    const std::string what = "reading the payment of order " + std::to_string(orderId) + " with its key";
    const CachedStatement stmt(cachedLocked(sql, what));
    sqlite3_bind_int64(stmt.get(), 1, orderId);
    bindText(stmt.get(), 2, idempotencyKey);
    auto found = readPaymentsLocked(stmt.get(), what);
    return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
}

std::vector<Payment> SqliteStore::loadOrderPayments(std::int64_t orderId)
{
    const std::lock_guard lock(m_readMutex);
    static const std::string sql =
        std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE order_id = ?1 ORDER BY id DESC";
    const std::string what = "reading the payments of order " + std::to_string(orderId);
    const CachedStatement stmt(cachedReaderLocked(sql, what));
    sqlite3_bind_int64(stmt.get(), 1, orderId);
    std::vector<Payment> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        out.push_back(readPayment(stmt.get()));
    if (rc != SQLITE_DONE)
        failOn(m_reader, what, rc);
    return out;
}

std::vector<Payment> SqliteStore::loadOpenPayments()
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE state IN (1, 2) ORDER BY id";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the open payments", stmt.prepareResult());
    return readPaymentsLocked(stmt.get(), "reading the open payments");
}

std::vector<Payment> SqliteStore::loadPaymentsSettledSince(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = std::string("SELECT ") + kPaymentColumns +
                            " FROM payments WHERE state IN (3, 4, 5) AND updated_at_ms >= ?1 ORDER BY updated_at_ms, id";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the settled payments", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    return readPaymentsLocked(stmt.get(), "reading the settled payments");
}

Refund SqliteStore::insertRefund(const Refund &refund)
{
    const std::lock_guard lock(m_mutex);
    const std::string what = "storing a refund of payment " + std::to_string(refund.paymentId);
    exec("BEGIN IMMEDIATE");
    try {
        {
            Statement insert(m_db, "INSERT INTO refunds (payment_id, order_id, amount_minor, currency, state, "
                                   "out_refund_no, provider_refund_id, reason, detail, created_at_ms, updated_at_ms) "
                                   "VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10)");
            if (insert.prepareResult() != SQLITE_OK)
                fail(what, insert.prepareResult());
            sqlite3_stmt *s = insert.get();
            sqlite3_bind_int64(s, 1, refund.paymentId);
            sqlite3_bind_int64(s, 2, refund.orderId);
            sqlite3_bind_int64(s, 3, refund.amountMinor);
            bindText(s, 4, refund.currency);
            bindText(s, 5, refund.outRefundNo);
            bindText(s, 6, refund.providerRefundId);
            bindText(s, 7, refund.reason);
            bindText(s, 8, refund.detail);
            sqlite3_bind_int64(s, 9, toEpochMs(refund.createdAt));
            sqlite3_bind_int64(s, 10, toEpochMs(refund.updatedAt == TimePoint{} ? refund.createdAt : refund.updatedAt));
            const int rc = sqlite3_step(s);
            if ((rc & 0xff) == SQLITE_CONSTRAINT) {
                const std::string payment = "payment " + std::to_string(refund.paymentId);
                std::string why;
                if (mentions(m_db, "refunds.payment_id"))
                    why = payment + " already has a refund pending or succeeded";
                else if (mentions(m_db, "out_refund_no"))
                    why = "out_refund_no \"" + refund.outRefundNo + "\" is already stored";
                else if (mentions(m_db, "FOREIGN KEY"))
                    why = payment + " is not stored";
                else if (mentions(m_db, "amount_minor"))
                    why = "the amount must be positive, not " + std::to_string(refund.amountMinor);
                else
                    why = sqlite3_errmsg(m_db);
                throw StorageError("database " + m_path + ": the refund of " + payment + " is not stored: " + why);
            }
            if (rc != SQLITE_DONE)
                fail(what, rc);
        }
        const std::int64_t id = sqlite3_last_insert_rowid(m_db);
        if (refund.outRefundNo.empty()) {
            Statement name(m_db, "UPDATE refunds SET out_refund_no = 'R' || order_id || '-' || id WHERE id = ?1");
            if (name.prepareResult() != SQLITE_OK)
                fail(what, name.prepareResult());
            sqlite3_bind_int64(name.get(), 1, id);
            if (const int rc = sqlite3_step(name.get()); rc != SQLITE_DONE)
                fail("naming refund " + std::to_string(id), rc);
        }
        const std::string sql = std::string("SELECT ") + kRefundColumns + " FROM refunds WHERE id = ?1";
        Statement read(m_db, sql.c_str());
        sqlite3_bind_int64(read.get(), 1, id);
        Refund stored = readRefundsLocked(read.get(), what).at(0);
        exec("COMMIT");
        return stored;
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

bool SqliteStore::updateRefundLocked(const RefundChange &change)
{
    const Refund &r = change.after;
    const std::string what = "updating refund " + std::to_string(r.id);
    const CachedStatement stmt(cachedLocked("UPDATE refunds SET state = ?2, provider_refund_id = ?3, detail = ?4, "
                                            "updated_at_ms = ?5 WHERE id = ?1 AND state = ?6",
                                            what));
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int64(s, 1, r.id);
    sqlite3_bind_int(s, 2, static_cast<int>(r.state));
    bindText(s, 3, r.providerRefundId);
    bindText(s, 4, r.detail);
    sqlite3_bind_int64(s, 5, toEpochMs(r.updatedAt));
    sqlite3_bind_int(s, 6, static_cast<int>(change.from));
    const int rc = sqlite3_step(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        throw StorageError("database " + m_path + ": refund " + std::to_string(r.id) +
                           " cannot be changed: " + sqlite3_errmsg(m_db));
    if (rc != SQLITE_DONE)
        fail(what, rc);
    return sqlite3_changes(m_db) == 1;
}

bool SqliteStore::updateRefund(const RefundChange &change)
{
    const std::lock_guard lock(m_mutex);
    return updateRefundLocked(change);
}

std::optional<Refund> SqliteStore::findRefundByOutRefundNo(const std::string &outRefundNo)
{
    const std::lock_guard lock(m_mutex);
    static const std::string sql = std::string("SELECT ") + kRefundColumns + " FROM refunds WHERE out_refund_no = ?1";
    const CachedStatement stmt(cachedLocked(sql, "reading refund " + outRefundNo));
    bindText(stmt.get(), 1, outRefundNo);
    auto found = readRefundsLocked(stmt.get(), "reading refund " + outRefundNo);
    return found.empty() ? std::nullopt : std::optional(std::move(found.front()));
}

std::vector<Refund> SqliteStore::loadOrderRefunds(std::int64_t orderId)
{
    const std::lock_guard lock(m_mutex);
    static const std::string sql =
        std::string("SELECT ") + kRefundColumns + " FROM refunds WHERE order_id = ?1 ORDER BY id DESC";
    const std::string what = "reading the refunds of order " + std::to_string(orderId);
    const CachedStatement stmt(cachedLocked(sql, what));
    sqlite3_bind_int64(stmt.get(), 1, orderId);
    return readRefundsLocked(stmt.get(), what);
}

std::vector<Refund> SqliteStore::loadPendingRefunds()
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = std::string("SELECT ") + kRefundColumns + " FROM refunds WHERE state = 1 ORDER BY id";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the pending refunds", stmt.prepareResult());
    return readRefundsLocked(stmt.get(), "reading the pending refunds");
}

void SqliteStore::recordRefusedNotification(const payments::RefusedNotification &r)
{
    const std::lock_guard lock(m_mutex);
    const CachedStatement stmt(cachedLocked("INSERT INTO payment_refusals (at_ms, channel_id, provider, reason, detail, "
                                            "notification_id, order_id, peer) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                            "storing a refused notification"));
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int64(s, 1, toEpochMs(r.at));
    bindText(s, 2, r.channelId);
    bindText(s, 3, r.provider);
    sqlite3_bind_int(s, 4, static_cast<int>(r.reason));
    bindText(s, 5, r.detail);
    bindText(s, 6, r.notificationId);
    sqlite3_bind_int64(s, 7, r.orderId);
    bindText(s, 8, r.peer);
    if (const int rc = sqlite3_step(s); rc != SQLITE_DONE)
        fail("storing a refused notification of channel " + r.channelId, rc);
}

std::vector<payments::RefusedNotification> SqliteStore::loadRefusedNotifications(int limit)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT at_ms, channel_id, provider, reason, detail, notification_id, order_id, peer "
                         "FROM payment_refusals ORDER BY at_ms DESC, id DESC LIMIT ?1");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the refused notifications", stmt.prepareResult());
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int(s, 1, limit);
    std::vector<payments::RefusedNotification> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        out.push_back(payments::RefusedNotification{fromEpochMs(sqlite3_column_int64(s, 0)), text(s, 1), text(s, 2),
                                                    static_cast<payments::RefusalReason>(sqlite3_column_int(s, 3)),
                                                    text(s, 4), text(s, 5), sqlite3_column_int64(s, 6), text(s, 7)});
    if (rc != SQLITE_DONE)
        fail("reading the refused notifications", rc);
    return out;
}

std::vector<std::pair<std::pair<std::string, payments::RefusalReason>, std::int64_t>>
SqliteStore::loadRefusalCounts(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT channel_id, reason, COUNT(*) FROM payment_refusals WHERE at_ms >= ?1 "
                         "GROUP BY channel_id, reason ORDER BY channel_id, reason");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("counting the refused notifications", stmt.prepareResult());
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int64(s, 1, toEpochMs(since));
    std::vector<std::pair<std::pair<std::string, payments::RefusalReason>, std::int64_t>> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        out.push_back({{text(s, 0), static_cast<payments::RefusalReason>(sqlite3_column_int(s, 1))},
                       sqlite3_column_int64(s, 2)});
    if (rc != SQLITE_DONE)
        fail("counting the refused notifications", rc);
    return out;
}

} // namespace flywheel
