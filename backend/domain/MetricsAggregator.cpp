#include "domain/MetricsAggregator.h"

#include "domain/Money.h"

#include <algorithm>
#include <limits>

namespace flywheel {

namespace {

std::size_t indexOf(MetricsWindow window)
{
    return static_cast<std::size_t>(window);
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

WindowSpec windowSpec(MetricsWindow window)
{
    using namespace std::chrono_literals;
    switch (window) {
    case MetricsWindow::FiveMinutes:
        return {5min, 10s};
    case MetricsWindow::OneHour:
        return {1h, 1min};
    case MetricsWindow::OneDay:
        return {24h, 15min};
    case MetricsWindow::SevenDays:
        return {std::chrono::hours(24 * 7), 2h};
    }
    return {5min, 10s};
}

std::int64_t Kpis::arpuMinor() const
{
    return payingUsers == 0 ? 0 : divideRounded(gmvMinor, payingUsers);
}

double Kpis::repeatRate() const
{
    return payingUsers == 0 ? 0.0 : static_cast<double>(repeatUsers) / static_cast<double>(payingUsers);
}

void MetricsAggregator::Interval::add(const Event &e)
{
    kpis.gmvMinor += e.gmvMinor;
    ++kpis.orders;
    const int count = ++ordersByUser[e.uid];
    if (count == 1)
        ++kpis.payingUsers;
    else if (count == 2)
        ++kpis.repeatUsers;
}

void MetricsAggregator::Interval::remove(const Event &e)
{
    kpis.gmvMinor -= e.gmvMinor;
    --kpis.orders;
    const auto it = ordersByUser.find(e.uid);
    const int count = --it->second;
    if (count == 0) {
        --kpis.payingUsers;
        ordersByUser.erase(it);
    } else if (count == 1) {
        --kpis.repeatUsers;
    }
}

// Time starts at the first order or snapshot, not at the clock's now: orders replayed
// from storage must see the windows as they were when each was placed.
MetricsAggregator::MetricsAggregator(const Clock &clock)
    : m_clock(clock), m_latestEventMs(std::numeric_limits<std::int64_t>::min()),
      m_nowMs(std::numeric_limits<std::int64_t>::min())
{
    for (MetricsWindow window : kAllWindows) {
        const WindowSpec spec = windowSpec(window);
        m_sliders[indexOf(window)].lengthMs = std::chrono::duration_cast<Milliseconds>(spec.length).count();
        Series &series = m_series[indexOf(window)];
        series.bucketMs = std::chrono::duration_cast<Milliseconds>(spec.bucket).count();
        series.ring.resize(spec.bucketCount());
    }
}

void MetricsAggregator::slideTo(std::int64_t nowMs)
{
    m_nowMs = std::max(m_nowMs, nowMs);
    const std::uint64_t end = m_firstIndex + m_events.size();
    for (Slider &s : m_sliders) {
        // An event at exactly now - length has left the current window: intervals are (start, end].
        while (s.currentBegin < end && eventAt(s.currentBegin).atMs <= m_nowMs - s.lengthMs) {
            if (s.currentBegin >= s.firstCounted) {
                s.current.remove(eventAt(s.currentBegin));
                s.previous.add(eventAt(s.currentBegin));
            }
            ++s.currentBegin;
        }
        while (s.previousBegin < s.currentBegin && eventAt(s.previousBegin).atMs <= m_nowMs - 2 * s.lengthMs) {
            if (s.previousBegin >= s.firstCounted)
                s.previous.remove(eventAt(s.previousBegin));
            ++s.previousBegin;
        }
    }
    prune();
}

void MetricsAggregator::prune()
{
    std::uint64_t keepFrom = m_firstIndex + m_events.size();
    for (const Slider &s : m_sliders)
        keepFrom = std::min(keepFrom, s.previousBegin);
    while (m_firstIndex < keepFrom) {
        m_events.pop_front();
        ++m_firstIndex;
    }
}

void MetricsAggregator::record(const OrderFact &order)
{
    const std::lock_guard lock(m_mutex);
    recordLocked(order);
}

void MetricsAggregator::replay(const std::vector<OrderFact> &orders)
{
    const std::lock_guard lock(m_mutex);
    if (!m_events.empty() || m_firstIndex != 0 || orders.empty()) {
        for (const OrderFact &order : orders)
            recordLocked(order);
        return;
    }
    std::int64_t newestMs = std::numeric_limits<std::int64_t>::min();
    for (const OrderFact &order : orders)
        newestMs = std::max(newestMs, toEpochMs(order.at));
    // What a window shows at the newest order or later: its current and previous
    // interval, and chart points whose rolling values reach one length further
    // back. Older orders enter and leave it unseen; counting them would only cost.
    for (Slider &s : m_sliders) {
        const std::int64_t unseenBefore = newestMs - 3 * s.lengthMs;
        std::uint64_t first = 0;
        std::int64_t latestMs = std::numeric_limits<std::int64_t>::min();
        for (const OrderFact &order : orders) {
            latestMs = std::max(latestMs, toEpochMs(order.at)); // as recordLocked() will time it
            if (latestMs > unseenBefore)
                break;
            ++first;
        }
        s.firstCounted = first;
    }
    for (const OrderFact &order : orders)
        recordLocked(order);
}

void MetricsAggregator::recordLocked(const OrderFact &order)
{
    const Event event{order.uid, std::max(toEpochMs(order.at), m_latestEventMs), order.gmvMinor};
    m_latestEventMs = event.atMs;
    const std::uint64_t index = m_firstIndex + m_events.size();
    m_events.push_back(event);
    for (Slider &s : m_sliders) {
        if (index >= s.firstCounted)
            s.current.add(event);
    }
    ++m_version;
    // An order from the past may belong to the previous interval or to none.
    slideTo(event.atMs);

    for (std::size_t w = 0; w < kAllWindows.size(); ++w) {
        Series &series = m_series[w];
        const std::int64_t index = floorDiv(event.atMs, series.bucketMs);
        Bucket &bucket = series.ring[static_cast<std::size_t>(index % static_cast<std::int64_t>(series.ring.size()))];
        if (bucket.index > index)
            continue; // older than anything the ring still shows
        if (bucket.index != index) {
            bucket.index = index;
            bucket.point = SeriesPoint{fromEpochMs(index * series.bucketMs), 0, 0, 0, 0, 0};
        }
        bucket.point.gmvMinor += event.gmvMinor;
        ++bucket.point.orders;
        const Kpis &window = m_sliders[w].current.kpis;
        bucket.point.windowGmvMinor = window.gmvMinor;
        bucket.point.windowPayingUsers = window.payingUsers;
        bucket.point.windowRepeatUsers = window.repeatUsers;
    }
}

MetricsSnapshot MetricsAggregator::snapshot(MetricsWindow window)
{
    const std::int64_t clockMs = toEpochMs(m_clock.now());
    const std::lock_guard lock(m_mutex);
    slideTo(clockMs);
    const std::size_t w = indexOf(window);
    const Slider &slider = m_sliders[w];
    const Series &series = m_series[w];

    MetricsSnapshot snap;
    snap.window = window;
    snap.asOf = fromEpochMs(m_nowMs);
    snap.current = slider.current.kpis;
    snap.previous = slider.previous.kpis;
    snap.bucket = std::chrono::duration_cast<std::chrono::seconds>(Milliseconds(series.bucketMs));
    const auto count = static_cast<std::int64_t>(series.ring.size());
    const std::int64_t last = floorDiv(m_nowMs, series.bucketMs);
    snap.series.reserve(series.ring.size());
    for (std::int64_t index = last - count + 1; index <= last; ++index) {
        const Bucket &bucket = series.ring[static_cast<std::size_t>(((index % count) + count) % count)];
        if (bucket.index == index)
            snap.series.push_back(bucket.point);
        else
            snap.series.push_back(SeriesPoint{fromEpochMs(index * series.bucketMs), 0, 0, 0, 0, 0});
    }
    return snap;
}

std::uint64_t MetricsAggregator::version() const
{
    const std::lock_guard lock(m_mutex);
    return m_version;
}

} // namespace flywheel
