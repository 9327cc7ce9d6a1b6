#pragma once

namespace flywheel {

/// The schema version the SQLite store writes: the number of migrations.
inline constexpr int kSqliteSchemaVersion = 19;

/// The SQL script that migrates an SQLite store from `version - 1` to `version`
/// (1 to kSqliteSchemaVersion). Scripts are appended, never edited: a database
/// is at version N exactly when the first N scripts ran on it.
const char *sqliteMigration(int version);

} // namespace flywheel
