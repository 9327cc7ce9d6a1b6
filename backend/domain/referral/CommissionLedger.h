#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"
#include "domain/Result.h"

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace flywheel::referral {

enum class CommissionState { Pending, Reviewing, Confirmed, Settled, Reversed };
const char *commissionStateName(CommissionState state);
std::optional<CommissionState> commissionStateFromName(std::string_view name);

/// One referred order's commission (docs/referral.md):
///   pending (order paid, nothing owed) → reviewing (level-1 amount added)
///   → confirmed (level-2 amount added) → settled (paid out; final),
///   and pending / reviewing / confirmed → reversed (order refunded; final).
struct Commission {
    std::int64_t id = 0;
    std::int64_t orderId = 0;
    std::int64_t buyerUid = 0;
    std::int64_t level1Uid = 0;
    /// 0 when the inviter was not invited by anyone.
    std::int64_t level2Uid = 0;
    Money orderTotal;
    CommissionState state = CommissionState::Pending;
    Money level1Amount;
    Money level2Amount;
    std::int32_t level1RateBp = 0;
    std::int32_t level2RateBp = 0;
    std::int64_t programVersion = 0;
    TimePoint createdAt;
    TimePoint updatedAt;

    friend bool operator==(const Commission &, const Commission &) = default;
};

/// Whether `from` → `to` is a transition of the state machine.
bool isLegal(CommissionState from, CommissionState to);

/// Every commission, by id and by order. A transition takes the commission's shard
/// lock, checks the state it is in and applies the amount in one step, so of many
/// threads attempting the same transition exactly one succeeds; a repeated or
/// illegal transition is refused and changes nothing.
class CommissionLedger final {
public:
    /// A pending commission for a paid order, or nothing when the order has one
    /// already (payments are delivered once, but replays must not double it).
    std::optional<Commission> create(Commission pending);
    /// Moves commission `id` to `to` at `now`. InvalidArgument for a target that is
    /// not a state; NotFound; FailedPrecondition naming the current state when the
    /// transition is not legal from it (including a repeat).
    /// `from`, when given, receives the state it left.
    Result<Commission> transition(std::int64_t id, CommissionState to, TimePoint now, CommissionState *from = nullptr);
    /// The commission of an order, if any.
    std::optional<Commission> forOrder(std::int64_t orderId) const;
    std::optional<Commission> find(std::int64_t id) const;
    /// Loading from the database, or putting back what the database says after a
    /// failed write.
    void restore(const Commission &commission);

    struct Filter {
        std::vector<CommissionState> states; // any when empty
        std::int64_t uid = 0;                // buyer or beneficiary; any when 0
        std::int64_t beforeId = 0;           // newest when 0
        std::size_t limit = 200;
    };
    /// Newest first.
    std::vector<Commission> list(const Filter &filter) const;
    struct Totals {
        std::int64_t count = 0;
        Money level1;
        Money level2;
    };
    std::map<CommissionState, Totals> totals() const;
    /// What each of `uids` earns (as level 1 or 2) over every commission, in one
    /// pass over the ledger; users who earn nothing are absent.
    std::unordered_map<std::int64_t, Money> earnedBy(const std::unordered_set<std::int64_t> &uids) const;
    Money earnedBy(std::int64_t uid) const;

private:
    static constexpr std::size_t kShards = 64;
    struct Shard {
        mutable std::mutex mutex;
        std::map<std::int64_t, Commission> byId;
    };
    Shard &shardOf(std::int64_t id) { return m_shards[static_cast<std::size_t>(id) % kShards]; }
    const Shard &shardOf(std::int64_t id) const { return m_shards[static_cast<std::size_t>(id) % kShards]; }

    std::array<Shard, kShards> m_shards;
    mutable std::shared_mutex m_orderMutex; // guards m_byOrder and m_nextId
    std::map<std::int64_t, std::int64_t> m_byOrder;
    std::int64_t m_nextId = 1;
};

} // namespace flywheel::referral
