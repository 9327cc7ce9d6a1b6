#include "domain/subsidy/CategoryHistory.h"

namespace flywheel::subsidy {

void CategoryHistory::prune(Series &s, std::int64_t cutoffMs)
{
    while (!s.orders.empty() && s.orders.front().first <= cutoffMs) {
        s.sum -= s.orders.front().second;
        s.orders.pop_front();
    }
}

void CategoryHistory::add(const std::string &category, Money total, TimePoint at)
{
    const std::int64_t ms = toEpochMs(at);
    const std::lock_guard lock(m_mutex);
    for (Series *s : {&m_series[category], &m_all}) {
        // Out of order by milliseconds (commit order): counted at the newest time.
        const std::int64_t when = s->orders.empty() ? ms : std::max(ms, s->orders.back().first);
        s->orders.emplace_back(when, total.minorUnits());
        s->sum += total.minorUnits();
    }
}

CategoryHistory::Average CategoryHistory::average(const std::string &category, TimePoint now) const
{
    const std::int64_t cutoff = toEpochMs(now) - std::chrono::duration_cast<std::chrono::milliseconds>(kWindow).count();
    const std::lock_guard lock(m_mutex);
    Series *s = &m_all;
    if (!category.empty()) {
        const auto found = m_series.find(category);
        if (found == m_series.end())
            return {};
        s = &found->second;
    }
    prune(*s, cutoff);
    const auto n = static_cast<std::int64_t>(s->orders.size());
    if (n == 0)
        return {};
    return {Money(divideRounded(s->sum, n)), n};
}

} // namespace flywheel::subsidy
