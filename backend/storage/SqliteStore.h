#pragma once

#include "storage/Migrations.h"
#include "storage/Store.h"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace flywheel {

/// Store on one SQLite file in WAL mode.
///
/// The file is owned by one store at a time (an advisory lock on it): a second
/// backend on the same file is refused with a clear message instead of interleaving
/// writes. Writes go through one connection; idempotency key lookups read through a
/// second, read-only one, so that they never wait for a commit.
/// Commits are synchronous=FULL, so a committed transaction survives a crash of the
/// process and of the machine.
class SqliteStore final : public Store {
public:
    /// The schema version this build writes. Older files are migrated in one
    /// transaction when opened; newer ones are refused.
    static constexpr int kSchemaVersion = kSqliteSchemaVersion;
    /// Rows purgeUsedJtis deletes per transaction (and per hold of the mutex).
    static constexpr std::int64_t kPurgeChunk = 512;

    /// Opens or creates the database and migrates it. Throws StorageError naming
    /// the file when it is corrupt, locked, unwritable or from a newer version;
    /// never replaces an existing file.
    static std::unique_ptr<SqliteStore> open(const std::string &path);
    /// Opens and migrates only up to `version`: for migration tests.
    static std::unique_ptr<SqliteStore> openAtVersion(const std::string &path, int version);

    ~SqliteStore() override;
    SqliteStore(const SqliteStore &) = delete;
    SqliteStore &operator=(const SqliteStore &) = delete;

    std::string location() const override { return m_path; }
    int schemaVersion() const override;
    bool isEmpty() override;
    void seed(DemoDataset &data) override;
    std::vector<Product> loadProducts() override;
    std::vector<User> loadUsers() override;
    void appendOrders(const std::vector<Order> &orders) override;
    void appendJournal(const std::vector<JournalEntry> &entries) override;
    std::optional<Order> loadOrder(std::int64_t orderId) override;
    std::vector<OrderFact> loadOrderFactsSince(TimePoint since) override;
    std::vector<inventory::Event> loadInventoryEvents(std::int64_t afterSeq) override;
    std::optional<inventory::LedgerSnapshot> loadInventorySnapshot() override;
    void saveInventorySnapshot(const inventory::LedgerSnapshot &snapshot, TimePoint takenAt) override;
    std::vector<orders::IdempotencyTable::Record> loadIdempotencyKeys(TimePoint since) override;
    std::optional<StoredIdempotencyKey> findIdempotencyKey(std::int64_t uid, const std::string &key,
                                                           TimePoint since) override;
    void forEachIdempotencyKey(
        TimePoint since,
        const std::function<bool(std::int64_t uid, std::string_view key, TimePoint createdAt)> &f) override;
    void setIdempotencyKeyRetention(Milliseconds retention) override;
    std::int64_t maxOrderId() override;
    std::int64_t orderCount() override;
    std::string currency() override;
    std::vector<RuleUsage> loadRuleUsage() override;
    void saveProfiles(const std::vector<StoredProfile> &profiles) override;
    std::vector<StoredProfile> loadProfiles() override;
    std::vector<std::pair<std::int64_t, std::int32_t>> loadPayCounts() override;
    std::vector<PurchaseSummary> loadPurchaseSummaries() override;
    void appendDeliveries(const std::vector<StoredDelivery> &deliveries) override;
    std::vector<StoredDelivery> loadDeliveriesSince(TimePoint since) override;
    std::int64_t purgeDeliveries(TimePoint cutoff) override;
    std::vector<std::optional<std::string>> appendReferral(const std::vector<ReferralWrite> &writes) override;
    void addFunnelCounts(const referral::Funnel::Changes &changes) override;
    ReferralState loadReferral(std::int64_t jtiFrom) override;
    std::optional<referral::Commission> loadCommission(std::int64_t id) override;
    std::int64_t purgeUsedJtis(std::int64_t before) override;
    std::vector<audit::Entry> appendAudits(const std::vector<audit::Entry> &drafts) override;
    std::vector<audit::Entry> auditEntries(const AuditQuery &query) override;
    std::vector<audit::Entry> auditChain() override;
    DocumentAppend appendDocumentVersion(const std::string &area, std::int64_t base, const StoredVersion &version,
                                         const std::optional<audit::Entry> &audit) override;
    std::optional<StoredVersion> documentVersion(const std::string &area, std::int64_t version) override;
    std::vector<StoredVersion> documentVersions(const std::string &area, int limit) override;
    std::int64_t writeExposures(const std::vector<StoredExposure> &exposures,
                                const std::vector<StoredExposure> &metrics) override;
    void forEachExposure(const std::function<void(const StoredExposure &)> &row) override;
    std::vector<subsidy::Grant> loadSubsidyGrants() override;
    std::vector<subsidy::DecisionRecord> loadSubsidyDecisions(TimePoint since) override;
    std::vector<PaidSkuHour> loadPaidSkuHours(TimePoint since) override;
    std::vector<std::pair<std::int32_t, std::int64_t>> loadSubsidyReasonCounts() override;

