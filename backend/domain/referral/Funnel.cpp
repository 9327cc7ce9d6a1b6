#include "domain/referral/Funnel.h"

namespace flywheel::referral {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kKeptMinutes = 60;

} // namespace

const char *funnelStepName(FunnelStep step)
{
    switch (step) {
    case FunnelStep::Share:
        return "share";
    case FunnelStep::Click:
        return "click";
    case FunnelStep::Register:
        return "register";
    case FunnelStep::FirstOrder:
        return "first_order";
    }
    return "unknown";
}

std::optional<double> FunnelRow::conversion(FunnelStep step) const
{
    const auto i = static_cast<std::size_t>(step);
    if (i == 0 || counts[i - 1] == 0)
        return std::nullopt;
    return static_cast<double>(counts[i]) / static_cast<double>(counts[i - 1]);
}

void Funnel::record(FunnelStep step, const std::string &campaignId, const std::string &channel, std::int64_t n)
{
    const std::lock_guard lock(m_mutex);
    m_counts[{campaignId, channel}][static_cast<std::size_t>(step)] += n;
    m_changes.steps[{campaignId, channel, step}] += n;
    ++m_generation;
}

void Funnel::refuse(Refusal reason, TimePoint at, std::int64_t n)
{
    const std::int64_t minute = toEpochMs(at) / kMinuteMs;
    const std::lock_guard lock(m_mutex);
    m_refusals[static_cast<std::size_t>(reason)] += n;
    m_minutes[minute][static_cast<std::size_t>(reason)] += n;
    while (!m_minutes.empty() && m_minutes.begin()->first <= minute - kKeptMinutes)
        m_minutes.erase(m_minutes.begin());
    m_changes.refusals[{minute, reason}] += n;
    ++m_generation;
}

void Funnel::restore(FunnelStep step, const std::string &campaignId, const std::string &channel, std::int64_t n)
{
    const std::lock_guard lock(m_mutex);
    m_counts[{campaignId, channel}][static_cast<std::size_t>(step)] += n;
    ++m_generation;
}

void Funnel::restoreRefusals(std::int64_t minute, Refusal reason, std::int64_t n)
{
    const std::lock_guard lock(m_mutex);
    m_refusals[static_cast<std::size_t>(reason)] += n;
    m_minutes[minute][static_cast<std::size_t>(reason)] += n;
    ++m_generation;
}

void Funnel::pruneMinutes(TimePoint now)
{
    const std::int64_t minute = toEpochMs(now) / kMinuteMs;
    const std::lock_guard lock(m_mutex);
    while (!m_minutes.empty() && m_minutes.begin()->first <= minute - kKeptMinutes)
        m_minutes.erase(m_minutes.begin());
}

std::vector<FunnelRow> Funnel::rows() const
{
    const std::lock_guard lock(m_mutex);
    std::vector<FunnelRow> out;
    out.reserve(m_counts.size());
    for (const auto &[key, counts] : m_counts)
        out.push_back(FunnelRow{key.first, key.second, counts});
    return out;
}

std::array<std::int64_t, kRefusalKinds> Funnel::refusals() const
{
    const std::lock_guard lock(m_mutex);
    return m_refusals;
}

std::vector<RefusalMinute> Funnel::recentRefusals(TimePoint now) const
{
    const std::int64_t last = toEpochMs(now) / kMinuteMs;
    std::vector<RefusalMinute> out;
    out.reserve(kKeptMinutes);
    const std::lock_guard lock(m_mutex);
    for (std::int64_t m = last - kKeptMinutes + 1; m <= last; ++m) {
        RefusalMinute minute{m, {}};
        if (const auto it = m_minutes.find(m); it != m_minutes.end())
            minute.counts = it->second;
        out.push_back(minute);
    }
    return out;
}

std::uint64_t Funnel::generation() const
{
    const std::lock_guard lock(m_mutex);
    return m_generation;
}

Funnel::Changes Funnel::takeChanges()
{
    const std::lock_guard lock(m_mutex);
    Changes out;
    std::swap(out, m_changes);
    return out;
}

void Funnel::returnChanges(const Changes &changes)
{
    const std::lock_guard lock(m_mutex);
    for (const auto &[key, n] : changes.steps)
        m_changes.steps[key] += n;
    for (const auto &[key, n] : changes.refusals)
        m_changes.refusals[key] += n;
}

} // namespace flywheel::referral
