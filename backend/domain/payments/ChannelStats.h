#pragma once

#include "domain/Clock.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace flywheel::payments {

/// One minute of one channel.
struct ChannelMinute {
    TimePoint minute;
    std::int64_t attempts = 0;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t volumeMinor = 0;
    double latencyP50Ms = 0;
    double latencyP95Ms = 0;
};

struct ChannelTotals {
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t volumeMinor = 0;
    std::int64_t refused = 0;
    std::int64_t amountMismatches = 0;
};

/// Per channel and minute over the last hour: payments created (attempts), their end
/// states, the volume paid and the create-to-paid latency (p50, p95); totals since
/// start; refused notifications. For the console's charts and the stream. Memory
/// is bounded: 60 minutes per channel and at most 2,000 latency samples per minute.
/// Thread-safe.
class ChannelStats final {
public:
    void attempted(const std::string &channelId, TimePoint at);
    void succeeded(const std::string &channelId, std::int64_t amountMinor, Milliseconds latency, TimePoint at);
    void failed(const std::string &channelId, TimePoint at);
    void refused(const std::string &channelId, bool amountMismatch);
    void duplicate();

    /// The last 60 minutes up to `now`'s minute, oldest first, every minute present
    /// (empty ones zero).
    std::vector<ChannelMinute> minutes(const std::string &channelId, TimePoint now) const;
    ChannelTotals totals(const std::string &channelId) const;
    std::int64_t duplicates() const;
    /// Changes whenever a figure changes.
    std::uint64_t generation() const;

private:
    struct Minute {
        std::int64_t attempts = 0;
        std::int64_t succeeded = 0;
        std::int64_t failed = 0;
        std::int64_t volume = 0;
        std::vector<double> latencies;
    };
    struct Channel {
        std::map<std::int64_t, Minute> minutes;
        ChannelTotals totals;
    };
    Minute &minuteLocked(const std::string &channelId, TimePoint at);

    mutable std::mutex m_mutex;
    std::map<std::string, Channel> m_channels;
    std::int64_t m_duplicates = 0;
    std::uint64_t m_generation = 0;
};

} // namespace flywheel::payments
