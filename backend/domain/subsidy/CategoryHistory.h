#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace flywheel::subsidy {

/// Per category, the average paid order over the last 30 days: kept from committed
/// payments (and loaded at start), with a running sum so a read is one lookup.
class CategoryHistory final {
public:
    static constexpr auto kWindow = std::chrono::hours(24 * 30);

    struct Average {
        Money average;
        std::int64_t orders = 0;
    };

    /// A paid order of `category` with `total`, paid at `at`.
    void add(const std::string &category, Money total, TimePoint at);
    /// The category's paid orders within the window before `now`; an empty
    /// category means all of them.
    Average average(const std::string &category, TimePoint now) const;

private:
    struct Series {
        std::deque<std::pair<std::int64_t, std::int64_t>> orders; // paid at (ms), total
        std::int64_t sum = 0;
    };
    static void prune(Series &s, std::int64_t cutoffMs);

    mutable std::mutex m_mutex;
    mutable std::unordered_map<std::string, Series> m_series;
    mutable Series m_all;
};

} // namespace flywheel::subsidy
