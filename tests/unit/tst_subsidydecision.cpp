// First-order subsidies, the pure parts: the LTV model against hand-computed values,
// the decision table (every reason, in its order), the down-weighting switch on
// both sides of each of its thresholds, the cap, config validation naming each
// field, the budget book under 64 racing threads, the live P99 window and the
// category averages, and the config's YAML round trip.

#include "domain/subsidy/BudgetBook.h"
#include "domain/subsidy/CategoryHistory.h"
#include "domain/subsidy/Decision.h"
#include "domain/subsidy/LatencyWindow.h"
#include "domain/subsidy/SubsidyConfig.h"
#include "subsidy/SubsidyConfigYaml.h"

#include <QTest>

#include <atomic>
#include <barrier>
#include <thread>

using namespace flywheel;
using namespace flywheel::subsidy;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

SubsidyConfig config()
{
    SubsidyConfig c = initialSubsidyConfig(true);
    c.baseAmount = Money(1000);
    c.capFactor = 2.0;
    c.minLtvCacRatio = 1.5;
    c.activeDays = 2;
    c.channelCac = {{"app", Money(1000)}};
    return c;
}

/// A user who gets the full cap: LTV = (1 + 0.4 × 3) × 20000 × 0.25 = 11000,
/// ratio 11, 0.3 × LTV = 3300 > cap 2000.
Inputs richUser()
{
    Inputs in;
    in.activeDaysLast7 = 3;
    in.channel = "app";
    in.category = "tea";
    in.categoryAverage = Money(20000);
    in.categoryOrders = 50;
    in.orderTotal = Money(5000);
    return in;
}

} // namespace

