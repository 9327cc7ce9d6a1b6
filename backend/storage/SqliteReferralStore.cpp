// SqliteStore: the ReferralStore area (programme versions, links, tokens, bindings, commissions, funnel).

#include "storage/SqliteStore.h"

#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

#include <functional>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

namespace {

referral::Commission readCommission(sqlite3_stmt *st)
{
    referral::Commission c;
    c.id = sqlite3_column_int64(st, 0);
    c.orderId = sqlite3_column_int64(st, 1);
    c.buyerUid = sqlite3_column_int64(st, 2);
    c.level1Uid = sqlite3_column_int64(st, 3);
    c.level2Uid = sqlite3_column_int64(st, 4);
    c.orderTotal = Money(sqlite3_column_int64(st, 5));
    c.state = referral::commissionStateFromName(text(st, 6)).value_or(referral::CommissionState::Pending);
    c.level1Amount = Money(sqlite3_column_int64(st, 7));
    c.level2Amount = Money(sqlite3_column_int64(st, 8));
    c.level1RateBp = sqlite3_column_int(st, 9);
    c.level2RateBp = sqlite3_column_int(st, 10);
    c.programVersion = sqlite3_column_int64(st, 11);
    c.createdAt = fromEpochMs(sqlite3_column_int64(st, 12));
    c.updatedAt = fromEpochMs(sqlite3_column_int64(st, 13));
    return c;
}

constexpr const char *kCommissionColumns =
    "id, order_id, buyer_uid, level1_uid, level2_uid, order_total_minor, state, level1_minor, level2_minor, "
    "level1_rate_bp, level2_rate_bp, program_version, created_at_ms, updated_at_ms";

} // namespace

