#pragma once

#include "domain/audit/Entry.h"

#include <string>
#include <vector>

namespace flywheel {

/// Reads the audit log of an SQLite database without changing it: opened read-only,
/// not locked, not migrated. For `flywheeld audit verify` on a stopped daemon's file.
class SqliteAuditReader final {
public:
    /// Every entry, by seq. Throws StorageError naming the file when it does not
    /// exist, cannot be read, is not a Flywheel database, or has a schema without
    /// the audit log (older than 13) or newer than this build.
    static std::vector<audit::Entry> readChain(const std::string &path);
};

} // namespace flywheel
