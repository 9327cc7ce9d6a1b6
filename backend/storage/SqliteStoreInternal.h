#pragma once

// Private to the SqliteStore*.cpp files: what the definitions of SqliteStore's areas share.

#include "domain/Clock.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/Order.h"

#include <sqlite3.h>

#include <string>

namespace flywheel::sqlite_detail {

// Status and event codes as stored; append only.
inline int statusCode(OrderStatus status)
{
    return static_cast<int>(status); // created 0, paid 1, cancelled 2, expired 3, refunded 4
}
inline int eventCode(inventory::EventType type)
{
    return static_cast<int>(type); // received 0, reserved 1, confirmed 2, released 3
}
inline int reasonCode(inventory::ReleaseReason reason)
{
    return static_cast<int>(reason); // none 0, cancelled 1, expired 2, refunded 3
}

/// A statement of SqliteStore's cache (prepared once per SQL text): reset and its
/// bindings cleared when this goes out of scope, so that a statement left stepping
/// (an error between two rows) does not keep its read transaction open.
class CachedStatement final {
public:
    explicit CachedStatement(sqlite3_stmt *stmt) : m_stmt(stmt) {}
    ~CachedStatement()
    {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    CachedStatement(const CachedStatement &) = delete;
    CachedStatement &operator=(const CachedStatement &) = delete;
    sqlite3_stmt *get() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt;
};

/// A prepared statement that finalizes itself.
class Statement final {
public:
    Statement(sqlite3 *db, const char *sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    int prepareResult() const { return m_rc; }
    sqlite3_stmt *get() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
};

inline std::string text(sqlite3_stmt *stmt, int column)
{
    const unsigned char *value = sqlite3_column_text(stmt, column);
    return value == nullptr ? std::string() : std::string(reinterpret_cast<const char *>(value));
}

inline void bindTime(sqlite3_stmt *stmt, int index, TimePoint t)
{
    if (t == TimePoint{})
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_int64(stmt, index, toEpochMs(t));
}

inline TimePoint columnTime(sqlite3_stmt *stmt, int column)
{
    return sqlite3_column_type(stmt, column) == SQLITE_NULL ? TimePoint{}
                                                            : fromEpochMs(sqlite3_column_int64(stmt, column));
}

/// The tables of versioned sets; the only table names versionTable() accepts.
inline constexpr const char *kRuleSetTable = "rule_set_versions";
inline constexpr const char *kSegmentSetTable = "segment_set_versions";
inline constexpr const char *kProgramTable = "referral_program_versions";
inline constexpr const char *kExperimentSetTable = "experiment_set_versions";
inline constexpr const char *kSubsidyConfigTable = "subsidy_config_versions";
inline constexpr const char *kPaymentChannelTable = "payment_channel_versions";
inline constexpr const char *kAlertThresholdTable = "alert_threshold_versions";

} // namespace flywheel::sqlite_detail