std::vector<std::optional<std::string>> SqliteStore::appendReferral(const std::vector<ReferralWrite> &writes)
{
    std::vector<std::optional<std::string>> results(writes.size());
    if (writes.empty())
        return results;
    const std::lock_guard lock(m_mutex);
    Statement link(m_db, "INSERT OR IGNORE INTO invite_links (code, inviter_uid, campaign_id, channel, created_at_ms) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement jti(m_db, "INSERT INTO used_invite_tokens (jti, expires_at_s) VALUES (?1, ?2)");
    Statement binding(m_db, "INSERT INTO invite_bindings (uid, inviter_uid, registered_at_ms, campaign_id, channel, "
                            "jti, inviter_reward_minor, invitee_reward_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    Statement user(m_db, "INSERT INTO users (uid, registered_at_ms, device, region, install_channel) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement create(m_db, ("INSERT INTO commissions (" + std::string(kCommissionColumns) +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
                               .c_str());
    Statement update(m_db,
                     "UPDATE commissions SET state = ?1, level1_minor = ?2, level2_minor = ?3, updated_at_ms = ?4 "
                     "WHERE id = ?5 AND state = ?6");
    Statement history(m_db, "INSERT INTO commission_transitions (commission_id, from_state, to_state, at_ms, "
                            "level1_minor, level2_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (Statement *stmt : {&link, &jti, &binding, &user, &create, &update, &history}) {
        if (stmt->prepareResult() != SQLITE_OK)
            fail("preparing the referral writes", stmt->prepareResult());
    }
    // A refused write (a constraint) rolls back its own statements only: each write
    // runs inside a savepoint.
    const auto step = [this](Statement &stmt, const std::string &what) {
        const int rc = sqlite3_step(stmt.get());
        sqlite3_reset(stmt.get());
        sqlite3_clear_bindings(stmt.get());
        if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
            return std::optional<std::string>(what + ": " + sqlite3_errmsg(m_db));
        if (rc != SQLITE_DONE)
            fail(what, rc);
        return std::optional<std::string>();
    };
    std::vector<audit::Entry> audits;
    exec("BEGIN IMMEDIATE");
    try {
        for (std::size_t i = 0; i < writes.size(); ++i) {
            const ReferralWrite &w = writes[i];
            exec("SAVEPOINT w");
            std::optional<std::string> refused;
            if (w.link) {
                sqlite3_stmt *st = link.get();
                sqlite3_bind_text(st, 1, w.link->code.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 2, w.link->inviterUid);
                sqlite3_bind_text(st, 3, w.link->campaignId.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, w.link->channel.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 5, toEpochMs(w.link->createdAt));
                refused = step(link, "storing invite link " + w.link->code);
            } else if (w.usedJti) {
                sqlite3_bind_text(jti.get(), 1, w.usedJti->first.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(jti.get(), 2, w.usedJti->second);
                refused = step(jti, "invite token " + w.usedJti->first + " was used before");
            } else if (w.binding) {
                const referral::Binding &b = *w.binding;
                sqlite3_stmt *st = binding.get();
                sqlite3_bind_int64(st, 1, b.uid);
                sqlite3_bind_int64(st, 2, b.inviterUid);
                sqlite3_bind_int64(st, 3, toEpochMs(b.registeredAt));
                sqlite3_bind_text(st, 4, b.campaignId.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 5, b.channel.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 6, b.jti.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 7, w.inviterReward.minorUnits());
                sqlite3_bind_int64(st, 8, w.inviteeReward.minorUnits());
                refused = step(binding, "binding user " + std::to_string(b.uid));
                if (!refused && w.newUser) {
                    st = user.get();
                    sqlite3_bind_int64(st, 1, w.newUser->uid);
                    sqlite3_bind_int64(st, 2, toEpochMs(w.newUser->registeredAt));
                    sqlite3_bind_text(st, 3, deviceTypeName(w.newUser->device), -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 4, w.newUser->region.c_str(), -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 5, w.newUser->installChannel.c_str(), -1, SQLITE_STATIC);
                    refused = step(user, "user " + std::to_string(w.newUser->uid) + " is registered already");
                }
            } else if (w.newCommission) {
                const referral::Commission &c = *w.newCommission;
                sqlite3_stmt *st = create.get();
                sqlite3_bind_int64(st, 1, c.id);
                sqlite3_bind_int64(st, 2, c.orderId);
                sqlite3_bind_int64(st, 3, c.buyerUid);
                sqlite3_bind_int64(st, 4, c.level1Uid);
                sqlite3_bind_int64(st, 5, c.level2Uid);
                sqlite3_bind_int64(st, 6, c.orderTotal.minorUnits());
                sqlite3_bind_text(st, 7, referral::commissionStateName(c.state), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 8, c.level1Amount.minorUnits());
                sqlite3_bind_int64(st, 9, c.level2Amount.minorUnits());
                sqlite3_bind_int(st, 10, c.level1RateBp);
                sqlite3_bind_int(st, 11, c.level2RateBp);
                sqlite3_bind_int64(st, 12, c.programVersion);
                sqlite3_bind_int64(st, 13, toEpochMs(c.createdAt));
                sqlite3_bind_int64(st, 14, toEpochMs(c.updatedAt));
                refused = step(create, "storing the commission of order " + std::to_string(c.orderId));
            } else if (w.transitioned) {
                const referral::Commission &c = *w.transitioned;
                sqlite3_stmt *st = update.get();
                sqlite3_bind_text(st, 1, referral::commissionStateName(c.state), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 2, c.level1Amount.minorUnits());
                sqlite3_bind_int64(st, 3, c.level2Amount.minorUnits());
                sqlite3_bind_int64(st, 4, toEpochMs(c.updatedAt));
                sqlite3_bind_int64(st, 5, c.id);
                sqlite3_bind_text(st, 6, referral::commissionStateName(w.from), -1, SQLITE_STATIC);
                refused = step(update, "commission " + std::to_string(c.id));
                if (!refused && sqlite3_changes(m_db) != 1)
                    refused = "commission " + std::to_string(c.id) + " is not " +
                              referral::commissionStateName(w.from) + " in the database";
                if (!refused) {
                    st = history.get();
                    sqlite3_bind_int64(st, 1, c.id);
                    sqlite3_bind_text(st, 2, referral::commissionStateName(w.from), -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 3, referral::commissionStateName(c.state), -1, SQLITE_STATIC);
                    sqlite3_bind_int64(st, 4, toEpochMs(c.updatedAt));
                    sqlite3_bind_int64(st, 5, c.level1Amount.minorUnits());
                    sqlite3_bind_int64(st, 6, c.level2Amount.minorUnits());
                    refused = step(history, "commission " + std::to_string(c.id) + " was " +
                                                referral::commissionStateName(c.state) + " before");
                }
            }
            if (refused) {
                exec("ROLLBACK TO w");
                results[i] = std::move(refused);
            } else if (w.audit) {
                audits.push_back(*w.audit);
            }
            exec("RELEASE w");
        }
        // The stored changes' audit entries, in the same transaction.
        if (!audits.empty())
            appendAuditsLocked(audits);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return results;
}

void SqliteStore::addFunnelCounts(const referral::Funnel::Changes &changes)
{
    if (changes.empty())
        return;
    const std::lock_guard lock(m_mutex);
    Statement step(m_db, "INSERT INTO funnel_counts (campaign_id, channel, step, count) VALUES (?1, ?2, ?3, ?4) "
                         "ON CONFLICT (campaign_id, channel, step) DO UPDATE SET count = count + excluded.count");
    Statement refusal(m_db, "INSERT INTO refusal_counts (minute, reason, count) VALUES (?1, ?2, ?3) "
                            "ON CONFLICT (minute, reason) DO UPDATE SET count = count + excluded.count");
    if (step.prepareResult() != SQLITE_OK || refusal.prepareResult() != SQLITE_OK)
        fail("preparing the funnel counts",
             step.prepareResult() != SQLITE_OK ? step.prepareResult() : refusal.prepareResult());
    exec("BEGIN IMMEDIATE");
    try {
        for (const auto &[key, n] : changes.steps) {
            sqlite3_stmt *st = step.get();
            sqlite3_bind_text(st, 1, std::get<0>(key).c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, std::get<1>(key).c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, referral::funnelStepName(std::get<2>(key)), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, n);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing funnel counts", rc);
        }
        for (const auto &[key, n] : changes.refusals) {
            sqlite3_stmt *st = refusal.get();
            sqlite3_bind_int64(st, 1, key.first);
            sqlite3_bind_text(st, 2, referral::refusalName(key.second), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, n);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing refusal counts", rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

ReferralState SqliteStore::loadReferral(std::int64_t jtiFrom)
{
    const std::lock_guard lock(m_mutex);
    ReferralState state;
    const auto each = [this](const std::string &sql, const std::function<void(sqlite3_stmt *)> &row,
                             const std::function<void(sqlite3_stmt *)> &bind = {}) {
        Statement stmt(m_db, sql.c_str());
        if (stmt.prepareResult() != SQLITE_OK)
            fail("reading the referral data", stmt.prepareResult());
        if (bind)
            bind(stmt.get());
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
            row(stmt.get());
        if (rc != SQLITE_DONE)
            fail("reading the referral data", rc);
    };
    each("SELECT code, inviter_uid, campaign_id, channel, created_at_ms FROM invite_links", [&](sqlite3_stmt *st) {
        state.links.push_back(StoredInviteLink{text(st, 0), sqlite3_column_int64(st, 1), text(st, 2), text(st, 3),
                                               fromEpochMs(sqlite3_column_int64(st, 4))});
    });
    each(
        "SELECT jti, expires_at_s FROM used_invite_tokens WHERE expires_at_s >= ?1",
        [&](sqlite3_stmt *st) { state.usedJtis.emplace_back(text(st, 0), sqlite3_column_int64(st, 1)); },
        [&](sqlite3_stmt *st) { sqlite3_bind_int64(st, 1, jtiFrom); });
    each("SELECT uid, inviter_uid, registered_at_ms, campaign_id, channel, jti FROM invite_bindings "
         "ORDER BY registered_at_ms, uid",
         [&](sqlite3_stmt *st) {
             state.bindings.push_back(referral::Binding{sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                                        fromEpochMs(sqlite3_column_int64(st, 2)), text(st, 3),
                                                        text(st, 4), text(st, 5)});
         });
    each("SELECT " + std::string(kCommissionColumns) + " FROM commissions ORDER BY id",
         [&](sqlite3_stmt *st) { state.commissions.push_back(readCommission(st)); });
    each("SELECT campaign_id, channel, step, count FROM funnel_counts", [&](sqlite3_stmt *st) {
        const std::string step = text(st, 2);
        for (const auto s : {referral::FunnelStep::Share, referral::FunnelStep::Click, referral::FunnelStep::Register,
                             referral::FunnelStep::FirstOrder}) {
            if (step == referral::funnelStepName(s))
                state.funnel.emplace_back(text(st, 0), text(st, 1), s, sqlite3_column_int64(st, 3));
        }
    });
    each("SELECT minute, reason, count FROM refusal_counts", [&](sqlite3_stmt *st) {
        const std::string reason = text(st, 1);
        for (std::size_t r = 0; r < referral::kRefusalKinds; ++r) {
            const auto refusal = static_cast<referral::Refusal>(r);
            if (reason == referral::refusalName(refusal))
                state.refusals.emplace_back(sqlite3_column_int64(st, 0), refusal, sqlite3_column_int64(st, 2));
        }
    });
    return state;
}

std::optional<referral::Commission> SqliteStore::loadCommission(std::int64_t id)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, ("SELECT " + std::string(kCommissionColumns) + " FROM commissions WHERE id = ?1").c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading commission " + std::to_string(id), stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, id);
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW)
        return readCommission(stmt.get());
    if (rc != SQLITE_DONE)
        fail("reading commission " + std::to_string(id), rc);
    return std::nullopt;
}

std::int64_t SqliteStore::purgeUsedJtis(std::int64_t before)
{
    // In chunks, each its own transaction, taking the mutex for one chunk at a time:
    // an hour of expired tokens never holds up the order writer for long.
    std::int64_t purged = 0;
    for (;;) {
        const std::lock_guard lock(m_mutex);
        Statement stmt(m_db, "DELETE FROM used_invite_tokens WHERE rowid IN (SELECT rowid FROM used_invite_tokens "
                             "WHERE expires_at_s < ?1 ORDER BY expires_at_s LIMIT ?2)");
        if (stmt.prepareResult() != SQLITE_OK)
            fail("purging used invite tokens", stmt.prepareResult());
        sqlite3_bind_int64(stmt.get(), 1, before);
        sqlite3_bind_int64(stmt.get(), 2, kPurgeChunk);
        if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
            fail("purging used invite tokens", rc);
        const std::int64_t deleted = sqlite3_changes(m_db);
        purged += deleted;
        if (deleted < kPurgeChunk)
            return purged;
    }
}

} // namespace flywheel
