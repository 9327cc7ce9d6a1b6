#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace flywheel::subsidy {

/// Per category, the average paid order over the last 30 days: kept from committed
/// payments (and loaded at start), with a running sum so a read is one lookup.
class CategoryHistory final {
public:
    static constexpr auto kWindow = std::chrono::hours(24 * 30);
    static constexpr std::int64_t kHourMs = 3'600'000;

    struct Average {
        Money average;
        std::int64_t orders = 0;
    };

    /// A paid order of `category` with `total`, paid at `at`.
    void add(const std::string &category, Money total, TimePoint at);
    /// `orders` paid orders of `category` with totals summing to `sum`, paid in the
    /// hour that starts at `hour` × kHourMs (as loaded from storage).
    void addHour(const std::string &category, std::int64_t hour, std::int64_t orders, std::int64_t sum);
    /// The category's paid orders within the window before `now`, to the hour: an
    /// hour counts while its start is after now − kWindow. An empty category means
    /// all of them.
    Average average(const std::string &category, TimePoint now) const;

private:
    /// Orders and their totals per hour: a window of 30 days is at most 721 entries
    /// a category, whatever the number of orders.
    struct Series {
        std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> hours; // hour → orders, sum
        std::int64_t orders = 0;
        std::int64_t sum = 0;
    };
    static void add(Series &s, std::int64_t hour, std::int64_t orders, std::int64_t sum);
    static void prune(Series &s, std::int64_t cutoffHour);

    mutable std::mutex m_mutex;
    mutable std::unordered_map<std::string, Series> m_series;
    mutable Series m_all;
};

} // namespace flywheel::subsidy
