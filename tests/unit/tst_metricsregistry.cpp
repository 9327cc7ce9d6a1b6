// metrics::Registry: the Prometheus text format it writes, the names it refuses, and
// counts that stay exact under concurrent recording.

#include "metrics/Registry.h"

#include <QTest>

#include <sstream>
#include <thread>

using namespace flywheel::metrics;
using namespace std::chrono_literals;

namespace {

/// The lines of `text` that are samples (not comments).
std::vector<std::string> samples(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] != '#')
            out.push_back(line);
    }
    return out;
}

} // namespace

class TestMetricsRegistry final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writesCountersAndGaugesWithHelpAndType()
    {
        Registry r;
        auto &orders = r.counter("flywheel_orders_total", "Orders by event.", {"event"});
        orders.with({"created"}).inc(3);
        orders.with({"paid"}).inc();
        r.gauge("flywheel_open", "Open things.").get().set(2.5);
        const std::string text = r.expose();
        QCOMPARE(text,
                 std::string("# HELP flywheel_orders_total Orders by event.\n"
                                "# TYPE flywheel_orders_total counter\n"
                                "flywheel_orders_total{event=\"created\"} 3\n"
                                "flywheel_orders_total{event=\"paid\"} 1\n"
                                "# HELP flywheel_open Open things.\n"
                                "# TYPE flywheel_open gauge\n"
                                "flywheel_open 2.5\n"));
    }

    void escapesLabelValuesAndHelp()
    {
        Registry r;
        r.counter("x_total", "Line one\nback\\slash", {"v"}).with({"a\"b\\c\nd"}).inc();
        const std::string text = r.expose();
        QVERIFY(text.find("# HELP x_total Line one\\nback\\\\slash\n") != std::string::npos);
        QVERIFY(text.find("x_total{v=\"a\\\"b\\\\c\\nd\"} 1\n") != std::string::npos);
    }

    void histogramBucketsAreCumulativeAndEndAtCount()
    {
        Registry r;
        static constexpr double kBounds[] = {0.001, 0.01, 0.1};
        auto &h = r.histogram("req_seconds", "Request time.", {"m"}, kBounds).with({"A"});
        h.observe(500us);  // <= 0.001
        h.observe(1ms);    // on the bound: counts in it
        h.observe(5ms);    // <= 0.01
        h.observe(2s);     // +Inf
        const std::vector<std::string> lines = samples(r.expose());
        QVERIFY(lines ==
                 std::vector<std::string>({"req_seconds_bucket{m=\"A\",le=\"0.001\"} 2", "req_seconds_bucket{m=\"A\",le=\"0.01\"} 3",
                              "req_seconds_bucket{m=\"A\",le=\"0.1\"} 3", "req_seconds_bucket{m=\"A\",le=\"+Inf\"} 4",
                              "req_seconds_sum{m=\"A\"} 2.0065", "req_seconds_count{m=\"A\"} 4"}));
        const Histogram::Snapshot s = h.snapshot();
        QCOMPARE(s.count(), std::uint64_t{4});
    }

    void callbacksAreReadAtEachScrape()
    {
        Registry r;
        double value = 1;
        r.gaugeCallback("live_value", "Read when scraped.", {"k"}, [&value] {
            return std::vector<Sample>{{{"a"}, value}, {{"wrong", "arity"}, 9}};
        });
        r.counterCallback("kept_elsewhere_total", "A count kept elsewhere.", {}, [] {
            return std::vector<Sample>{{{}, 7}};
        });
        QVERIFY(r.expose().find("live_value{k=\"a\"} 1\n") != std::string::npos);
        value = 4;
        const std::string text = r.expose();
        QVERIFY(text.find("live_value{k=\"a\"} 4\n") != std::string::npos);
        // A sample whose labels do not match is left out, never written malformed.
        QVERIFY(text.find("wrong") == std::string::npos);
        QVERIFY(text.find("# TYPE kept_elsewhere_total counter\nkept_elsewhere_total 7\n") != std::string::npos);
    }

    void refusesNamesPromtoolWouldFlag_data()
    {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("label");
        QTest::newRow("counter without _total") << QByteArray("counter") << QByteArray("orders") << QByteArray();
        QTest::newRow("gauge with _total") << QByteArray("gauge") << QByteArray("open_total") << QByteArray("");
        QTest::newRow("colon in name") << QByteArray("gauge") << QByteArray("a:b") << QByteArray("");
        QTest::newRow("leading digit") << QByteArray("gauge") << QByteArray("1a") << QByteArray("");
        QTest::newRow("empty name") << QByteArray("gauge") << QByteArray("") << QByteArray("");
        QTest::newRow("le label") << QByteArray("counter") << QByteArray("x_total") << QByteArray("le");
        QTest::newRow("reserved label") << QByteArray("counter") << QByteArray("x_total") << QByteArray("__name");
        QTest::newRow("dash in label") << QByteArray("counter") << QByteArray("x_total") << QByteArray("a-b");
    }
    void refusesNamesPromtoolWouldFlag()
    {
        QFETCH(QByteArray, kind);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, label);
        Registry r;
        std::vector<std::string> labels;
        if (!label.isEmpty())
            labels.push_back(label.toStdString());
        if (kind == QByteArray("counter"))
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter(name.toStdString(), "help", labels));
        else
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.gauge(name.toStdString(), "help", labels));
    }

    void refusesTwiceTheSameNameNoHelpAndBadBounds()
    {
        Registry r;
        r.counter("a_total", "help");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.counter("a_total", "help"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.gauge("b", ""));
        static constexpr double kDescending[] = {0.1, 0.01};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, r.histogram("c_seconds", "help", {}, kDescending));
        auto &family = r.counter("d_total", "help", {"x"});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, family.with({"1", "2"}));
    }

    void formatsSpecialValues()
    {
        QCOMPARE(formatValue(std::numeric_limits<double>::infinity()), std::string("+Inf"));
        QCOMPARE(formatValue(-std::numeric_limits<double>::infinity()), std::string("-Inf"));
        QCOMPARE(formatValue(std::numeric_limits<double>::quiet_NaN()), std::string("NaN"));
        QCOMPARE(formatValue(0.1), std::string("0.1"));
        QCOMPARE(formatValue(12345678), std::string("12345678"));
    }

    void countsStayExactUnderConcurrentRecording()
    {
        Registry r;
        auto &family = r.counter("hits_total", "help", {"worker"});
        auto &shared = r.counter("shared_total", "help").get();
        static constexpr double kBounds[] = {0.001};
        auto &h = r.histogram("t_seconds", "help", {}, kBounds).get();
        constexpr int kThreads = 4;
        constexpr int kPerThread = 100000;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    shared.inc();
                    family.with({std::to_string(i % 3)}).inc();
                    h.observe(std::chrono::microseconds(t % 2 == 0 ? 100 : 5000));
                    if (i % 10000 == 0)
                        (void)r.expose(); // scrapes while recording
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(shared.value(), std::uint64_t{kThreads * kPerThread});
        std::uint64_t sum = 0;
        family.forEach([&sum](const std::vector<std::string> &, const Counter &c) { sum += c.value(); });
        QCOMPARE(sum, std::uint64_t{kThreads * kPerThread});
        const Histogram::Snapshot s = h.snapshot();
        QCOMPARE(s.counts[0], std::uint64_t{kThreads / 2 * kPerThread});
        QCOMPARE(s.count(), std::uint64_t{kThreads * kPerThread});
    }
};

QTEST_GUILESS_MAIN(TestMetricsRegistry)
#include "tst_metricsregistry.moc"
