#pragma once

#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/Order.h"
#include "domain/orders/IdempotencyTable.h"
#include "domain/orders/OrderBook.h"
#include "domain/subsidy/Grant.h"
#include "storage/PaymentStore.h"
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
    /// With a new order: its first-order subsidy, stored in the same transaction
    /// (SubsidyStore: at most one in force per user, spend within the budget).
    std::optional<subsidy::Grant> subsidyGrant;
    /// With a new order: the first-order decision and its inputs.
    std::optional<subsidy::DecisionRecord> subsidyDecision;
    /// A payment's change (the success that pays the order, with `transition`, or
    /// alone: a payment that succeeded for an order no longer payable). Guarded
    /// like PaymentStore::updatePayment; when the stored payment is no longer in
    /// one of its `from` states, the whole batch is refused (StorageError).
    std::optional<PaymentChange> payment;
    /// A refund's change (the provider's confirmation, with the paid -> refunded
    /// transition). Guarded the same way.
    std::optional<RefundChange> refund;
};

/// Orders: the journal of new orders, status changes and the inventory events and
/// idempotency keys that come with them; order lookups, paid-order facts, counts.
/// The journal also maintains the rule usage counts PricingStore::loadRuleUsage reads,
/// and the subsidy grants, spend and decisions SubsidyStore reads: a paid order's
/// grant is redeemed, a cancelled or expired one's released (its spend given back)
/// in the transition's transaction.
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
    /// counts as the key of its order's buyer. An index lookup that does not wait
    /// for a commit in progress: the order path asks it for every key the
    /// in-memory window does not hold.
    virtual std::optional<StoredIdempotencyKey> findIdempotencyKey(std::int64_t uid, const std::string &key,
                                                                   TimePoint since) = 0;
    /// Hands every idempotency key stored at or after `since` to f(uid, key,
    /// createdAt), about oldest first, until f returns false; a key stored before
    /// schema version 9 as the key of its order's buyer. For the stored-key filter at start-up: it reads
    /// without holding up the writer or findIdempotencyKey for more than a chunk.
    virtual void forEachIdempotencyKey(
        TimePoint since, const std::function<bool(std::int64_t uid, std::string_view key, TimePoint createdAt)> &f) = 0;
    /// From now on, appendJournal deletes idempotency keys stored more than
    /// `retention` before the newest key of its batch, in the batch's transaction and
    /// a few more than the batch adds: the table stays a retention's worth of keys
    /// without a sweep that would hold up the orders behind it. A key may be kept a
    /// little longer than `retention`, never less. Zero (the start) keeps every key.
    virtual void setIdempotencyKeyRetention(Milliseconds retention) = 0;
    virtual std::int64_t maxOrderId() = 0;
    virtual std::int64_t orderCount() = 0;
};

} // namespace flywheel
