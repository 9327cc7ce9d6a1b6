#pragma once

#include "domain/Clock.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace flywheel::subsidy {

/// The live P99 of a latency over the last 60 seconds: 60 one-second slots of a
/// log-scaled histogram (4 bins per power of two of microseconds, so a value is
/// within 19 % of the true percentile), written with relaxed atomics. p99() is
/// recomputed at most every 100 ms and cached, so the order path reads one atomic.
class LatencyWindow final {
public:
    /// One latency observed at `now`.
    void record(std::chrono::microseconds latency, TimePoint now);
    /// The P99 in milliseconds over (now - 60 s, now]; 0 with nothing recorded.
    double p99(TimePoint now) const;
    /// Recomputed now, whatever the cache holds.
    double computeP99(TimePoint now) const;

    static constexpr int kSlots = 60;
    static constexpr int kBins = 112; // up to 2^28 µs (4.5 min)

private:
    static int binOf(std::int64_t micros);
    static double upperMs(int bin);

    struct Slot {
        std::atomic<std::int64_t> second{-1};
        std::array<std::atomic<std::uint32_t>, kBins> bins{};
    };
    std::array<Slot, kSlots> m_slots;
    mutable std::atomic<std::int64_t> m_cachedAtMs{INT64_MIN};
    mutable std::atomic<double> m_cached{0};
};

} // namespace flywheel::subsidy
