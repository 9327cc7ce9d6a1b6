// SqliteStore: the SubsidyStore area (grants, campaign spend, decisions), written in
// the orders' transactions by appendJournal.

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <memory>

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::bindTime;
using sqlite_detail::columnTime;
using sqlite_detail::Statement;
using sqlite_detail::statusCode;
using sqlite_detail::text;

namespace {

/// The spend row of a campaign's total.
constexpr std::int64_t kTotalDay = -1;

void bindText(sqlite3_stmt *stmt, int index, const std::string &value)
{
    sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

} // namespace

void SqliteStore::prepareSubsidyLocked()
{
    if (m_insertGrant != nullptr)
        return;
    const auto prepare = [this](const char *sql, sqlite3_stmt **stmt, const char *what) {
        if (const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr); rc != SQLITE_OK)
            fail(what, rc);
    };
    prepare("INSERT INTO subsidy_grants (order_id, uid, campaign_id, channel, amount_minor, day, reason, status, "
            "created_at_ms, order_total_minor, experiment_key, variant_key, config_version) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?11, ?12)",
            &m_insertGrant, "preparing the subsidy grant insert");
    prepare("INSERT INTO subsidy_spend (campaign_id, day, spent_minor) VALUES (?1, ?2, 0) "
            "ON CONFLICT (campaign_id, day) DO NOTHING",
            &m_openSpend, "preparing the subsidy spend row");
    // The guard: the spend rises only while it stays within the budget.
    prepare("UPDATE subsidy_spend SET spent_minor = spent_minor + ?3 "
            "WHERE campaign_id = ?1 AND day = ?2 AND spent_minor + ?3 <= ?4",
            &m_addSpend, "preparing the subsidy spend update");
    prepare("INSERT INTO subsidy_decisions (at_ms, uid, order_id, channel, category, active_days, past_orders, "
            "risk_score, category_average_minor, category_orders, order_total_minor, p99_ms, reason, amount_minor, "
            "campaign_id, config_version, experiment_key, variant_key) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            &m_insertDecision, "preparing the subsidy decision insert");
    prepare("UPDATE subsidy_grants SET status = 1, redeemed_at_ms = ?2 WHERE order_id = ?1 AND status = 0",
            &m_redeemGrant, "preparing the subsidy redemption");
    prepare("UPDATE subsidy_spend SET spent_minor = subsidy_spend.spent_minor - g.amount_minor "
            "FROM (SELECT campaign_id, day, amount_minor FROM subsidy_grants WHERE order_id = ?1 AND status = 0) AS g "
            "WHERE subsidy_spend.campaign_id = g.campaign_id AND subsidy_spend.day IN (g.day, -1)",
            &m_releaseSpend, "preparing the subsidy give-back");
    prepare("UPDATE subsidy_grants SET status = 2, closed_at_ms = ?2 WHERE order_id = ?1 AND status = 0",
            &m_releaseGrant, "preparing the subsidy release");
}

void SqliteStore::insertGrantLocked(const subsidy::Grant &g)
{
    prepareSubsidyLocked();
    sqlite3_bind_int64(m_insertGrant, 1, g.orderId);
    sqlite3_bind_int64(m_insertGrant, 2, g.uid);
    bindText(m_insertGrant, 3, g.campaignId);
    bindText(m_insertGrant, 4, g.channel);
    sqlite3_bind_int64(m_insertGrant, 5, g.amount.minorUnits());
    sqlite3_bind_int64(m_insertGrant, 6, g.day);
    sqlite3_bind_int(m_insertGrant, 7, static_cast<int>(g.reason));
    sqlite3_bind_int64(m_insertGrant, 8, toEpochMs(g.createdAt));
    sqlite3_bind_int64(m_insertGrant, 9, g.orderTotal.minorUnits());
    bindText(m_insertGrant, 10, g.experimentKey);
    bindText(m_insertGrant, 11, g.variantKey);
    sqlite3_bind_int64(m_insertGrant, 12, g.configVersion);
    int rc = sqlite3_step(m_insertGrant);
    sqlite3_reset(m_insertGrant);
    if (rc == SQLITE_CONSTRAINT)
        throw StorageError("database " + m_path + ": user " + std::to_string(g.uid) +
                           " already has a first-order subsidy in force (or order " + std::to_string(g.orderId) +
                           " has one), so order " + std::to_string(g.orderId) + " is not stored");
    if (rc != SQLITE_DONE)
        fail("storing the subsidy of order " + std::to_string(g.orderId), rc);
    for (const auto &[day, budget] : {std::pair{g.day, g.dailyBudget}, std::pair{kTotalDay, g.totalBudget}}) {
        bindText(m_openSpend, 1, g.campaignId);
        sqlite3_bind_int64(m_openSpend, 2, day);
        rc = sqlite3_step(m_openSpend);
        sqlite3_reset(m_openSpend);
        if (rc != SQLITE_DONE)
            fail("opening the spend of campaign " + g.campaignId, rc);
        bindText(m_addSpend, 1, g.campaignId);
        sqlite3_bind_int64(m_addSpend, 2, day);
        sqlite3_bind_int64(m_addSpend, 3, g.amount.minorUnits());
        sqlite3_bind_int64(m_addSpend, 4, budget.minorUnits());
        rc = sqlite3_step(m_addSpend);
        sqlite3_reset(m_addSpend);
        if (rc != SQLITE_DONE)
            fail("adding to the spend of campaign " + g.campaignId, rc);
        if (sqlite3_changes(m_db) != 1)
            throw StorageError("database " + m_path + ": the subsidy of order " + std::to_string(g.orderId) +
                               " would take campaign " + g.campaignId + " over its " +
                               (day == kTotalDay ? "total" : "daily") + " budget of " +
                               std::to_string(budget.minorUnits()) + ", so the order is not stored");
    }
}

void SqliteStore::insertDecisionLocked(const subsidy::DecisionRecord &d)
{
    prepareSubsidyLocked();
    sqlite3_stmt *s = m_insertDecision;
    sqlite3_bind_int64(s, 1, toEpochMs(d.at));
    sqlite3_bind_int64(s, 2, d.uid);
    sqlite3_bind_int64(s, 3, d.orderId);
    bindText(s, 4, d.inputs.channel);
    bindText(s, 5, d.inputs.category);
    sqlite3_bind_int(s, 6, d.inputs.activeDaysLast7);
    sqlite3_bind_int(s, 7, d.inputs.pastPaidOrders);
    sqlite3_bind_int(s, 8, d.inputs.riskScore);
    sqlite3_bind_int64(s, 9, d.inputs.categoryAverage.minorUnits());
    sqlite3_bind_int64(s, 10, d.inputs.categoryOrders);
    sqlite3_bind_int64(s, 11, d.inputs.orderTotal.minorUnits());
    sqlite3_bind_double(s, 12, d.inputs.orderP99Ms);
    sqlite3_bind_int(s, 13, static_cast<int>(d.reason));
    sqlite3_bind_int64(s, 14, d.amount.minorUnits());
    bindText(s, 15, d.campaignId);
    sqlite3_bind_int64(s, 16, d.configVersion);
    bindText(s, 17, d.experimentKey);
    bindText(s, 18, d.variantKey);
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        fail("storing the subsidy decision of order " + std::to_string(d.orderId), rc);
}

void SqliteStore::grantTransitionLocked(const orders::OrderTransition &t)
{
    if (t.to != OrderStatus::Paid && t.to != OrderStatus::Cancelled && t.to != OrderStatus::Expired)
        return;
    prepareSubsidyLocked();
    const auto run = [&](sqlite3_stmt *stmt, bool withTime, const char *what) {
        sqlite3_bind_int64(stmt, 1, t.orderId);
        if (withTime)
            sqlite3_bind_int64(stmt, 2, toEpochMs(t.at));
        const int rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE)
            fail(std::string(what) + " of order " + std::to_string(t.orderId), rc);
    };
    if (t.to == OrderStatus::Paid) {
        run(m_redeemGrant, true, "redeeming the subsidy");
        return;
    }
    run(m_releaseSpend, false, "giving back the subsidy spend");
    run(m_releaseGrant, true, "releasing the subsidy");
}

