#pragma once

#include "domain/Clock.h"
#include "domain/Result.h"
#include "domain/segments/Expression.h"
#include "domain/segments/ProfileStore.h"

#include <array>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace flywheel::segments {

enum class Channel { Push, Sms, InApp };
enum class CapPeriod { Day, Week };
const char *channelName(Channel channel);
const char *capPeriodName(CapPeriod period);

struct Segment {
    std::string id;
    std::string name;
    std::string expression;
    /// Higher is tried first; equal priorities keep their order in the set.
    int priority = 0;
    /// At most capCount messages per capPeriod to one user through one channel for this segment.
    int capCount = 1;
    CapPeriod capPeriod = CapPeriod::Day;
    /// Tried in this order.
    std::vector<Channel> channels;
    bool enabled = true;
    friend bool operator==(const Segment &, const Segment &) = default;
};

struct ReachPolicy {
    /// Seed users are those this matches; empty: every user is a seed user.
    std::string seedExpression;
    /// 0-50: percent of users (by a hash of uid) held out of every message.
    int holdoutPercent = 0;
    /// Messages per second across all users; 0 for no limit.
    int rateLimitPerSecond = 0;
    friend bool operator==(const ReachPolicy &, const ReachPolicy &) = default;
};

struct SegmentSet {
    std::vector<Segment> segments;
    ReachPolicy policy;
    friend bool operator==(const SegmentSet &, const SegmentSet &) = default;
};

/// A validated set with its expressions compiled; immutable and shared by readers.
struct CompiledSegmentSet {
    std::int64_t version = 0;
    SegmentSet set;
    /// The enabled segments, by descending priority (stable), with their expressions.
    std::vector<std::pair<const Segment *, Expression>> ordered;
    std::optional<Expression> seed;
};

/// Validates and compiles; the error names the segment (by position and id) and the
/// field that is wrong, with the expression's line and column.
Result<std::shared_ptr<const CompiledSegmentSet>> compileSegmentSet(SegmentSet set, std::int64_t version,
                                                                    Dictionary &dictionary);

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
