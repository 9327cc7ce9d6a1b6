#pragma once

#include "domain/Result.h"
#include "domain/segments/Expression.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel::segments {

// A segment set: the segments with their expressions, priorities, caps and channels,
// and the reach policy; compileSegmentSet() validates one and compiles its expressions.
// ReachDecider.h decides with a compiled set.

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

} // namespace flywheel::segments
