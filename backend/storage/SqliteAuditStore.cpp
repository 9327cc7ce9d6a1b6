// SqliteStore: the AuditStore area (the hash-chained audit log, schema 12).

#include "storage/SqliteStore.h"

#include "domain/audit/EntryHash.h"
#include "storage/SqliteAuditRows.h"
#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

namespace flywheel {

using sqlite_detail::Statement;

namespace {

void bindText(sqlite3_stmt *stmt, int index, const std::string &value)
{
    sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

void bindHash(sqlite3_stmt *stmt, int index, const audit::Hash &hash)
{
    sqlite3_bind_blob(stmt, index, hash.data(), static_cast<int>(hash.size()), SQLITE_STATIC);
}

} // namespace

std::vector<audit::Entry> SqliteStore::appendAudits(const std::vector<audit::Entry> &drafts)
{
    if (drafts.empty())
        return {};
    const std::lock_guard lock(m_mutex);
    exec("BEGIN IMMEDIATE");
    std::vector<audit::Entry> entries;
    try {
        entries = appendAuditsLocked(drafts);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return entries;
}

std::vector<audit::Entry> SqliteStore::appendAuditsLocked(const std::vector<audit::Entry> &drafts)
{
    // The last entry is read and the next one written in the caller's write
    // transaction: no other connection can append in between, and the database's
    // chain trigger (schema 13) refuses an entry that does not continue the chain.
    std::vector<audit::Entry> entries = drafts;
    std::int64_t lastSeq = 0;
    audit::Hash lastHash = audit::kGenesisHash;
    {
        Statement last(m_db, "SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
        if (last.prepareResult() != SQLITE_OK)
            fail("reading the last audit entry", last.prepareResult());
        const int rc = sqlite3_step(last.get());
        if (rc == SQLITE_ROW) {
            lastSeq = sqlite3_column_int64(last.get(), 0);
            lastHash = sqlite_detail::columnHash(last.get(), 1);
        } else if (rc != SQLITE_DONE) {
            fail("reading the last audit entry", rc);
        }
    }
    Statement insert(m_db, "INSERT INTO audit_entries (seq, at_ms, actor_name, actor_role, actor_peer, area, "
                           "object, version, before, after, reason, prev_hash, hash) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (insert.prepareResult() != SQLITE_OK)
        fail("preparing the audit insert", insert.prepareResult());
    for (audit::Entry &entry : entries) {
        audit::seal(entry, lastSeq + 1, lastHash);
        sqlite3_bind_int64(insert.get(), 1, entry.seq);
        sqlite3_bind_int64(insert.get(), 2, toEpochMs(entry.at));
        bindText(insert.get(), 3, entry.actor.name);
        bindText(insert.get(), 4, entry.actor.role);
        bindText(insert.get(), 5, entry.actor.peer);
        bindText(insert.get(), 6, entry.area);
        bindText(insert.get(), 7, entry.object);
        sqlite3_bind_int64(insert.get(), 8, entry.version);
        bindText(insert.get(), 9, entry.before);
        bindText(insert.get(), 10, entry.after);
        bindText(insert.get(), 11, entry.reason);
        bindHash(insert.get(), 12, entry.prevHash);
        bindHash(insert.get(), 13, entry.hash);
        if (const int rc = sqlite3_step(insert.get()); rc != SQLITE_DONE)
            fail("appending audit entry " + std::to_string(entry.seq), rc);
        sqlite3_reset(insert.get());
        lastSeq = entry.seq;
        lastHash = entry.hash;
    }
    return entries;
}

std::vector<audit::Entry> SqliteStore::auditEntries(const AuditQuery &query)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = std::string("SELECT ") + sqlite_detail::kAuditColumns +
                            " FROM audit_entries"
                            " WHERE (?1 = '' OR area = ?1) AND (?2 = '' OR actor_name = ?2)"
                            " AND (?3 IS NULL OR at_ms >= ?3) AND (?4 IS NULL OR at_ms < ?4)"
                            " AND (?5 = 0 OR seq < ?5)"
                            " ORDER BY seq DESC LIMIT ?6";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the audit log", stmt.prepareResult());
    bindText(stmt.get(), 1, query.area);
    bindText(stmt.get(), 2, query.actorName);
    sqlite_detail::bindTime(stmt.get(), 3, query.from);
    sqlite_detail::bindTime(stmt.get(), 4, query.until);
    sqlite3_bind_int64(stmt.get(), 5, query.beforeSeq);
    sqlite3_bind_int(stmt.get(), 6, query.limit);
    return readAuditEntriesLocked(stmt.get());
}

std::vector<audit::Entry> SqliteStore::readAuditEntriesLocked(sqlite3_stmt *stmt)
{
    std::vector<audit::Entry> entries;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        entries.push_back(sqlite_detail::readAuditEntry(stmt));
    if (rc != SQLITE_DONE)
        fail("reading the audit log", rc);
    return entries;
}

std::vector<audit::Entry> SqliteStore::auditChain()
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = std::string("SELECT ") + sqlite_detail::kAuditColumns + " FROM audit_entries ORDER BY seq";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the audit log", stmt.prepareResult());
    return readAuditEntriesLocked(stmt.get());
}

} // namespace flywheel
