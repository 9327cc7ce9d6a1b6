#pragma once

#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/Order.h"
#include "domain/orders/IdempotencyTable.h"
#include "domain/orders/OrderBook.h"
#include "storage/StoreCommon.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel {

/// An idempotency key as found in the database.
struct StoredIdempotencyKey {
    std::int64_t orderId = 0;
    TimePoint createdAt;
    /// SHA-256 of the request; nullopt for a key stored before schema version 9,
    /// which has only the 64-bit `legacyFingerprint` (legacyRequestFingerprint).
    std::optional<orders::RequestDigest> request;
    std::uint64_t legacyFingerprint = 0;
};

/// One change to store atomically with the others of its batch.
struct JournalEntry {
    /// A new order, as created (its id assigned).
    std::optional<Order> newOrder;
    /// A status change with the inventory events it caused.
    std::optional<orders::OrderTransition> transition;
    /// Inventory events of a new order or a receipt of stock.
    std::vector<inventory::Event> events;
    /// The idempotency key of the request that made this change.
    std::optional<orders::IdempotencyTable::Record> idempotency;
};

/// Orders: the journal of new orders, status changes and the inventory events and
/// idempotency keys that come with them; order lookups, paid-order facts, counts.
/// The journal also maintains the rule usage counts PricingStore::loadRuleUsage reads.
class OrderStore : public virtual StoreArea {
public:
    /// Appends orders in one transaction. When this returns, the orders survive a
    /// crash of the process; ids must already be assigned and unused.
    virtual void appendOrders(const std::vector<Order> &orders) = 0;
    /// Stores a batch of changes in one transaction; when this returns they survive
    /// a crash. All or nothing.
    virtual void appendJournal(const std::vector<JournalEntry> &entries) = 0;
    /// An order with its lines, adjustments and status; nullopt when there is none.
    virtual std::optional<Order> loadOrder(std::int64_t orderId) = 0;
    /// Orders paid after `since` (refunded ones included), by payment time.
    virtual std::vector<OrderFact> loadOrderFactsSince(TimePoint since) = 0;
    /// Idempotency keys stored at or after `since`. A key stored before schema
    /// version 9 has uid 0 and an all-zero request digest.
    virtual std::vector<orders::IdempotencyTable::Record> loadIdempotencyKeys(TimePoint since) = 0;
    /// The newest key `key` of user `uid` stored at or after `since`, nullopt when
    /// there is none. A key stored before schema version 9 (kept without a user)
    /// counts as the key of its order's buyer. Keys not indexed yet
    /// (maintainIdempotencyKeys) are searched only among those made at or before
    /// `unindexedUntil`: the caller holds the younger ones (its in-memory window),
    /// and the search stays an index seek plus a range of the unindexed list that is
    /// empty unless indexing fell behind. Reads on its own connection and does not
    /// wait for a commit in progress: the order path asks it for every key the
    /// in-memory window does not hold and the stored-key filter may.
    virtual std::optional<StoredIdempotencyKey> findIdempotencyKey(std::int64_t uid, const std::string &key,
                                                                   TimePoint since, TimePoint unindexedUntil) = 0;
    /// Hands every idempotency key stored at or after `since` to f(uid, key,
    /// createdAt), about oldest first, until f returns false; a key stored before
    /// schema version 9 as the key of its order's buyer. For the stored-key filter at start-up: it reads
    /// without holding up the writer or findIdempotencyKey for more than a chunk.
    virtual void forEachIdempotencyKey(
        TimePoint since, const std::function<bool(std::int64_t uid, std::string_view key, TimePoint createdAt)> &f) = 0;
    /// When the oldest key still to index, and the oldest key of all, were made;
    /// nullopt when there is none.
    struct IdempotencyKeyAges {
        std::optional<TimePoint> oldestUnindexed;
        std::optional<TimePoint> oldest;
    };
    virtual IdempotencyKeyAges idempotencyKeyAges() = 0;
    /// What one maintainIdempotencyKeys call did.
    struct KeyMaintenance {
        std::int64_t indexed = 0;
        std::int64_t purged = 0;
    };
    /// In one transaction: indexes up to `limit` of the oldest unindexed keys made
    /// before `indexBefore`, and deletes up to `limit` of the first stored keys (by
    /// the order they were stored in) made before `purgeBefore`. appendJournal
    /// stores keys unindexed and deletes none: the random (uid, key) index is
    /// written here, in bulk, many keys to a page, instead of a page per order in
    /// the orders' commits. Call it with a bounded `limit` until it does less than
    /// that: each call holds up the writer for one transaction.
    virtual KeyMaintenance maintainIdempotencyKeys(TimePoint indexBefore, TimePoint purgeBefore,
                                                   std::int64_t limit) = 0;
    virtual std::int64_t maxOrderId() = 0;
    virtual std::int64_t orderCount() = 0;
};

} // namespace flywheel