std::vector<subsidy::Grant> SqliteStore::loadSubsidyGrants()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT order_id, uid, campaign_id, channel, amount_minor, day, reason, status, created_at_ms, "
                         "redeemed_at_ms, closed_at_ms, order_total_minor, experiment_key, variant_key, config_version "
                         "FROM subsidy_grants ORDER BY order_id");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the subsidy grants", stmt.prepareResult());
    std::vector<subsidy::Grant> grants;
    int rc = SQLITE_OK;
    sqlite3_stmt *s = stmt.get();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        subsidy::Grant g;
        g.orderId = sqlite3_column_int64(s, 0);
        g.uid = sqlite3_column_int64(s, 1);
        g.campaignId = text(s, 2);
        g.channel = text(s, 3);
        g.amount = Money(sqlite3_column_int64(s, 4));
        g.day = sqlite3_column_int64(s, 5);
        g.reason = static_cast<subsidy::Reason>(sqlite3_column_int(s, 6));
        g.status = static_cast<subsidy::GrantStatus>(sqlite3_column_int(s, 7));
        g.createdAt = fromEpochMs(sqlite3_column_int64(s, 8));
        g.redeemedAt = columnTime(s, 9);
        g.closedAt = columnTime(s, 10);
        g.orderTotal = Money(sqlite3_column_int64(s, 11));
        g.experimentKey = text(s, 12);
        g.variantKey = text(s, 13);
        g.configVersion = sqlite3_column_int64(s, 14);
        grants.push_back(std::move(g));
    }
    if (rc != SQLITE_DONE)
        fail("reading the subsidy grants", rc);
    return grants;
}

