#include "storage/SqliteAuditReader.h"

#include "storage/Migrations.h"
#include "storage/SqliteAuditRows.h"
#include "storage/StoreCommon.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include <unistd.h>

namespace flywheel {

namespace {

/// The schema version that added audit_entries.
constexpr int kAuditSchemaVersion = 12;

struct CloseDb {
    void operator()(sqlite3 *db) const { sqlite3_close_v2(db); }
};

[[noreturn]] void failOn(sqlite3 *db, const std::string &path, const std::string &what)
{
    throw StorageError("database " + path + ": " + what + " failed: " +
                       (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

} // namespace

std::vector<audit::Entry> SqliteAuditReader::readChain(const std::string &path)
{
    if (path.empty())
        throw StorageError("database path is empty");
    if (::access(path.c_str(), F_OK) != 0)
        throw StorageError("database " + path + " does not exist");
    if (::access(path.c_str(), R_OK) != 0)
        throw StorageError("database " + path + " is not readable: " + std::strerror(errno));
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, CloseDb> db(raw);
    if (rc != SQLITE_OK)
        failOn(raw, path, "opening");
    sqlite3_busy_timeout(raw, 2000);
    int version = 0;
    {
        sqlite_detail::Statement stmt(raw, "PRAGMA user_version");
        if (stmt.prepareResult() != SQLITE_OK || sqlite3_step(stmt.get()) != SQLITE_ROW)
            throw StorageError("database " + path + " is not a Flywheel database or is corrupt (" +
                               sqlite3_errmsg(raw) + ")");
        version = sqlite3_column_int(stmt.get(), 0);
    }
    if (version == 0)
        throw StorageError("database " + path + " is not a Flywheel database (it has no schema version)");
    if (version > kSqliteSchemaVersion)
        throw StorageError("database " + path + " has schema version " + std::to_string(version) +
                           ", newer than this build understands (" + std::to_string(kSqliteSchemaVersion) +
                           "); use a newer Flywheel");
    if (version < kAuditSchemaVersion)
        throw StorageError("database " + path + " has schema version " + std::to_string(version) +
                           ", from before the audit log (version " + std::to_string(kAuditSchemaVersion) +
                           "); it has no audit entries to verify");
    const std::string sql = std::string("SELECT ") + sqlite_detail::kAuditColumns + " FROM audit_entries ORDER BY seq";
    sqlite_detail::Statement stmt(raw, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        failOn(raw, path, "reading the audit log");
    std::vector<audit::Entry> entries;
    int step = SQLITE_OK;
    while ((step = sqlite3_step(stmt.get())) == SQLITE_ROW)
        entries.push_back(sqlite_detail::readAuditEntry(stmt.get()));
    if (step != SQLITE_DONE)
        failOn(raw, path, "reading the audit log");
    return entries;
}

} // namespace flywheel
