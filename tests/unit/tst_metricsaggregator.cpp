#include "domain/MetricsAggregator.h"

#include <QTest>

#include <map>
#include <random>
#include <set>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

// 2026-01-01T00:00:00Z: aligned to every bucket width.
const TimePoint T0 = fromEpochMs(1767225600000);

OrderFact order(std::int64_t uid, std::chrono::milliseconds after, std::int64_t gmv)
{
    return {uid, T0 + after, gmv};
}

Kpis kpis(std::int64_t gmv, std::int64_t orders, std::int64_t paying, std::int64_t repeat)
{
    return Kpis{gmv, orders, paying, repeat};
}

/// The definition, computed the slow way: every order, every time.
Kpis bruteForce(const std::vector<OrderFact> &orders, TimePoint from, TimePoint to)
{
    Kpis k;
    std::map<std::int64_t, int> perUser;
    for (const OrderFact &o : orders) {
        if (o.at > from && o.at <= to) {
            k.gmvMinor += o.gmvMinor;
            ++k.orders;
            ++perUser[o.uid];
        }
    }
    for (const auto &[uid, n] : perUser) {
        ++k.payingUsers;
        if (n >= 2)
            ++k.repeatUsers;
    }
    return k;
}

} // namespace

class TestMetricsAggregator final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyWindowsAreZero()
    {
        ManualClock clock(T0);
        MetricsAggregator metrics(clock);
        for (MetricsWindow window : kAllWindows) {
            const MetricsSnapshot s = metrics.snapshot(window);
            QCOMPARE(s.current, Kpis{});
            QCOMPARE(s.previous, Kpis{});
            QCOMPARE(s.current.arpuMinor(), 0);
            QCOMPARE(s.current.repeatRate(), 0.0);
            QCOMPARE(s.series.size(), windowSpec(window).bucketCount());
            for (const SeriesPoint &p : s.series)
                QCOMPARE(p.orders, 0);
        }
        QCOMPARE(windowSpec(MetricsWindow::FiveMinutes).bucketCount(), std::size_t(30));
        QCOMPARE(windowSpec(MetricsWindow::OneHour).bucketCount(), std::size_t(60));
        QCOMPARE(windowSpec(MetricsWindow::OneDay).bucketCount(), std::size_t(96));
        QCOMPARE(windowSpec(MetricsWindow::SevenDays).bucketCount(), std::size_t(84));
    }

    // The fixture, computed by hand:
    //   uid 1 at +10 s ¥10.00, uid 2 at +20 s ¥20.00, uid 1 at +100 s ¥30.00, uid 3 at +290 s ¥5.00
    void handComputedFixture()
    {
        ManualClock clock(T0);
        MetricsAggregator metrics(clock);
        metrics.record(order(1, 10s, 1000));
        metrics.record(order(2, 20s, 2000));
        metrics.record(order(1, 100s, 3000));
        metrics.record(order(3, 290s, 500));

        clock.set(T0 + 300s); // current (T0, T0+300]: all four
        MetricsSnapshot s = metrics.snapshot(MetricsWindow::FiveMinutes);
        QCOMPARE(s.current, kpis(6500, 4, 3, 1));
        QCOMPARE(s.current.arpuMinor(), 2167); // 6500 / 3 = 2166.67, rounded half away from zero
        QCOMPARE(s.current.repeatRate(), 1.0 / 3.0);
        QCOMPARE(s.previous, Kpis{});
        QCOMPARE(s.asOf, T0 + 300s);

        // Series: 30 points of 10 s, the last one containing asOf.
        QCOMPARE(s.series.size(), std::size_t(30));
        QCOMPARE(s.series.front().start, T0 + 10s);
        QCOMPARE(s.series.back().start, T0 + 300s);
        QCOMPARE(s.series[0], (SeriesPoint{T0 + 10s, 1000, 1, 1000, 1, 0}));
        QCOMPARE(s.series[1], (SeriesPoint{T0 + 20s, 2000, 1, 3000, 2, 0}));
        QCOMPARE(s.series[9], (SeriesPoint{T0 + 100s, 3000, 1, 6000, 2, 1})); // uid 1's second order in the window
        QCOMPARE(s.series[28], (SeriesPoint{T0 + 290s, 500, 1, 6500, 3, 1}));
        QCOMPARE(s.series[5], (SeriesPoint{T0 + 60s, 0, 0, 0, 0, 0}));

        // One hour, one day and seven days all contain the four orders.
        for (MetricsWindow w : {MetricsWindow::OneHour, MetricsWindow::OneDay, MetricsWindow::SevenDays})
            QCOMPARE(metrics.snapshot(w).current, kpis(6500, 4, 3, 1));
        const MetricsSnapshot hour = metrics.snapshot(MetricsWindow::OneHour);
        QCOMPARE(hour.series.back(), (SeriesPoint{T0 + 300s, 0, 0, 0, 0, 0}));
        QCOMPARE(hour.series[hour.series.size() - 4], (SeriesPoint{T0 + 120s, 0, 0, 0, 0, 0}));
        QCOMPARE(hour.series[hour.series.size() - 5], (SeriesPoint{T0 + 60s, 3000, 1, 6000, 2, 1}));
        QCOMPARE(hour.series[hour.series.size() - 6], (SeriesPoint{T0, 3000, 2, 3000, 2, 0}));
        QCOMPARE(hour.series[hour.series.size() - 2], (SeriesPoint{T0 + 240s, 500, 1, 6500, 3, 1}));
    }

    void windowBoundaries()
    {
        ManualClock clock(T0);
        MetricsAggregator metrics(clock);
        metrics.record(order(1, 10s, 1000));
        metrics.record(order(2, 20s, 2000));
        metrics.record(order(1, 100s, 3000));
        metrics.record(order(3, 290s, 500));

        // One millisecond before the first order leaves: still in.
        clock.set(T0 + 310s - 1ms);
        QCOMPARE(metrics.snapshot(MetricsWindow::FiveMinutes).current, kpis(6500, 4, 3, 1));
        // Exactly 5 minutes after it: out of (now - 5 min, now], into the previous window.
        clock.set(T0 + 310s);
        MetricsSnapshot s = metrics.snapshot(MetricsWindow::FiveMinutes);
        QCOMPARE(s.current, kpis(5500, 3, 3, 0));
        QCOMPARE(s.previous, kpis(1000, 1, 1, 0));
        QCOMPARE(s.current.arpuMinor(), 1833); // 5500 / 3 = 1833.33
        // Ten minutes on: everything is in the previous window, the current one is empty.
        clock.set(T0 + 600s);
        s = metrics.snapshot(MetricsWindow::FiveMinutes);
        QCOMPARE(s.current, Kpis{});
        QCOMPARE(s.previous, kpis(6500, 4, 3, 1));
        QCOMPARE(s.current.arpuMinor(), 0);
        // An order at the exact end of the previous window belongs to it, not to current.
        clock.set(T0 + 590s);
        QCOMPARE(metrics.snapshot(MetricsWindow::FiveMinutes).asOf, T0 + 600s); // time never goes back
        clock.set(T0 + 910s);
        s = metrics.snapshot(MetricsWindow::FiveMinutes);
        QCOMPARE(s.current, Kpis{});
        QCOMPARE(s.previous, Kpis{});
        // The hour still has them all.
        QCOMPARE(metrics.snapshot(MetricsWindow::OneHour).current, kpis(6500, 4, 3, 1));
        clock.set(T0 + 2h + 10s); // out of (T0+10s, T0+2h+10s]: the first order is gone from both hours
        s = metrics.snapshot(MetricsWindow::OneHour);
        QCOMPARE(s.current, Kpis{});
        QCOMPARE(s.previous, kpis(5500, 3, 3, 0));
        QCOMPARE(metrics.snapshot(MetricsWindow::SevenDays).current, kpis(6500, 4, 3, 1));
    }

    void lateOrderIsCountedAtTheNewestTime()
    {
        ManualClock clock(T0 + 300s);
        MetricsAggregator metrics(clock);
        metrics.record(order(1, 290s, 100));
        metrics.record(order(2, 50s, 200)); // committed after a newer one
        const MetricsSnapshot s = metrics.snapshot(MetricsWindow::FiveMinutes);
        QCOMPARE(s.current, kpis(300, 2, 2, 0));
        QCOMPARE(s.series[28], (SeriesPoint{T0 + 290s, 300, 2, 300, 2, 0}));
    }

    // Orders replayed from storage at startup, long after they were placed, must be
    // counted as they were then: the earlier order of a user is in the trailing window
    // of the later one even though both are older than a window now.
    void replayedOrdersSeeTheirOwnWindows()
    {
        ManualClock clock(T0 + std::chrono::hours(24 * 14));
        MetricsAggregator metrics(clock);
        metrics.record(order(1, std::chrono::hours(24 * 6 + 3), 100));
        metrics.record(order(1, std::chrono::hours(24 * 7 + 3), 200)); // 13 days ago, and 6 days ago
        metrics.record(order(2, std::chrono::hours(24 * 7 + 3), 400));
        const MetricsSnapshot s = metrics.snapshot(MetricsWindow::SevenDays);
        QCOMPARE(s.current, kpis(600, 2, 2, 0));
        QCOMPARE(s.previous, kpis(100, 1, 1, 0));
        const auto at =
            std::find_if(s.series.begin(), s.series.end(), [](const SeriesPoint &p) { return p.orders > 0; });
        QVERIFY(at != s.series.end());
        QCOMPARE(*at, (SeriesPoint{T0 + std::chrono::hours(24 * 7 + 2), 600, 2, 700, 2, 1}));
    }

    void versionCountsRecords()
    {
        ManualClock clock(T0);
        MetricsAggregator metrics(clock);
        QCOMPARE(metrics.version(), 0u);
        metrics.record(order(1, 0s, 1));
        metrics.record(order(1, 0s, 1));
        QCOMPARE(metrics.version(), 2u);
    }

    // Start-up replays two weeks of orders at once and may skip, per window, the
    // orders too old to show in it: every window must then show what recording each
    // order shows, at the restart and as time and new orders move on. Orders come in
    // bursts at one time, a little out of order, and at every window's edges.
    void replayShowsWhatRecordingEachOrderShows()
    {
        std::mt19937_64 rng(11);
        for (int round = 0; round < 20; ++round) {
            std::vector<OrderFact> history;
            TimePoint at = T0;
            const std::vector<std::chrono::milliseconds> gaps{0ms, 1ms, 10s, 1min, 15min, 2h, 24h, 7 * 24h};
            const int n = 50 + static_cast<int>(rng() % 400);
            for (int i = 0; i < n; ++i) {
                at += gaps[rng() % gaps.size()] / (1 + static_cast<int>(rng() % 50));
                const TimePoint placed = rng() % 10 == 0 ? at - 3s : at; // a late one now and then
                history.push_back(OrderFact{static_cast<std::int64_t>(rng() % 30), placed,
                                            static_cast<std::int64_t>(rng() % 100000)});
            }
            ManualClock clock(at + std::chrono::milliseconds(rng() % 600000));
            MetricsAggregator recorded(clock);
            for (const OrderFact &o : history)
                recorded.record(o);
            MetricsAggregator replayed(clock);
            replayed.replay(history);
            QCOMPARE(replayed.version(), recorded.version());
            TimePoint now = clock.now();
            for (int step = 0; step < 6; ++step) {
                for (MetricsWindow window : kAllWindows) {
                    const MetricsSnapshot a = recorded.snapshot(window);
                    const MetricsSnapshot b = replayed.snapshot(window);
                    QCOMPARE(b.asOf, a.asOf);
                    QCOMPARE(b.current, a.current);
                    QCOMPARE(b.previous, a.previous);
                    QVERIFY(b.series == a.series);
                }
                now += gaps[rng() % gaps.size()];
                clock.set(now);
                const OrderFact next{static_cast<std::int64_t>(rng() % 30), now, 100};
                recorded.record(next);
                replayed.record(next);
            }
        }
        // A replay after a record counts every order, like record() would.
        ManualClock clock(T0 + 30min);
        MetricsAggregator metrics(clock);
        metrics.record(order(1, 0s, 100));
        metrics.replay({order(2, 1min, 200), order(1, 2min, 300)});
        QCOMPARE(metrics.snapshot(MetricsWindow::OneHour).current, kpis(600, 3, 2, 1));
    }

    // Random traffic and random clock steps over three weeks, checked against the
    // definition after every step, for every window.
    void matchesBruteForce()
    {
        std::mt19937_64 rng(7);
        ManualClock clock(T0);
        MetricsAggregator metrics(clock);
        std::vector<OrderFact> all;
        TimePoint now = T0;
        const std::vector<std::chrono::milliseconds> steps{1ms, 999ms, 10s, 1min, 7min, 1h, 5h, 26h};
        for (int step = 0; step < 400; ++step) {
            const int burst = static_cast<int>(rng() % 6);
            for (int i = 0; i < burst; ++i) {
                const OrderFact o{static_cast<std::int64_t>(rng() % 25), now,
                                  static_cast<std::int64_t>(rng() % 100000)};
                metrics.record(o);
                all.push_back(o);
            }
            now += steps[rng() % steps.size()];
            clock.set(now);
            for (MetricsWindow window : kAllWindows) {
                const auto length = windowSpec(window).length;
                const MetricsSnapshot s = metrics.snapshot(window);
                QCOMPARE(s.current, bruteForce(all, now - length, now));
                QCOMPARE(s.previous, bruteForce(all, now - 2 * length, now - length));
                // The series is whole buckets from its first start up to now.
                std::int64_t seriesOrders = 0;
                std::int64_t seriesGmv = 0;
                for (const SeriesPoint &p : s.series) {
                    seriesOrders += p.orders;
                    seriesGmv += p.gmvMinor;
                }
                const Kpis covered = bruteForce(all, s.series.front().start - 1ms, now);
                QCOMPARE(seriesOrders, covered.orders);
                // Each point's rolling window is the window ending at its last order.
                for (const SeriesPoint &p : s.series) {
                    if (p.orders == 0)
                        continue;
                    TimePoint last = p.start;
                    for (const OrderFact &o : all) {
                        if (o.at >= p.start && o.at < p.start + windowSpec(window).bucket)
                            last = std::max(last, o.at);
                    }
                    const Kpis rolling = bruteForce(all, last - length, last);
                    QCOMPARE(p.windowGmvMinor, rolling.gmvMinor);
                    QCOMPARE(p.windowPayingUsers, rolling.payingUsers);
                    QCOMPARE(p.windowRepeatUsers, rolling.repeatUsers);
                }
                QCOMPARE(seriesGmv, covered.gmvMinor);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestMetricsAggregator)
#include "tst_metricsaggregator.moc"
