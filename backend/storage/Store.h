#pragma once

#include "domain/Catalog.h"
#include "domain/DemoData.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/Order.h"
#include "domain/orders/IdempotencyTable.h"
#include "domain/orders/OrderBook.h"
#include "domain/referral/CommissionLedger.h"
#include "domain/referral/Funnel.h"
#include "domain/referral/InviteGraph.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace flywheel {

/// A storage failure. The message names the database and says what went wrong in
/// words an operator can act on.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One saved version of a set the operators edit (pricing rules, segments), as YAML text.
struct StoredVersion {
    std::int64_t version = 0;
    std::string yaml;
    std::string reason;
    /// "console", "file", "rollback" or "initial".
    std::string source;
    TimePoint createdAt;
};
using StoredRuleSet = StoredVersion;
using StoredSegmentSet = StoredVersion;
using StoredProgram = StoredVersion;

/// A user's invite link for a campaign and channel.
struct StoredInviteLink {
    std::string code;
    std::int64_t inviterUid = 0;
    std::string campaignId;
    std::string channel;
    TimePoint createdAt;
};

/// One referral change to store with the others of its batch. Exactly one member is set.
struct ReferralWrite {
    std::optional<StoredInviteLink> link;
    /// A used invite token: jti and expiry (Unix seconds). The database refuses a jti twice.
    std::optional<std::pair<std::string, std::int64_t>> usedJti;
    /// A registration through an invite, with the rewards granted (minor units).
    std::optional<referral::Binding> binding;
    /// With a binding: the new user (device, region; install channel "invite").
    std::optional<User> newUser;
    Money inviterReward;
    Money inviteeReward;
    /// A new pending commission.
    std::optional<referral::Commission> newCommission;
    /// A commission after a transition from `from`. Stored only when the stored
    /// state is `from`; each state is reached at most once (the database enforces it).
    std::optional<referral::Commission> transitioned;
    referral::CommissionState from = referral::CommissionState::Pending;
};

/// Everything referral keeps, as loaded at start.
struct ReferralState {
    std::vector<StoredInviteLink> links;
    std::vector<std::pair<std::string, std::int64_t>> usedJtis;
    std::vector<referral::Binding> bindings;
    std::vector<referral::Commission> commissions;
    std::vector<std::tuple<std::string, std::string, referral::FunnelStep, std::int64_t>> funnel;
    std::vector<std::tuple<std::int64_t, referral::Refusal, std::int64_t>> refusals;
};

/// A user profile as stored: strings instead of dictionary ids.
struct StoredProfile {
    std::int64_t uid = 0;
    std::int32_t registeredDay = 0;
    std::int32_t lastActiveDay = 0;
    std::uint32_t activeDays = 0;
    std::int32_t payCount = 0;
    std::int32_t sessionDepth = 0;
    std::int64_t sessionAtMs = 0;
    std::string device;
    std::string region;
    std::string installChannel;
    bool registered = false;
    bool paid = false;
    std::vector<std::pair<std::string, double>> tags;
    friend bool operator==(const StoredProfile &, const StoredProfile &) = default;
};

struct PurchaseSummary {
    std::int64_t uid = 0;
    std::string category;
    std::int32_t orders = 0;
    TimePoint lastAt;
};

/// One message sent by reach, as stored (what frequency caps count after a restart).
struct StoredDelivery {
    std::int64_t uid = 0;
    std::string segmentId;
    /// "push", "sms" or "in_app".
    std::string channel;
    TimePoint at;
    std::int64_t setVersion = 0;
    /// Empty until handed to the channel's sender, then "sent" or "failed".
    std::string status;
    /// Why the sender refused the message, when failed.
    std::string error;
    friend bool operator==(const StoredDelivery &, const StoredDelivery &) = default;
};

/// How often a rule has applied to a user's orders (per-user limits).
struct RuleUsage {
    std::int64_t uid = 0;
    std::string ruleId;
    int count = 0;
};

/// An idempotency key as found in the database.
struct StoredIdempotencyKey {
    std::int64_t orderId = 0;
    TimePoint createdAt;
    /// SHA-256 of the request; nullopt for a key stored before schema version 9,
    /// which has only the 64-bit `legacyFingerprint` (legacyRequestFingerprint).
    std::optional<RequestDigest> request;
    std::uint64_t legacyFingerprint = 0;
};

/// One change to store atomically with the others of its batch.
struct JournalEntry {
    /// A new order, as created (its id assigned).
    std::optional<Order> newOrder;
    /// A status change with the inventory events it caused.
    std::optional<OrderTransition> transition;
    /// Inventory events of a new order or a receipt of stock.
    std::vector<inventory::Event> events;
    /// The idempotency key of the request that made this change.
    std::optional<IdempotencyTable::Record> idempotency;
};

/// Durable state of one backend. SQLite is the embedded implementation; a server
/// database can implement the same interface for replicated deployments.
/// Implementations are safe to call from several threads.
class Store {
public:
    virtual ~Store() = default;