    // AlertStore (SqliteAlertStore.cpp)
    void appendAlertChange(const alerts::AlertChange &change) override;
    std::vector<alerts::AlertChange> loadAlertHistory(int limit) override;
    Inserted insertPayment(const payments::Payment &payment, const std::string &idempotencyKey) override;
    bool updatePayment(const PaymentChange &change) override;
    std::optional<payments::Payment> loadPayment(std::int64_t paymentId) override;
    std::optional<payments::Payment> findPaymentByOutTradeNo(const std::string &outTradeNo) override;
    std::optional<payments::Payment> findPaymentByKey(std::int64_t orderId, const std::string &idempotencyKey) override;
    std::vector<payments::Payment> loadOrderPayments(std::int64_t orderId) override;
    std::vector<payments::Payment> loadOpenPayments() override;
    std::vector<payments::Payment> loadPaymentsSettledSince(TimePoint since) override;
    payments::Refund insertRefund(const payments::Refund &refund) override;
    bool updateRefund(const RefundChange &change) override;
    std::optional<payments::Refund> findRefundByOutRefundNo(const std::string &outRefundNo) override;
    std::vector<payments::Refund> loadOrderRefunds(std::int64_t orderId) override;
    std::vector<payments::Refund> loadPendingRefunds() override;
    void recordRefusedNotification(const payments::RefusedNotification &refused) override;
    std::vector<payments::RefusedNotification> loadRefusedNotifications(int limit) override;
    std::vector<std::pair<std::pair<std::string, payments::RefusalReason>, std::int64_t>>
    loadRefusalCounts(TimePoint since) override;

