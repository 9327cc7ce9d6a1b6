// The ROI charts' minutes (RoiMinutes): sums per campaign·channel and minute, the total
// over every key, old minutes dropped as the injected time moves on, and the cap on
// keys with its "other" series.

#include "domain/subsidy/RoiMinutes.h"

#include <QTest>

using namespace flywheel;
using namespace flywheel::subsidy;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z, a minute's start

const RoiSeries *find(const std::vector<RoiSeries> &all, const std::string &campaign, const std::string &channel)
{
    for (const RoiSeries &s : all) {
        if (!s.other && s.campaignId == campaign && s.channel == channel)
            return &s;
    }
    return nullptr;
}

} // namespace

class TestRoiMinutes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sumsPerKeyAndMinute()
    {
        RoiMinutes book;
        const TimePoint now = T0 + 10min + 30s; // minute 10 of the hour
        book.issued("spring", "app", Money(500), T0 + 9min + 5s, now);
        book.issued("spring", "app", Money(300), T0 + 9min + 50s, now);
        book.issued("spring", "h5", Money(200), T0 + 9min + 10s, now);
        book.redeemed("spring", "app", Money(500), Money(12000), T0 + 10min + 1s, now);
        book.redeemed("spring", "h5", Money(200), Money(4000), T0 + 10min + 20s, now);

        const std::vector<RoiSeries> series = book.series(now);
        QCOMPARE(series.size(), std::size_t(2));
        const RoiSeries *app = find(series, "spring", "app");
        const RoiSeries *h5 = find(series, "spring", "h5");
        QVERIFY(app && h5);
        QCOMPARE(app->points.size(), std::size_t(60));
        // Oldest first; the last point is now's minute.
        QCOMPARE(app->points.back().start, T0 + 10min);
        QCOMPARE(app->points.front().start, T0 + 10min - 59min);
        const RoiPoint &appMinute9 = app->points[58];
        QCOMPARE(appMinute9.start, T0 + 9min);
        QCOMPARE(appMinute9.issued, 2);
        QCOMPARE(appMinute9.issuedAmount, Money(800));
        QCOMPARE(appMinute9.redeemed, 0);
        const RoiPoint &appMinute10 = app->points[59];
        QCOMPARE(appMinute10.issued, 0);
        QCOMPARE(appMinute10.redeemed, 1);
        QCOMPARE(appMinute10.redeemedAmount, Money(500));
        QCOMPARE(appMinute10.redeemedGmv, Money(12000));
        QCOMPARE(h5->points[58].issuedAmount, Money(200));
        QCOMPARE(h5->points[59].redeemedGmv, Money(4000));
        for (std::size_t i = 0; i < 58; ++i)
            QCOMPARE(app->points[i].issued + app->points[i].redeemed, 0);

        const std::vector<RoiPoint> total = book.total(now);
        QCOMPARE(total.size(), std::size_t(60));
        QCOMPARE(total[58].issued, 3);
        QCOMPARE(total[58].issuedAmount, Money(1000));
        QCOMPARE(total[59].redeemed, 2);
        QCOMPARE(total[59].redeemedAmount, Money(700));
        QCOMPARE(total[59].redeemedGmv, Money(16000));
    }

    void oldMinutesAreDropped()
    {
        RoiMinutes book;
        book.issued("spring", "app", Money(100), T0, T0);
        book.issued("spring", "h5", Money(100), T0 + 30min, T0 + 30min);
        // 59 minutes on, T0's minute is the window's first.
        QCOMPARE(book.series(T0 + 59min).size(), std::size_t(2));
        QCOMPARE(book.total(T0 + 59min).front().issuedAmount, Money(100));
        // An hour on, it is gone from the charts and, at the next event, from memory.
        QCOMPARE(book.series(T0 + 60min).size(), std::size_t(1));
        QCOMPARE(book.total(T0 + 60min).front().start, T0 + 1min);
        std::int64_t issued = 0;
        for (const RoiPoint &p : book.total(T0 + 60min))
            issued += p.issued;
        QCOMPARE(issued, 1);
        QCOMPARE(book.keyCount(), std::size_t(2));
        book.redeemed("spring", "h5", Money(100), Money(900), T0 + 60min, T0 + 60min);
        QCOMPARE(book.keyCount(), std::size_t(1));
        // A minute already outside the window is not counted at all.
        book.issued("spring", "app", Money(100), T0 + 5min, T0 + 70min);
        QCOMPARE(book.keyCount(), std::size_t(1));
        QVERIFY(find(book.series(T0 + 70min), "spring", "app") == nullptr);
        // One later than now (another thread's clock read) counts in now's minute.
        book.issued("spring", "h5", Money(40), T0 + 72min, T0 + 70min);
        QCOMPARE(book.total(T0 + 70min).back().issuedAmount, Money(40));
    }

    void keysBeyondTheCapGoToOther()
    {
        RoiMinutes book(2);
        book.issued("a", "app", Money(100), T0, T0);
        book.issued("b", "app", Money(200), T0, T0);
        book.issued("c", "app", Money(300), T0, T0);
        book.issued("d", "h5", Money(400), T0, T0);
        book.issued("a", "app", Money(1), T0, T0); // a held key keeps its series
        QCOMPARE(book.keyCount(), std::size_t(2));
        const std::vector<RoiSeries> series = book.series(T0);
        QCOMPARE(series.size(), std::size_t(3));
        QCOMPARE(series[0].campaignId, std::string("a"));
        QCOMPARE(series[0].points.back().issuedAmount, Money(101));
        QCOMPARE(series[1].campaignId, std::string("b"));
        QVERIFY(series[2].other);
        QCOMPARE(series[2].campaignId, std::string());
        QCOMPARE(series[2].points.back().issued, 2);
        QCOMPARE(series[2].points.back().issuedAmount, Money(700));
        // The totals hold everything.
        QCOMPARE(book.total(T0).back().issuedAmount, Money(1001));
        // Once "a" and "b" had nothing for an hour, new keys get series of their own.
        book.issued("c", "app", Money(5), T0 + 61min, T0 + 61min);
        QCOMPARE(book.keyCount(), std::size_t(1));
        const std::vector<RoiSeries> later = book.series(T0 + 61min);
        QCOMPARE(later.size(), std::size_t(1));
        QCOMPARE(later[0].campaignId, std::string("c"));
        QVERIFY(!later[0].other);
    }

    void nothingMeansNoSeries()
    {
        const RoiMinutes book;
        QVERIFY(book.series(T0).empty());
        const std::vector<RoiPoint> total = book.total(T0);
        QCOMPARE(total.size(), std::size_t(60));
        for (const RoiPoint &p : total)
            QCOMPARE(p.issued + p.redeemed + p.issuedAmount.minorUnits(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRoiMinutes)
#include "tst_roiminutes.moc"
