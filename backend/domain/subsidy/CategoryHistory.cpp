#include "domain/subsidy/CategoryHistory.h"

namespace flywheel::subsidy {

namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

void CategoryHistory::prune(Series &s, std::int64_t cutoffHour)
{
    while (!s.hours.empty() && s.hours.begin()->first <= cutoffHour) {
        s.orders -= s.hours.begin()->second.first;
        s.sum -= s.hours.begin()->second.second;
        s.hours.erase(s.hours.begin());
    }
}

void CategoryHistory::add(Series &s, std::int64_t hour, std::int64_t orders, std::int64_t sum)
{
    auto &bucket = s.hours[hour];
    bucket.first += orders;
    bucket.second += sum;
    s.orders += orders;
    s.sum += sum;
}

void CategoryHistory::add(const std::string &category, Money total, TimePoint at)
{
    addHour(category, floorDiv(toEpochMs(at), kHourMs), 1, total.minorUnits());
}

void CategoryHistory::addHour(const std::string &category, std::int64_t hour, std::int64_t orders, std::int64_t sum)
{
    const std::lock_guard lock(m_mutex);
    add(m_series[category], hour, orders, sum);
    add(m_all, hour, orders, sum);
}

CategoryHistory::Average CategoryHistory::average(const std::string &category, TimePoint now) const
{
    const std::int64_t cutoff =
        floorDiv(toEpochMs(now) - std::chrono::duration_cast<std::chrono::milliseconds>(kWindow).count(), kHourMs);
    const std::lock_guard lock(m_mutex);
    Series *s = &m_all;
    if (!category.empty()) {
        const auto found = m_series.find(category);
        if (found == m_series.end())
            return {};
        s = &found->second;
    }
    prune(*s, cutoff);
    const std::int64_t n = s->orders;
    if (n == 0)
        return {};
    return {Money(divideRounded(s->sum, n)), n};
}

} // namespace flywheel::subsidy
