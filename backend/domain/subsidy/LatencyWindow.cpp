#include "domain/subsidy/LatencyWindow.h"

#include <bit>
#include <cmath>

namespace flywheel::subsidy {

int LatencyWindow::binOf(std::int64_t micros)
{
    if (micros < 1)
        return 0;
    const auto v = static_cast<std::uint64_t>(micros);
    const int log = 63 - std::countl_zero(v);
    const int sub = log >= 2 ? static_cast<int>((v >> (log - 2)) & 3u) : static_cast<int>((v << (2 - log)) & 3u);
    const int bin = log * 4 + sub;
    return bin >= kBins ? kBins - 1 : bin;
}

double LatencyWindow::upperMs(int bin)
{
    const int log = bin / 4;
    const int sub = bin % 4;
    return std::ldexp(1.0 + (sub + 1) / 4.0, log) / 1000.0;
}

void LatencyWindow::record(std::chrono::microseconds latency, TimePoint now)
{
    const std::int64_t second = toEpochMs(now) / 1000;
    Slot &slot = m_slots[static_cast<std::size_t>(((second % kSlots) + kSlots) % kSlots)];
    std::int64_t seen = slot.second.load(std::memory_order_acquire);
    if (seen != second) {
        // The first writer of a new second clears the slot; a racing writer may lose
        // a count or two, which a percentile does not notice.
        if (seen < second && slot.second.compare_exchange_strong(seen, second, std::memory_order_acq_rel)) {
            for (auto &bin : slot.bins)
                bin.store(0, std::memory_order_relaxed);
        } else if (seen > second) {
            return; // a clock that went back: too old to count
        }
    }
    slot.bins[static_cast<std::size_t>(binOf(latency.count()))].fetch_add(1, std::memory_order_relaxed);
}

double LatencyWindow::computeP99(TimePoint now) const
{
    const std::int64_t second = toEpochMs(now) / 1000;
    std::array<std::uint64_t, kBins> sum{};
    std::uint64_t count = 0;
    for (const Slot &slot : m_slots) {
        const std::int64_t s = slot.second.load(std::memory_order_acquire);
        if (s < 0 || s > second || s <= second - kSlots)
            continue;
        for (int i = 0; i < kBins; ++i) {
            const std::uint32_t n = slot.bins[static_cast<std::size_t>(i)].load(std::memory_order_relaxed);
            sum[static_cast<std::size_t>(i)] += n;
            count += n;
        }
    }
    if (count == 0)
        return 0;
    // The smallest bin at or below which 99 % of the values are.
    const std::uint64_t rank = count - count / 100;
    std::uint64_t seen = 0;
    for (int i = 0; i < kBins; ++i) {
        seen += sum[static_cast<std::size_t>(i)];
        if (seen >= rank)
            return upperMs(i);
    }
    return upperMs(kBins - 1);
}

double LatencyWindow::p99(TimePoint now) const
{
    const std::int64_t ms = toEpochMs(now);
    const std::int64_t at = m_cachedAtMs.load(std::memory_order_acquire);
    if (at != INT64_MIN && ms >= at && ms - at < 100)
        return m_cached.load(std::memory_order_relaxed);
    const double value = computeP99(now);
    m_cached.store(value, std::memory_order_relaxed);
    m_cachedAtMs.store(ms, std::memory_order_release);
    return value;
}

} // namespace flywheel::subsidy