    /// The value of a PRAGMA as text, e.g. "journal_mode" -> "wal".
    std::string pragma(const std::string &name);

private:
    SqliteStore(std::string path, sqlite3 *db);
    void migrateTo(int version);
    void prepareLocked();
    void insertOrdersLocked(const std::vector<Order> &orders);
    void insertOrderLocked(const Order &order);
    void insertEventsLocked(const std::vector<inventory::Event> &events);
    /// The inventory events a prepared and bound SELECT of their columns returns.
    std::vector<inventory::Event> readEventsLocked(sqlite3_stmt *stmt, const std::string &what);
    /// The audit entries a prepared and bound SELECT of kAuditColumns returns.
    std::vector<audit::Entry> readAuditEntriesLocked(sqlite3_stmt *stmt);
    void updateStatusLocked(const orders::OrderTransition &transition);
    void insertKeyLocked(const orders::IdempotencyTable::Record &record);
    // Subsidies (SqliteSubsidyStore.cpp), inside appendJournal's transaction.
    void prepareSubsidyLocked();
    /// The grant and its spend; StorageError when the user has a grant in force or
    /// the spend would pass the grant's budget (the whole batch is then refused).
    void insertGrantLocked(const subsidy::Grant &grant);
    void insertDecisionLocked(const subsidy::DecisionRecord &decision);
    /// Paid: the order's issued grant is redeemed. Cancelled or expired: it is
    /// released and its spend given back. Nothing for an order without one.
    void grantTransitionLocked(const orders::OrderTransition &transition);
    // Payments (SqlitePaymentStore.cpp). The guarded updates: true when the stored
    // payment (refund) was in one of change.from and is now change.after.
    bool updatePaymentLocked(const PaymentChange &change);
    bool updateRefundLocked(const RefundChange &change);
    /// The payments a prepared and bound SELECT of kPaymentColumns returns.
    std::vector<payments::Payment> readPaymentsLocked(sqlite3_stmt *stmt, const std::string &what);
    std::vector<payments::Refund> readRefundsLocked(sqlite3_stmt *stmt, const std::string &what);
    /// Deletes up to `limit` of the first keys (by rowid: the order they were
    /// stored in) that are older than `cutoffMs`.
    void purgeKeysLocked(std::int64_t cutoffMs, std::int64_t limit);
    // Maintained aggregates (schema 9): updated with the orders, in their
    // transaction, so that start-up reads them instead of counting every order.
    /// Counts `order` once for each rule that adjusted it.
    void addRuleUsageLocked(const Order &order);
    /// Adds `orders` new orders to the stored order count.
    void addOrderCountLocked(std::int64_t orders);
    /// Appends `drafts` as the next audit entries, inside the caller's write transaction.
    std::vector<audit::Entry> appendAuditsLocked(const std::vector<audit::Entry> &drafts);
    /// One version (`version` > 0) or the newest `limit` ones, inside the caller's lock.
    /// With `liveOnly`, the newest `limit` live versions (no candidates).
    std::vector<StoredVersion> readVersionsLocked(const char *table, std::int64_t version, int limit,
                                                  bool liveOnly = false);
    [[noreturn]] void fail(const std::string &what, int rc) const;
    [[noreturn]] void failOn(sqlite3 *db, const std::string &what, int rc) const;
    using Reader = std::unique_ptr<sqlite3, int (*)(sqlite3 *)>;
    /// A read-only connection of its own (WAL: it reads the last committed state), for a
    /// long read that must hold up neither the writer nor the idempotency lookups.
    Reader openReader(const std::string &what) const;
    void exec(const char *sql);
    std::int64_t scalar(const char *sql);
    /// `sql` prepared once and kept (frequent statements: parsing one costs more than
    /// running it); under m_mutex. StorageError naming `what` when it does not prepare.
    sqlite3_stmt *cachedLocked(const std::string &sql, const std::string &what);
    /// The same on the read-only connection (m_reader), under m_readMutex.
    sqlite3_stmt *cachedReaderLocked(const std::string &sql, const std::string &what);
    /// One payment by a bound SELECT of kPaymentColumns on the read-only connection.
    std::optional<payments::Payment> readPaymentOnReaderLocked(sqlite3_stmt *stmt, const std::string &what);

    const std::string m_path;
    sqlite3 *m_db;
    mutable std::mutex m_mutex;
    sqlite3_stmt *m_insertOrder = nullptr;
    sqlite3_stmt *m_insertEvent = nullptr;
    sqlite3_stmt *m_updateStatus = nullptr;
    sqlite3_stmt *m_insertKey = nullptr;
    sqlite3_stmt *m_oldestKey = nullptr;
    sqlite3_stmt *m_purgeKeys = nullptr;
    sqlite3_stmt *m_addRuleUsage = nullptr;
    sqlite3_stmt *m_addOrderCount = nullptr;
    sqlite3_stmt *m_insertGrant = nullptr;
    sqlite3_stmt *m_openSpend = nullptr;
    sqlite3_stmt *m_addSpend = nullptr;
    sqlite3_stmt *m_insertDecision = nullptr;
    sqlite3_stmt *m_redeemGrant = nullptr;
    sqlite3_stmt *m_releaseSpend = nullptr;
    sqlite3_stmt *m_releaseGrant = nullptr;
    std::unordered_map<std::string, sqlite3_stmt *> m_cached;
    Milliseconds m_keyRetention{0};
    /// The read-only connection and its key lookup, guarded by m_readMutex.
    sqlite3 *m_reader = nullptr;
    sqlite3_stmt *m_findKey = nullptr;
    std::unordered_map<std::string, sqlite3_stmt *> m_readerCached;
    std::mutex m_readMutex;
    /// Holds the advisory lock on the file; -1 when not held.
    int m_lockFd = -1;
    int m_version = 0;
};

} // namespace flywheel
