#pragma once

#include "domain/Clock.h"

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace flywheel {

enum class MetricsWindow { FiveMinutes, OneHour, OneDay, SevenDays };
inline constexpr std::array kAllWindows{MetricsWindow::FiveMinutes, MetricsWindow::OneHour, MetricsWindow::OneDay,
                                        MetricsWindow::SevenDays};

struct WindowSpec {
    std::chrono::seconds length;
    /// Width of one chart point.
    std::chrono::seconds bucket;
    std::size_t bucketCount() const { return static_cast<std::size_t>(length / bucket); }
};

/// 5 min in 10 s points, 1 h in minutes, 24 h in quarter hours, 7 days in 2 h points.
WindowSpec windowSpec(MetricsWindow window);

/// What one committed order contributes to the metrics.
struct OrderFact {
    std::int64_t uid = 0;
    TimePoint at;
    std::int64_t gmvMinor = 0;
};

struct Kpis {
    std::int64_t gmvMinor = 0;
    std::int64_t orders = 0;
    std::int64_t payingUsers = 0;
    std::int64_t repeatUsers = 0;

    /// GMV / distinct paying users, rounded half away from zero; 0 when nobody paid.
    std::int64_t arpuMinor() const;
    /// Users with >= 2 orders / users with >= 1, in [0, 1]; 0 when nobody paid.
    double repeatRate() const;
    friend bool operator==(const Kpis &, const Kpis &) = default;
};

/// One chart point: the orders whose time falls in [start, start + bucket), and the
/// rolling window (the window's length, ending at the point's last order) as it
/// stood then, so ARPU and repeat rate can be drawn over time and the newest point
/// agrees with the KPI tiles.
struct SeriesPoint {
    TimePoint start;
    std::int64_t gmvMinor = 0;
    std::int64_t orders = 0;
    std::int64_t windowGmvMinor = 0;
    std::int64_t windowPayingUsers = 0;
    std::int64_t windowRepeatUsers = 0;
    friend bool operator==(const SeriesPoint &, const SeriesPoint &) = default;
};

struct MetricsSnapshot {
    MetricsWindow window = MetricsWindow::FiveMinutes;
    TimePoint asOf;
    /// Orders in (asOf - length, asOf].
    Kpis current;
    /// Orders in (asOf - 2 * length, asOf - length].
    Kpis previous;
    std::chrono::seconds bucket{0};
    /// bucketCount() points, oldest first; the last one contains asOf.
    std::vector<SeriesPoint> series;
};

/// Live GMV, order count, ARPU and repeat-purchase rate over sliding windows.
///
/// Maintained incrementally: each order updates a constant amount of state, and
/// moving time forward touches only the orders that cross a window edge, so a
/// snapshot never rescans the orders. Orders are expected in roughly ascending
/// time; an order older than the newest one seen is counted at the newest time
/// (orders are committed a few milliseconds apart, and the skew is not visible).
/// Thread-safe.
class MetricsAggregator final {
public:
    explicit MetricsAggregator(const Clock &clock);

    void record(const OrderFact &order);
    /// Start-up: records `orders` (by time, oldest first) into an aggregator that has
    /// recorded nothing yet. The snapshots are then the same as after record() of each,
    /// but a window skips the orders too old to show in it (older than three of its
    /// lengths before the newest order), so that two weeks of history cost one pass
    /// of the seven-day window rather than one of every window. Falls back to
    /// record() of each when something was recorded already.
    void replay(const std::vector<OrderFact> &orders);
    /// The window as of the clock's current time (never earlier than a previous snapshot).
    MetricsSnapshot snapshot(MetricsWindow window);
    /// Increases with every recorded order: lets publishers skip unchanged snapshots.
    std::uint64_t version() const;

private:
    struct Event {
        std::int64_t uid;
        std::int64_t atMs;
        std::int64_t gmvMinor;
    };
    /// Counts per user for one sliding interval of the event log.
    struct Interval {
        absl::flat_hash_map<std::int64_t, int> ordersByUser;
        Kpis kpis;
        void add(const Event &e);
        void remove(const Event &e);
    };
    /// The current and previous interval of one window length. Events with index in
    /// [previousBegin, currentBegin) are in previous, [currentBegin, end) in current.
    struct Slider {
        std::int64_t lengthMs = 0;
        std::uint64_t previousBegin = 0;
        std::uint64_t currentBegin = 0;
        /// Events before this index were never counted in this slider (replay()
        /// skipped them): they leave its intervals without being removed.
        std::uint64_t firstCounted = 0;
        Interval previous;
        Interval current;
    };
    struct Bucket {
        std::int64_t index = -1;
        SeriesPoint point;
    };
    struct Series {
        std::int64_t bucketMs = 0;
        std::vector<Bucket> ring;
    };

    const Event &eventAt(std::uint64_t index) const { return m_events[index - m_firstIndex]; }
    void recordLocked(const OrderFact &order);
    void slideTo(std::int64_t nowMs);
    void prune();

    const Clock &m_clock;
    mutable std::mutex m_mutex;
    std::deque<Event> m_events;
    std::uint64_t m_firstIndex = 0;
    std::int64_t m_latestEventMs;
    std::int64_t m_nowMs;
    std::uint64_t m_version = 0;
    std::array<Slider, kAllWindows.size()> m_sliders;
    std::array<Series, kAllWindows.size()> m_series;
};

} // namespace flywheel
