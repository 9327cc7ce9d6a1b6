#pragma once

#include "domain/Clock.h"
#include "domain/segments/Profile.h"
#include "domain/segments/SegmentSet.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace flywheel::segments {

enum class ReachOutcome { Reach, Generic, NoSegment, Capped, RateLimited, HeldOut };
const char *reachOutcomeName(ReachOutcome outcome);

struct ReachDecision {
    std::int64_t uid = 0;
    ReachOutcome outcome = ReachOutcome::Generic;
    std::string segmentId;
    std::optional<Channel> channel;
    std::string reason;
    std::int64_t setVersion = 0;
    TimePoint at;
};

/// One message sent: what frequency caps count.
struct Delivery {
    std::int64_t uid = 0;
    std::string segmentId;
    Channel channel = Channel::Push;
    TimePoint at;
};

/// True when uid falls in the holdout group of `percent` percent: a fixed hash of
/// the uid, so a user stays in or out whatever the segment or version.
bool heldOut(std::int64_t uid, int percent);

/// Decides reach: seed user? → first matching segment by priority → first channel
/// whose frequency cap allows a message → holdout → global rate limit. Remembers the
/// deliveries it decided (sliding windows of a day or a week) for the caps. Safe
/// from many threads.
class ReachDecider {
public:
    explicit ReachDecider(const Clock &clock) : m_clock(clock) {}

    /// Decides for `profile` with `set`. When `commit` is true and the outcome is
    /// Reach, the delivery is counted against the caps and the rate limit;
    /// otherwise nothing changes (a preview for the console).
    ReachDecision decide(const CompiledSegmentSet &set, const Profile &profile, bool commit);
    /// Counts a delivery made earlier (loaded from storage at start).
    void remember(const Delivery &delivery);
    /// Forgets deliveries older than a week; returns how many were forgotten.
    std::size_t prune();

private:
    struct Key {
        std::int64_t uid;
        std::string segmentId;
        Channel channel;
        friend bool operator==(const Key &, const Key &) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key &k) const;
    };
    static constexpr std::size_t kShards = 64;
    struct Shard {
        std::mutex mutex;
        std::unordered_map<Key, std::deque<TimePoint>, KeyHash> sent;
    };
    Shard &shard(std::int64_t uid) { return m_shards[static_cast<std::uint64_t>(uid) % kShards]; }
    bool takeToken(int perSecond, TimePoint now, bool commit);

    const Clock &m_clock;
    std::array<Shard, kShards> m_shards;
    std::mutex m_bucketMutex;
    double m_tokens = -1; // -1: full at first use
    TimePoint m_refilledAt;
};

} // namespace flywheel::segments