SqliteStore::Reader SqliteStore::openReader(const std::string &what) const
{
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    Reader connection(db, sqlite3_close);
    if (rc != SQLITE_OK)
        failOn(db, "opening a connection for " + what, rc);
    sqlite3_busy_timeout(db, 2000);
    return connection;
}

std::vector<subsidy::DecisionRecord> SqliteStore::loadSubsidyDecisions(TimePoint since)
{
    // A replay reads up to 7 days of decisions: on a reader, not under the writer's lock.
    const Reader db = openReader("reading the subsidy decisions");
    Statement stmt(db.get(), "SELECT at_ms, uid, order_id, channel, category, active_days, past_orders, risk_score, "
                         "category_average_minor, category_orders, order_total_minor, p99_ms, reason, amount_minor, "
                         "campaign_id, config_version, experiment_key, variant_key FROM subsidy_decisions "
                         "WHERE at_ms >= ?1 ORDER BY at_ms, id");
    if (stmt.prepareResult() != SQLITE_OK)
        failOn(db.get(), "reading the subsidy decisions", stmt.prepareResult());
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int64(s, 1, toEpochMs(since));
    std::vector<subsidy::DecisionRecord> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        subsidy::DecisionRecord d;
        d.at = fromEpochMs(sqlite3_column_int64(s, 0));
        d.uid = sqlite3_column_int64(s, 1);
        d.orderId = sqlite3_column_int64(s, 2);
        d.inputs.channel = text(s, 3);
        d.inputs.category = text(s, 4);
        d.inputs.activeDaysLast7 = sqlite3_column_int(s, 5);
        d.inputs.pastPaidOrders = sqlite3_column_int(s, 6);
        d.inputs.riskScore = sqlite3_column_int(s, 7);
        d.inputs.categoryAverage = Money(sqlite3_column_int64(s, 8));
        d.inputs.categoryOrders = sqlite3_column_int64(s, 9);
        d.inputs.orderTotal = Money(sqlite3_column_int64(s, 10));
        d.inputs.orderP99Ms = sqlite3_column_double(s, 11);
        d.reason = static_cast<subsidy::Reason>(sqlite3_column_int(s, 12));
        d.amount = Money(sqlite3_column_int64(s, 13));
        d.campaignId = text(s, 14);
        d.configVersion = sqlite3_column_int64(s, 15);
        d.experimentKey = text(s, 16);
        d.variantKey = text(s, 17);
        out.push_back(std::move(d));
    }
    if (rc != SQLITE_DONE)
        failOn(db.get(), "reading the subsidy decisions", rc);
    return out;
}

std::vector<std::pair<std::int32_t, std::int64_t>> SqliteStore::loadSubsidyReasonCounts()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT reason, COUNT(*) FROM subsidy_decisions GROUP BY reason");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("counting the subsidy decisions", stmt.prepareResult());
    std::vector<std::pair<std::int32_t, std::int64_t>> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        out.emplace_back(sqlite3_column_int(stmt.get(), 0), sqlite3_column_int64(stmt.get(), 1));
    if (rc != SQLITE_DONE)
        fail("counting the subsidy decisions", rc);
    return out;
}

std::vector<PaidSkuHour> SqliteStore::loadPaidSkuHours(TimePoint since)
{
    // Aggregated by SQLite (its JSON functions read the lines), so the caller gets a
    // few thousand rows instead of every order of the last 30 days. Lines are
    // [sku, quantity, unit price]; an order whose lines are not valid JSON counts
    // without a SKU. On a connection of its own (WAL: it reads the last committed
    // state), so that the seconds this takes on millions of orders hold up neither
    // the writer nor the idempotency lookups.
    const Reader db = openReader("reading the paid orders");
    Statement stmt(db.get(), "SELECT CASE WHEN json_valid(o.lines) THEN "
                         "(SELECT json_extract(l.value, '$[0]') FROM json_each(o.lines) AS l "
                         "ORDER BY json_extract(l.value, '$[1]') * json_extract(l.value, '$[2]') DESC, l.key "
                         "LIMIT 1) END AS sku, o.paid_at_ms / 3600000 AS hour, COUNT(*), SUM(o.total_minor) "
                         "FROM orders AS o WHERE o.paid_at_ms > ?1 GROUP BY sku, hour");
    if (stmt.prepareResult() != SQLITE_OK)
        failOn(db.get(), "reading the paid orders", stmt.prepareResult());
    sqlite3_stmt *s = stmt.get();
    sqlite3_bind_int64(s, 1, toEpochMs(since));
    std::vector<PaidSkuHour> out;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        out.push_back(PaidSkuHour{text(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                                  sqlite3_column_int64(s, 3)});
    if (rc != SQLITE_DONE)
        failOn(db.get(), "reading the paid orders", rc);
    return out;
}

} // namespace flywheel
