#include "domain/payments/ChannelStats.h"

#include <algorithm>

namespace flywheel::payments {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kMinutes = 60;
constexpr std::size_t kMaxSamples = 2000;

std::int64_t minuteOf(TimePoint at)
{
    const std::int64_t ms = toEpochMs(at);
    return (ms >= 0 ? ms : ms - kMinuteMs + 1) / kMinuteMs;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    const std::size_t index = std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return values[index];
}

} // namespace

ChannelStats::Minute &ChannelStats::minuteLocked(const std::string &channelId, TimePoint at)
{
    Channel &channel = m_channels[channelId];
    const std::int64_t minute = minuteOf(at);
    // Keep an hour and a minute: what minutes() shows, whatever the clock's steps.
    while (!channel.minutes.empty() && channel.minutes.begin()->first <= minute - kMinutes - 1)
        channel.minutes.erase(channel.minutes.begin());
    ++m_generation;
    return channel.minutes[minute];
}

void ChannelStats::attempted(const std::string &channelId, TimePoint at)
{
    const std::lock_guard lock(m_mutex);
    ++minuteLocked(channelId, at).attempts;
}

void ChannelStats::succeeded(const std::string &channelId, std::int64_t amountMinor, Milliseconds latency,
                             TimePoint at)
{
    const std::lock_guard lock(m_mutex);
    Minute &m = minuteLocked(channelId, at);
    ++m.succeeded;
    m.volume += amountMinor;
    if (m.latencies.size() < kMaxSamples)
        m.latencies.push_back(static_cast<double>(latency.count()));
    ChannelTotals &totals = m_channels[channelId].totals;
    ++totals.succeeded;
    totals.volumeMinor += amountMinor;
}

void ChannelStats::failed(const std::string &channelId, TimePoint at)
{
    const std::lock_guard lock(m_mutex);
    ++minuteLocked(channelId, at).failed;
    ++m_channels[channelId].totals.failed;
}

void ChannelStats::refused(const std::string &channelId, bool amountMismatch)
{
    const std::lock_guard lock(m_mutex);
    ChannelTotals &totals = m_channels[channelId].totals;
    ++totals.refused;
    if (amountMismatch)
        ++totals.amountMismatches;
    ++m_generation;
}

void ChannelStats::duplicate()
{
    const std::lock_guard lock(m_mutex);
    ++m_duplicates;
    ++m_generation;
}

std::vector<ChannelMinute> ChannelStats::minutes(const std::string &channelId, TimePoint now) const
{
    const std::lock_guard lock(m_mutex);
    std::vector<ChannelMinute> out;
    out.reserve(kMinutes);
    const std::int64_t last = minuteOf(now);
    const auto found = m_channels.find(channelId);
    for (std::int64_t minute = last - kMinutes + 1; minute <= last; ++minute) {
        ChannelMinute point;
        point.minute = fromEpochMs(minute * kMinuteMs);
        if (found != m_channels.end()) {
            if (const auto m = found->second.minutes.find(minute); m != found->second.minutes.end()) {
                point.attempts = m->second.attempts;
                point.succeeded = m->second.succeeded;
                point.failed = m->second.failed;
                point.volumeMinor = m->second.volume;
                point.latencyP50Ms = percentile(m->second.latencies, 0.5);
                point.latencyP95Ms = percentile(m->second.latencies, 0.95);
            }
        }
        out.push_back(point);
    }
    return out;
}

ChannelTotals ChannelStats::totals(const std::string &channelId) const
{
    const std::lock_guard lock(m_mutex);
    const auto found = m_channels.find(channelId);
    return found == m_channels.end() ? ChannelTotals{} : found->second.totals;
}

std::int64_t ChannelStats::duplicates() const
{
    const std::lock_guard lock(m_mutex);
    return m_duplicates;
}

std::uint64_t ChannelStats::generation() const
{
    const std::lock_guard lock(m_mutex);
    return m_generation;
}

} // namespace flywheel::payments