    /// Where the data lives, for messages: a file name or a connection description.
    virtual std::string location() const = 0;
    virtual int schemaVersion() const = 0;

    /// True when there is no catalogue yet (a new database).
    virtual bool isEmpty() = 0;
    /// Writes a whole demo dataset in one transaction; assigns ids to its orders.
    virtual void seed(DemoDataset &data) = 0;

    virtual std::vector<Product> loadProducts() = 0;
    virtual std::vector<User> loadUsers() = 0;

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
    /// The whole inventory event log in sequence order.
    virtual std::vector<inventory::Event> loadInventoryEvents() = 0;
    /// Idempotency keys stored at or after `since`. A key stored before schema
    /// version 9 has uid 0 and an all-zero request digest.
    virtual std::vector<IdempotencyTable::Record> loadIdempotencyKeys(TimePoint since) = 0;
    /// The newest key `key` of user `uid` stored at or after `since`, nullopt when
    /// there is none. A key stored before schema version 9 (kept without a user)
    /// counts as the key of its order's buyer. An index lookup that does not wait
    /// for a commit in progress: the order path asks it for every key the
    /// in-memory window does not hold.
    virtual std::optional<StoredIdempotencyKey> findIdempotencyKey(std::int64_t uid, const std::string &key,
                                                                   TimePoint since) = 0;
    /// From now on, appendJournal deletes idempotency keys stored more than
    /// `retention` before the newest key of its batch, in the batch's transaction and
    /// a few more than the batch adds: the table stays a retention's worth of keys
    /// without a sweep that would hold up the orders behind it. A key may be kept a
    /// little longer than `retention`, never less. Zero (the start) keeps every key.
    virtual void setIdempotencyKeyRetention(Milliseconds retention) = 0;
    virtual std::int64_t maxOrderId() = 0;
    virtual std::int64_t orderCount() = 0;
    /// ISO 4217 code of the currency all amounts are in.
    virtual std::string currency() = 0;

    /// Saves rules as the next version (its version and time are filled in).
    virtual StoredRuleSet appendRuleSet(const StoredRuleSet &ruleSet) = 0;
    /// A version; 0 for the newest. nullopt when there is none.
    virtual std::optional<StoredRuleSet> ruleSet(std::int64_t version) = 0;
    /// Newest first.
    virtual std::vector<StoredRuleSet> ruleSets(int limit) = 0;
    virtual std::vector<RuleUsage> loadRuleUsage() = 0;

    /// Segment sets, versioned like rule sets.
    virtual StoredSegmentSet appendSegmentSet(const StoredSegmentSet &set) = 0;
    virtual std::optional<StoredSegmentSet> segmentSet(std::int64_t version) = 0;
    virtual std::vector<StoredSegmentSet> segmentSets(int limit) = 0;

    /// Inserts or replaces profiles, in one transaction.
    virtual void saveProfiles(const std::vector<StoredProfile> &profiles) = 0;
    virtual std::vector<StoredProfile> loadProfiles() = 0;
    /// Paid orders per user (refunded ones included): pay_count of a profile built
    /// from the order history.
    virtual std::vector<std::pair<std::int64_t, std::int32_t>> loadPayCounts() = 0;
    /// Per user and product category: paid orders with a line of that category, and
    /// when the latest was created. What a first profile's tags and activity come from.
    virtual std::vector<PurchaseSummary> loadPurchaseSummaries() = 0;
    virtual void appendDeliveries(const std::vector<StoredDelivery> &deliveries) = 0;
    /// Deliveries at or after `since`, oldest first.
    virtual std::vector<StoredDelivery> loadDeliveriesSince(TimePoint since) = 0;
    /// Deletes deliveries before `cutoff`; returns how many.
    virtual std::int64_t purgeDeliveries(TimePoint cutoff) = 0;

    /// Referral programme versions, versioned like rule sets.
    virtual StoredProgram appendProgram(const StoredProgram &program) = 0;
    virtual std::optional<StoredProgram> program(std::int64_t version) = 0;
    virtual std::vector<StoredProgram> programs(int limit) = 0;
    /// Stores a batch of referral changes in one transaction. Per write: nothing, or
    /// why that write was refused (a commission not in the expected state, a jti used
    /// before); a refused write changes nothing and the others are stored. Throws
    /// StorageError when the transaction fails (then nothing is stored).
    virtual std::vector<std::optional<std::string>> appendReferral(const std::vector<ReferralWrite> &writes) = 0;
    /// Adds funnel and refusal counts, in one transaction.
    virtual void addFunnelCounts(const referral::Funnel::Changes &changes) = 0;
    /// Links, bindings, commissions and counts; used jtis expiring at or after
    /// `jtiFrom` (Unix seconds).
    virtual ReferralState loadReferral(std::int64_t jtiFrom) = 0;
    virtual std::optional<referral::Commission> loadCommission(std::int64_t id) = 0;
    /// Deletes used jtis that expired before `before` (Unix seconds); returns how many.
    virtual std::int64_t purgeUsedJtis(std::int64_t before) = 0;
};

} // namespace flywheel
