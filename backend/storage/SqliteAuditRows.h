#pragma once

// Private to SqliteAuditStore.cpp and SqliteAuditReader.cpp: how an audit entry is
// stored in the audit_entries table (schema 12).

#include "domain/audit/Entry.h"
#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

#include <cstring>

namespace flywheel::sqlite_detail {

/// The columns, in the order readAuditEntry reads them.
inline constexpr const char *kAuditColumns = "seq, at_ms, actor_name, actor_role, actor_peer, area, object, version, "
                                             "before, after, reason, prev_hash, hash";

/// A hash column; all zero when the stored blob is not 32 bytes long (which makes
/// verification report the entry).
inline audit::Hash columnHash(sqlite3_stmt *stmt, int column)
{
    audit::Hash hash{};
    const void *blob = sqlite3_column_blob(stmt, column);
    if (blob != nullptr && sqlite3_column_bytes(stmt, column) == static_cast<int>(hash.size()))
        std::memcpy(hash.data(), blob, hash.size());
    return hash;
}

/// The entry in the current row of a SELECT of kAuditColumns.
inline audit::Entry readAuditEntry(sqlite3_stmt *stmt)
{
    audit::Entry e;
    e.seq = sqlite3_column_int64(stmt, 0);
    e.at = fromEpochMs(sqlite3_column_int64(stmt, 1));
    e.actor = audit::Actor{text(stmt, 2), text(stmt, 3), text(stmt, 4)};
    e.area = text(stmt, 5);
    e.object = text(stmt, 6);
    e.version = sqlite3_column_int64(stmt, 7);
    e.before = text(stmt, 8);
    e.after = text(stmt, 9);
    e.reason = text(stmt, 10);
    e.prevHash = columnHash(stmt, 11);
    e.hash = columnHash(stmt, 12);
    return e;
}

} // namespace flywheel::sqlite_detail
