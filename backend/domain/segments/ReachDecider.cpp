#include "domain/segments/ReachDecider.h"

#include "domain/segments/ProfileStore.h"

#include <algorithm>

namespace flywheel::segments {

namespace {

Milliseconds periodLength(CapPeriod period)
{
    return period == CapPeriod::Day ? Milliseconds(24LL * 3600 * 1000) : Milliseconds(7LL * 24 * 3600 * 1000);
}

std::uint64_t mix(std::uint64_t x)
{
    // splitmix64's finaliser: every bit of the uid moves every bit of the hash.
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

const char *reachOutcomeName(ReachOutcome outcome)
{
    switch (outcome) {
    case ReachOutcome::Reach:
        return "reach";
    case ReachOutcome::Generic:
        return "generic";
    case ReachOutcome::NoSegment:
        return "no_segment";
    case ReachOutcome::Capped:
        return "capped";
    case ReachOutcome::RateLimited:
        return "rate_limited";
    case ReachOutcome::HeldOut:
        return "held_out";
    }
    return "?";
}

bool heldOut(std::int64_t uid, int percent)
{
    return percent > 0 && static_cast<int>(mix(static_cast<std::uint64_t>(uid)) % 100) < percent;
}

std::size_t ReachDecider::KeyHash::operator()(const Key &k) const
{
    return static_cast<std::size_t>(mix(static_cast<std::uint64_t>(k.uid) * 3 + static_cast<std::uint64_t>(k.channel)) ^
                                    std::hash<std::string>()(k.segmentId));
}

bool ReachDecider::takeToken(int perSecond, TimePoint now, bool commit)
{
    if (perSecond <= 0)
        return true;
    const std::lock_guard lock(m_bucketMutex);
    const double capacity = perSecond;
    double tokens = m_tokens < 0 ? capacity : m_tokens;
    if (m_tokens >= 0 && now > m_refilledAt)
        tokens = std::min(capacity, tokens + static_cast<double>((now - m_refilledAt).count()) * perSecond / 1000.0);
    if (tokens < 1)
        return false;
    if (commit) {
        m_tokens = tokens - 1;
        m_refilledAt = std::max(now, m_refilledAt);
    }
    return true;
}

ReachDecision ReachDecider::decide(const CompiledSegmentSet &set, const Profile &profile, bool commit)
{
    const TimePoint now = m_clock.now();
    const Day today = dayOf(now);
    ReachDecision d;
    d.uid = profile.uid;
    d.setVersion = set.version;
    d.at = now;
    if (set.seed && !set.seed->matches(profile, today)) {
        d.outcome = ReachOutcome::Generic;
        d.reason = "not a seed user (" + set.seed->source() + " is false): the generic strategy applies";
        return d;
    }
    const Segment *segment = nullptr;
    for (const auto &[s, expression] : set.ordered) {
        if (expression.matches(profile, today)) {
            segment = s;
            break;
        }
    }
    if (segment == nullptr) {
        d.outcome = ReachOutcome::NoSegment;
        d.reason = set.ordered.empty() ? "a seed user, but no segment is enabled"
                                       : "a seed user that no enabled segment matches";
        return d;
    }
    d.segmentId = segment->id;
    const std::string cap = std::to_string(segment->capCount) + " per " + capPeriodName(segment->capPeriod);
    const Milliseconds period = periodLength(segment->capPeriod);

    Shard &sh = shard(profile.uid);
    const std::lock_guard lock(sh.mutex); // cap check and record as one step per user
    std::string capped;
    for (const Channel channel : segment->channels) {
        const auto it = sh.sent.find(Key{profile.uid, segment->id, channel});
        std::size_t recent = 0;
        if (it != sh.sent.end()) {
            // A message counts until a whole period has passed since it was sent.
            recent = static_cast<std::size_t>(
                std::count_if(it->second.begin(), it->second.end(), [&](TimePoint t) { return now - t < period; }));
        }
        if (recent >= static_cast<std::size_t>(segment->capCount)) {
            capped += std::string(capped.empty() ? "" : ", ") + channelName(channel);
            continue;
        }
        d.channel = channel;
        break;
    }
    const std::string matched = "segment " + segment->id + " matched";
    if (!d.channel) {
        d.outcome = ReachOutcome::Capped;
        d.reason = matched + "; every channel is capped (" + capped + ": " + cap + ")";
        return d;
    }
    const std::string via = capped.empty() ? "" : " (" + capped + " capped at " + cap + ")";
    if (heldOut(profile.uid, set.set.policy.holdoutPercent)) {
        d.outcome = ReachOutcome::HeldOut;
        d.reason =
            matched + "; in the " + std::to_string(set.set.policy.holdoutPercent) + " % holdout group, so not reached";
        return d;
    }
    if (!takeToken(set.set.policy.rateLimitPerSecond, now, commit)) {
        d.outcome = ReachOutcome::RateLimited;
        d.reason = matched + "; the limit of " + std::to_string(set.set.policy.rateLimitPerSecond) +
                   " messages per second is reached";
        return d;
    }
    d.outcome = ReachOutcome::Reach;
    d.reason = matched + "; " + channelName(*d.channel) + " allowed" + via;
    if (commit) {
        auto &times = sh.sent[Key{profile.uid, segment->id, *d.channel}];
        times.push_back(now);
        while (times.size() > 100) // no cap counts more than 100
            times.pop_front();
    }
    return d;
}

void ReachDecider::remember(const Delivery &delivery)
{
    Shard &sh = shard(delivery.uid);
    const std::lock_guard lock(sh.mutex);
    auto &times = sh.sent[Key{delivery.uid, delivery.segmentId, delivery.channel}];
    times.insert(std::upper_bound(times.begin(), times.end(), delivery.at), delivery.at);
    while (times.size() > 100)
        times.pop_front();
}

std::size_t ReachDecider::prune()
{
    const TimePoint cutoff = m_clock.now() - periodLength(CapPeriod::Week);
    std::size_t forgotten = 0;
    for (Shard &sh : m_shards) {
        const std::lock_guard lock(sh.mutex);
        for (auto it = sh.sent.begin(); it != sh.sent.end();) {
            auto &times = it->second;
            while (!times.empty() && times.front() <= cutoff) {
                times.pop_front();
                ++forgotten;
            }
            it = times.empty() ? sh.sent.erase(it) : std::next(it);
        }
    }
    return forgotten;
}

} // namespace flywheel::segments