class TestSubsidyDecision : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ltvModel()
    {
        LtvModel m;
        Inputs in = richUser();
        in.pastPaidOrders = 2;
        Ltv ltv = predictLtv(m, in, Money(1000));
        // (1 + 0.4 × 3 + 0.5 × 2) × 20000 × 0.25 = 3.2 × 5000 = 16000
        QCOMPARE(ltv.expectedOrders, 3.2);
        QCOMPARE(ltv.averageOrderValue, Money(20000));
        QCOMPARE(ltv.margin, 0.25);
        QCOMPARE(ltv.ltv, Money(16000));
        QCOMPARE(ltv.ratio, 16.0);
        // Too little category history: this order's total instead.
        in.categoryOrders = 19;
        ltv = predictLtv(m, in, Money(1000));
        QCOMPARE(ltv.averageOrderValue, Money(5000));
        QCOMPARE(ltv.ltv, Money(4000));
        // No CAC: no ratio.
        QCOMPARE(predictLtv(m, in, Money()).ratio, 0.0);
    }

    void decisionTable()
    {
        const SubsidyConfig c = config();
        Decision d = decide(c, richUser());
        QCOMPARE(d.reason, Reason::Granted);
        QCOMPARE(d.amount, Money(2000)); // the cap, base 1000 × 2

        SubsidyConfig off = c;
        off.enabled = false;
        QCOMPARE(decide(off, richUser()).reason, Reason::Disabled);

        Inputs paid = richUser();
        paid.pastPaidOrders = 1;
        QCOMPARE(decide(c, paid).reason, Reason::NotFirstOrder);

        Inputs web = richUser();
        web.channel = "web";
        QCOMPARE(decide(c, web).reason, Reason::NoCac);

        // LTV/CAC exactly at the minimum passes; just below does not.
        SubsidyConfig edge = c;
        edge.channelCac = {{"app", Money(11000 * 2 / 3)}}; // 7333: ratio 1.50007
        QCOMPARE(decide(edge, richUser()).reason, Reason::Granted);
        edge.channelCac = {{"app", Money(7334)}}; // ratio 1.49986
        QCOMPARE(decide(edge, richUser()).reason, Reason::LtvCacBelowMin);

        // Everything passes, but a free order leaves nothing to grant: said as such.
        Inputs free = richUser();
        free.orderTotal = Money(0);
        const Decision nothing = decide(c, free);
        QCOMPARE(nothing.reason, Reason::AmountZero);
        QCOMPARE(nothing.amount, Money(0));
        QCOMPARE(std::string(reasonName(Reason::AmountZero)), std::string("amount_zero"));

        // Active days: at the minimum passes, one fewer does not.
        Inputs lazy = richUser();
        lazy.activeDaysLast7 = 2; // LTV (1 + 0.8) × 5000 = 9000
        QCOMPARE(decide(c, lazy).reason, Reason::Granted);
        lazy.activeDaysLast7 = 1;
        QCOMPARE(decide(c, lazy).reason, Reason::TooFewActiveDays);

        // 0.3 × LTV below the cap: LTV = 1.0 × 5000 × 0.25 = 1250 (few category orders,
        // no active days required), 0.3 × 1250 = 375.
        SubsidyConfig loose = c;
        loose.activeDays = 0;
        loose.minLtvCacRatio = 0.5;
        Inputs small = richUser();
        small.activeDaysLast7 = 0;
        small.categoryOrders = 0;
        d = decide(loose, small);
        QCOMPARE(d.reason, Reason::Granted);
        QCOMPARE(d.amount, Money(375));

        // Never more than the order total.
        Inputs cheap = richUser();
        cheap.orderTotal = Money(900);
        QCOMPARE(decide(c, cheap).amount, Money(900));
    }

    void downWeightingSwitch_data()
    {
        QTest::addColumn<double>("p99");
        QTest::addColumn<int>("risk");
        QTest::addColumn<bool>("downWeighted");
        // Threshold 800 ms, score 75: both must hold, P99 strictly above, risk at or above.
        QTest::newRow("fast, safe") << 100.0 << 10 << false;
        QTest::newRow("P99 at the threshold, risky") << 800.0 << 90 << false;
        QTest::newRow("P99 just above, risky") << 800.5 << 90 << true;
        QTest::newRow("slow, risk one below") << 2000.0 << 74 << false;
        QTest::newRow("slow, risk at the threshold") << 2000.0 << 75 << true;
        QTest::newRow("slow, risk 100") << 2000.0 << 100 << true;
        QTest::newRow("fast, risk 100") << 10.0 << 100 << false;
    }

    void downWeightingSwitch()
    {
        QFETCH(double, p99);
        QFETCH(int, risk);
        QFETCH(bool, downWeighted);
        const SubsidyConfig c = config();
        Inputs in = richUser();
        in.orderP99Ms = p99;
        in.riskScore = risk;
        const Decision d = decide(c, in);
        QCOMPARE(d.reason, downWeighted ? Reason::GrantedDownweighted : Reason::Granted);
        QCOMPARE(d.amount, downWeighted ? Money(600) : Money(2000)); // 2000 × 0.3
    }

    void validation_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("campaign") << 0 << "campaign_id must be 1-40";
        QTest::newRow("ratio") << 1 << "min_ltv_cac_ratio must be greater than 0";
        QTest::newRow("base") << 2 << "base_amount must be positive";
        QTest::newRow("cap") << 3 << "cap_factor must be greater than 0 and at most 100, not 101";
        QTest::newRow("active days") << 4 << "active_days must be from 0 to 7, not 8";
        QTest::newRow("latency") << 5 << "risk.latency_threshold_ms must be from 1 to 60000, not 0";
        QTest::newRow("score") << 6 << "risk.score_threshold must be from 0 to 100, not 101";
        QTest::newRow("weight") << 7 << "risk.weight must be greater than 0 and at most 1, not 0";
        QTest::newRow("cac channel") << 8 << "channel_cac[0].channel must be 1-40";
        QTest::newRow("cac twice") << 9 << "channel_cac[1].channel \"app\" is given twice";
        QTest::newRow("cac amount") << 10 << "channel_cac[0].cac must be positive";
        QTest::newRow("daily above total") << 11 << "budgets[0].daily must be positive and at most the total";
        QTest::newRow("no budget") << 12 << "campaign_id \"first_order\" has no budget";
        QTest::newRow("margin") << 13 << "ltv.margin_bp must be from 1 to 10000, not 0";
        QTest::newRow("min orders") << 14 << "ltv.min_category_orders must be from 0 to 100000, not -1";
        QTest::newRow("base orders") << 15 << "ltv.base_orders must be from 0 to 1000, not -1";
    }

    void validation()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        SubsidyConfig c = config();
        QVERIFY(!validate(c));
        switch (which) {
        case 0: c.campaignId = "Bad Id"; break;
        case 1: c.minLtvCacRatio = 0; break;
        case 2: c.baseAmount = Money(0); break;
        case 3: c.capFactor = 101; break;
        case 4: c.activeDays = 8; break;
        case 5: c.risk.latencyThresholdMs = 0; break;
        case 6: c.risk.scoreThreshold = 101; break;
        case 7: c.risk.weight = 0; break;
        case 8: c.channelCac[0].channel = ""; break;
        case 9: c.channelCac.push_back({"app", Money(5)}); break;
        case 10: c.channelCac[0].cac = Money(-1); break;
        case 11: c.budgets[0].daily = Money(c.budgets[0].total.minorUnits() + 1); break;
        case 12: c.budgets.clear(); break;
        case 13: c.ltv.marginBp = 0; break;
        case 14: c.ltv.minCategoryOrders = -1; break;
        case 15: c.ltv.baseOrders = -1; break;
        }
        const auto error = validate(c);
        QVERIFY(error);
        QVERIFY2(QString::fromStdString(*error).startsWith(message), error->c_str());
    }

    void budgetUnder64Threads()
    {
        // 64 threads reserve amounts of 1-7 on one budget of 10,000 total and 5,000
        // a day, over two days: the spend ends at most at each budget, exactly the sum
        // of the granted reservations, and the refusals say which budget stopped them.
        BudgetBook book;
        constexpr int kThreads = 64;
        constexpr int kEach = 400;
        std::atomic<std::int64_t> granted{0};
        std::atomic<std::int64_t> grantedDay0{0};
        std::atomic<int> daily{0};
        std::atomic<int> total{0};
        std::barrier start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                for (int i = 0; i < kEach; ++i) {
                    const std::int64_t amount = 1 + (t + i) % 7;
                    const std::int64_t day = (t + i) % 2;
                    const Reason r = book.reserve("c", day, Money(amount), Money(10000), Money(5000));
                    if (r == Reason::Granted) {
                        granted += amount;
                        if (day == 0)
                            grantedDay0 += amount;
                    } else if (r == Reason::DailyBudgetExhausted) {
                        ++daily;
                    } else {
                        QCOMPARE(r, Reason::TotalBudgetExhausted);
                        ++total;
                    }
                }
            });
        }
        for (auto &t : threads)
            t.join();
        const CampaignSpent spent = book.spent("c", 0);
        QCOMPARE(spent.total.minorUnits(), granted.load());
        QCOMPARE(spent.today.minorUnits(), grantedDay0.load());
        QVERIFY(spent.total <= Money(10000));
        QVERIFY(spent.today <= Money(5000));
        QVERIFY(book.spent("c", 1).today <= Money(5000));
        // 64 × 400 reservations of 4 on average ask for ~100,000: the budget ran out.
        QVERIFY(spent.total >= Money(10000 - 7));
        QVERIFY(daily + total > 0);
        // The 90 % signal: once for the total and once per day.
        const auto signals = book.signals();
        QCOMPARE(std::count_if(signals.begin(), signals.end(), [](const auto &s) { return s.which == "total"; }), 1);
        QCOMPARE(std::count_if(signals.begin(), signals.end(), [](const auto &s) { return s.which == "daily"; }), 2);
        // Giving back makes room again.
        book.release("c", 0, Money(100));
        QCOMPARE(book.spent("c", 0).total, Money(granted.load() - 100));
        QCOMPARE(book.reserve("c", 0, Money(100), Money(10000), Money(5000)), Reason::Granted);
    }

    void budgetSignalAtNinetyPercent()
    {
        BudgetBook book;
        std::vector<BudgetSignal> crossed;
        QCOMPARE(book.reserve("c", 7, Money(899), Money(1000), Money(1000), &crossed), Reason::Granted);
        QVERIFY(crossed.empty());
        QCOMPARE(book.reserve("c", 7, Money(1), Money(1000), Money(1000), &crossed), Reason::Granted);
        QCOMPARE(crossed.size(), std::size_t(2)); // 900 of 1000: total and daily
        crossed.clear();
        QCOMPARE(book.reserve("c", 7, Money(50), Money(1000), Money(1000), &crossed), Reason::Granted);
        QVERIFY(crossed.empty()); // once
        QCOMPARE(book.reserve("c", 7, Money(51), Money(1000), Money(2000)), Reason::TotalBudgetExhausted);
        QCOMPARE(book.reserve("c", 7, Money(51), Money(5000), Money(1000)), Reason::DailyBudgetExhausted);
    }

    void latencyWindow()
    {
        LatencyWindow w;
        QCOMPARE(w.computeP99(T0), 0.0);
        // 990 fast (1 ms) and 10 slow (900 ms): the P99 is in the fast bin...
        for (int i = 0; i < 990; ++i)
            w.record(1ms, T0 + Milliseconds(i));
        for (int i = 0; i < 10; ++i)
            w.record(900ms, T0 + Milliseconds(i));
        const double fast = w.computeP99(T0 + 1s);
        QVERIFY2(fast >= 1.0 && fast < 1.3, std::to_string(fast).c_str());
        // ... and 11 slow ones move it to the slow bin (within 19 % above).
        w.record(900ms, T0 + 1s);
        const double slow = w.computeP99(T0 + 1s);
        QVERIFY2(slow >= 900 && slow < 900 * 1.19, std::to_string(slow).c_str());
        // 60 seconds later it is all forgotten.
        QCOMPARE(w.computeP99(T0 + 61s), 0.0);
        w.record(2000ms, T0 + 70s);
        QVERIFY(w.computeP99(T0 + 70s) >= 2000);
        // The cached value for the order path.
        QCOMPARE(w.p99(T0 + 70s), w.computeP99(T0 + 70s));
    }

    void categoryHistory()
    {
        CategoryHistory h;
        QCOMPARE(h.average("tea", T0).orders, std::int64_t(0));
        h.add("tea", Money(100), T0);
        h.add("tea", Money(201), T0 + 1h);
        h.add("rice", Money(1000), T0 + 2h);
        CategoryHistory::Average tea = h.average("tea", T0 + 3h);
        QCOMPARE(tea.orders, std::int64_t(2));
        QCOMPARE(tea.average, Money(151)); // 150.5 rounded half away from zero
        QCOMPARE(h.average("", T0 + 3h).orders, std::int64_t(3));
        QCOMPARE(h.average("", T0 + 3h).average, Money(434)); // 1301 / 3
        // 30 days on, the first order has left the window.
        tea = h.average("tea", T0 + std::chrono::hours(24 * 30) + 30min);
        QCOMPARE(tea.orders, std::int64_t(1));
        QCOMPARE(tea.average, Money(201));
    }

    void yamlRoundTrip()
    {
        SubsidyConfig c = config();
        c.minLtvCacRatio = 1.25;
        c.risk.weight = 0.3;
        c.ltv.ordersPerActiveDay = 0.1;
        const std::string yaml = configToYaml(c);
        auto parsed = configFromYaml(yaml, "subsidy config version 1");
        QVERIFY2(std::holds_alternative<SubsidyConfig>(parsed), yaml.c_str());
        const SubsidyConfig &back = std::get<SubsidyConfig>(parsed);
        QCOMPARE(back.minLtvCacRatio, 1.25);
        QCOMPARE(back.risk.weight, 0.3);
        QCOMPARE(back.ltv.ordersPerActiveDay, 0.1);
        QCOMPARE(back.channelCac.size(), std::size_t(1));
        QCOMPARE(back.budgets[0].daily, c.budgets[0].daily);
        QCOMPARE(configToYaml(back), yaml);
        // A stored text that is not valid names the field.
        std::string bad = yaml;
        bad.replace(bad.find("active_days: 2"), 14, "active_days: 9");
        parsed = configFromYaml(bad, "subsidy config version 2");
        QVERIFY(std::holds_alternative<common::YamlError>(parsed));
        QVERIFY(std::get<common::YamlError>(parsed).describe().find("active_days must be from 0 to 7") !=
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSubsidyDecision)
#include "tst_subsidydecision.moc"
