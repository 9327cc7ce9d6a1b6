// The business alerts, without sleeping: each alert driven with a ManualClock over
// its threshold and back (fires on the crossing, stays firing, resolves once its
// window slides past or its condition clears), the edge of each comparison, the
// minimum-sample guards, disabled alerts, the P99 against a sorted vector, the
// slot ring wrapping, 4 threads recording at once, the demo trigger, the history,
// the thresholds' validation and their YAML document.

#include "alerts/AlertThresholdsYaml.h"
#include "domain/alerts/AlertMonitor.h"

#include <QTest>

#include <algorithm>
#include <barrier>
#include <cmath>
#include <random>
#include <thread>

using namespace flywheel;
using namespace flywheel::alerts;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

/// Everything off but `id`.
AlertThresholds only(AlertId id)
{
    AlertThresholds t;
    t.inventoryConfirmationSlow.enabled = id == AlertId::InventoryConfirmationSlow;
    t.illegalTransition.enabled = id == AlertId::IllegalTransition;
    t.pricingReloadFailed.enabled = id == AlertId::PricingReloadFailed;
    t.orderPathP99.enabled = id == AlertId::OrderPathP99;
    t.budgetNearCap.enabled = id == AlertId::BudgetNearCap;
    return t;
}

/// `paid` confirmations at `at`, the first `slow` of them slow (4 s), the rest 100 ms.
void confirm(AlertMonitor &m, TimePoint at, int paid, int slow)
{
    for (int i = 0; i < paid; ++i)
        m.paidOrderConfirmed(at, i < slow ? 4000ms : 100ms);
}

/// The one change of `changes`, which must be about `id`.
AlertChange single(const std::vector<AlertChange> &changes, AlertId id)
{
    if (changes.size() != 1 || changes[0].alert.id != id)
        qFatal("expected one change of %s, got %d", alertName(id), int(changes.size()));
    return changes[0];
}

/// Nearest rank: the smallest value with at least 99 % of `values` at or below it.
double exactP99(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t rank = (values.size() * 99 + 99) / 100;
    return values[rank - 1];
}

const char *kDefaults = R"(inventory_confirmation_slow:
  enabled: true
  window_seconds: 300
  slow_after_ms: 3000
  share: 0.005
  min_paid_orders: 20
illegal_transition:
  enabled: true
  window_seconds: 300
  max_attempts: 0
pricing_reload_failed:
  enabled: true
order_path_p99:
  enabled: true
  window_seconds: 60
  threshold_ms: 250
  min_samples: 100
budget_near_cap:
  enabled: true
  share: 0.9
)";

std::string edited(const std::string &from, const std::string &to)
{
    std::string out(kDefaults);
    const auto at = out.find(from);
    if (at == std::string::npos)
        qFatal("%s is not in the text", from.c_str());
    return out.replace(at, from.size(), to);
}

} // namespace

class TestAlertMonitor final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void names()
    {
        for (const AlertId id : kAllAlerts)
            QCOMPARE(parseAlertId(alertName(id)), std::optional<AlertId>(id));
        QCOMPARE(std::string(alertName(AlertId::OrderPathP99)), std::string("order_path_p99"));
        QVERIFY(!parseAlertId("Order_Path_P99"));
        AlertMonitor m;
        const std::vector<Alert> all = m.current();
        QCOMPARE(all.size(), kAllAlerts.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].id, kAllAlerts[i]);
            QCOMPARE(all[i].state, AlertState::Ok);
            QCOMPARE(q(all[i].explanation), QStringLiteral("Not evaluated yet"));
        }
    }

    void inventoryConfirmationSlow()
    {
        AlertMonitor m(only(AlertId::InventoryConfirmationSlow));
        ManualClock clock(T0);
        QVERIFY(m.evaluate(clock.now()).empty());
        QCOMPARE(q(m.current(AlertId::InventoryConfirmationSlow).explanation),
                 QStringLiteral("No paid order in the last 5 minutes"));

        // 5 of 1000 slow is exactly 0.5 %: not above it.
        confirm(m, T0, 995, 0);
        confirm(m, T0 + 10s, 5, 5);
        clock.advance(20s);
        QVERIFY(m.evaluate(clock.now()).empty());
        Alert a = m.current(AlertId::InventoryConfirmationSlow);
        QCOMPARE(a.value, 0.005);
        QCOMPARE(a.count, std::int64_t(5));
        QCOMPARE(a.samples, std::int64_t(1000));

        // One more slow order: 6 of 1001.
        m.paidOrderConfirmed(T0 + 20s, 3001ms);
        const AlertChange fired = single(m.evaluate(clock.now()), AlertId::InventoryConfirmationSlow);
        QCOMPARE(fired.kind, ChangeKind::Fired);
        QCOMPARE(fired.at, T0 + 20s);
        QCOMPARE(fired.alert.state, AlertState::Firing);
        QCOMPARE(fired.alert.count, std::int64_t(6));
        QCOMPARE(fired.alert.samples, std::int64_t(1001));
        QCOMPARE(fired.alert.threshold, 0.005);
        QCOMPARE(fired.alert.windowSeconds, 300);
        QCOMPARE(fired.alert.slowAfterMs, 3000);
        QCOMPARE(fired.alert.minSamples, std::int64_t(20));
        QCOMPARE(q(fired.alert.explanation),
                 QStringLiteral("6 of 1001 paid orders (0.6 %) in the last 5 minutes waited more than 3 s for "
                                "their stock to be confirmed; threshold 0.5 %"));

        // Still firing, since unchanged, while the window holds them.
        clock.set(T0 + 299s + 999ms);
        QVERIFY(m.evaluate(clock.now()).empty());
        a = m.current(AlertId::InventoryConfirmationSlow);
        QCOMPARE(a.state, AlertState::Firing);
        QCOMPARE(a.since, T0 + 20s);
        QCOMPARE(a.samples, std::int64_t(1001));

        // The 995 fast ones of T0 leave the window: 6 of 6 slow, but fewer than 20 paid.
        clock.set(T0 + 300s);
        const AlertChange resolved = single(m.evaluate(clock.now()), AlertId::InventoryConfirmationSlow);
        QCOMPARE(resolved.kind, ChangeKind::Resolved);
        QCOMPARE(resolved.alert.samples, std::int64_t(6));
        QCOMPARE(q(resolved.alert.explanation),
                 QStringLiteral("6 paid orders in the last 5 minutes, fewer than the 20 needed to judge"));
        a = m.current(AlertId::InventoryConfirmationSlow);
        QCOMPARE(a.state, AlertState::Ok);
        QCOMPARE(a.since, T0 + 20s);
        QCOMPARE(a.resolvedAt, T0 + 300s);

        const std::vector<AlertChange> history = m.history();
        QCOMPARE(history.size(), std::size_t(2));
        QCOMPARE(history[0].kind, ChangeKind::Resolved);
        QCOMPARE(history[1].kind, ChangeKind::Fired);
        QCOMPARE(m.history(1).size(), std::size_t(1));
    }

    void minimumSamples()
    {
        AlertMonitor m(only(AlertId::InventoryConfirmationSlow));
        confirm(m, T0, 19, 19);
        QVERIFY(m.evaluate(T0).empty());
        QCOMPARE(q(m.current(AlertId::InventoryConfirmationSlow).explanation),
                 QStringLiteral("19 paid orders in the last 5 minutes, fewer than the 20 needed to judge"));
        m.paidOrderConfirmed(T0, 10ms);
        QCOMPARE(single(m.evaluate(T0), AlertId::InventoryConfirmationSlow).alert.value, 0.95);

        AlertThresholds t = only(AlertId::OrderPathP99);
        t.orderPathP99.minSamples = 50;
        AlertMonitor p(t);
        for (int i = 0; i < 49; ++i)
            p.orderPathLatency(T0, 2s);
        QVERIFY(p.evaluate(T0).empty());
        QCOMPARE(q(p.current(AlertId::OrderPathP99).explanation),
                 QStringLiteral("49 orders in the last minute, fewer than the 50 needed to judge"));
        p.orderPathLatency(T0, 2s);
        QCOMPARE(single(p.evaluate(T0), AlertId::OrderPathP99).kind, ChangeKind::Fired);
    }

    void inventoryEdges_data()
    {
        QTest::addColumn<int>("paid");
        QTest::addColumn<int>("slow");
        QTest::addColumn<int>("slowMs");
        QTest::addColumn<double>("share");
        QTest::addColumn<int>("minPaid");
        QTest::addColumn<bool>("fires");
        QTest::newRow("exactly 0.5 % (5 of 1000)") << 1000 << 5 << 4000 << 0.005 << 20 << false;
        QTest::newRow("0.6 % (6 of 1000)") << 1000 << 6 << 4000 << 0.005 << 20 << true;
        QTest::newRow("exactly 0.5 % (1 of 200)") << 200 << 1 << 4000 << 0.005 << 20 << false;
        QTest::newRow("0.5025 % (1 of 199)") << 199 << 1 << 4000 << 0.005 << 20 << true;
        QTest::newRow("exactly 3 s is not slow") << 100 << 100 << 3000 << 0.005 << 20 << false;
        QTest::newRow("3001 ms is slow") << 100 << 100 << 3001 << 0.005 << 20 << true;
        QTest::newRow("share 0, none slow") << 20 << 0 << 4000 << 0.0 << 20 << false;
        QTest::newRow("share 0, one slow") << 20 << 1 << 4000 << 0.0 << 20 << true;
        QTest::newRow("share 1 never") << 20 << 20 << 4000 << 1.0 << 20 << false;
        QTest::newRow("one short of the minimum") << 19 << 19 << 4000 << 0.005 << 20 << false;
        QTest::newRow("at the minimum") << 20 << 1 << 4000 << 0.005 << 20 << true;
        QTest::newRow("minimum 0, one order") << 1 << 1 << 4000 << 0.005 << 0 << true;
        QTest::newRow("minimum 0, no order") << 0 << 0 << 4000 << 0.0 << 0 << false;
    }

    void inventoryEdges()
    {
        QFETCH(int, paid);
        QFETCH(int, slow);
        QFETCH(int, slowMs);
        QFETCH(double, share);
        QFETCH(int, minPaid);
        QFETCH(bool, fires);
        AlertThresholds t = only(AlertId::InventoryConfirmationSlow);
        t.inventoryConfirmationSlow.share = share;
        t.inventoryConfirmationSlow.minPaidOrders = minPaid;
        AlertMonitor m(t);
        for (int i = 0; i < paid; ++i)
            m.paidOrderConfirmed(T0, Milliseconds(i < slow ? slowMs : 10));
        QCOMPARE(m.evaluate(T0).size(), std::size_t(fires ? 1 : 0));
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).state, fires ? AlertState::Firing : AlertState::Ok);
    }

    void otherEdges_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<double>("input");
        QTest::addColumn<bool>("fires");
        // 0: illegal attempts against max_attempts 2 ("exceeds").
        QTest::newRow("2 attempts, at the maximum") << 0 << 2.0 << false;
        QTest::newRow("3 attempts") << 0 << 3.0 << true;
        // 1: a budget share against 0.9 ("passed": at or above, as BudgetBook's signal).
        QTest::newRow("budget 89.99 %") << 1 << 0.8999 << false;
        QTest::newRow("budget exactly 90 %") << 1 << 0.9 << true;
        QTest::newRow("budget over its cap") << 1 << 1.2 << true;
        // 2: all CreateOrders at one latency against 250 ms; the bins around 250 ms
        // are [229.4, 245.8) and [245.8, 262.1) ms, and a P99 in the upper one is
        // above 250 ms, in the lower one below.
        QTest::newRow("P99 in the bin below 250 ms") << 2 << 240.0 << false;
        QTest::newRow("P99 in the bin above 250 ms") << 2 << 255.0 << true;
    }

    void otherEdges()
    {
        QFETCH(int, which);
        QFETCH(double, input);
        QFETCH(bool, fires);
        const AlertId id = which == 0   ? AlertId::IllegalTransition
                           : which == 1 ? AlertId::BudgetNearCap
                                        : AlertId::OrderPathP99;
        AlertThresholds t = only(id);
        t.illegalTransition.maxAttempts = 2;
        AlertMonitor m(t);
        if (which == 0) {
            for (int i = 0; i < int(input); ++i)
                m.illegalTransition(T0, i + 1, "paid", "cancelled");
        } else if (which == 1) {
            m.budgetShare(T0, "b", input);
        } else {
            for (int i = 0; i < 100; ++i)
                m.orderPathLatency(T0, std::chrono::microseconds(std::int64_t(input * 1000)));
        }
        QCOMPARE(m.evaluate(T0).size(), std::size_t(fires ? 1 : 0));
    }

    void illegalTransition()
    {
        AlertMonitor m(only(AlertId::IllegalTransition));
        QVERIFY(m.evaluate(T0).empty());
        QCOMPARE(q(m.current(AlertId::IllegalTransition).explanation),
                 QStringLiteral("No illegal order transition in the last 5 minutes"));

        m.illegalTransition(T0 + 10s, 1042, "paid", "cancelled");
        AlertChange c = single(m.evaluate(T0 + 10s), AlertId::IllegalTransition);
        QCOMPARE(c.kind, ChangeKind::Fired);
        QCOMPARE(c.alert.value, 1.0);
        QCOMPARE(c.alert.threshold, 0.0);
        QCOMPARE(c.alert.orderId, std::int64_t(1042));
        QCOMPARE(q(c.alert.explanation),
                 QStringLiteral("1 illegal order transition in the last 5 minutes; order 1042 paid → cancelled"));

        m.illegalTransition(T0 + 20s, 7, "refunded", "paid");
        QVERIFY(m.evaluate(T0 + 20s).empty());
        Alert a = m.current(AlertId::IllegalTransition);
        QCOMPARE(a.count, std::int64_t(2));
        QCOMPARE(a.since, T0 + 10s);
        QCOMPARE(q(a.explanation), QStringLiteral("2 illegal order transitions in the last 5 minutes; the last: "
                                                  "order 7 refunded → paid"));
        QCOMPARE(a.eventAt, T0 + 20s);

        // The first leaves the window, the second still fires it; then it leaves too.
        QVERIFY(m.evaluate(T0 + 310s).empty());
        QCOMPARE(m.current(AlertId::IllegalTransition).count, std::int64_t(1));
        QVERIFY(m.evaluate(T0 + 319s + 999ms).empty());
        c = single(m.evaluate(T0 + 320s), AlertId::IllegalTransition);
        QCOMPARE(c.kind, ChangeKind::Resolved);
        QCOMPARE(c.alert.count, std::int64_t(0));
        QCOMPARE(c.alert.orderId, std::int64_t(0));
    }

    void pricingReloadFailed()
    {
        AlertMonitor m(only(AlertId::PricingReloadFailed));
        QVERIFY(m.evaluate(T0).empty());
        QCOMPARE(q(m.current(AlertId::PricingReloadFailed).explanation), QStringLiteral("No pricing reload yet"));
        m.pricingReload(T0, true, {});
        QVERIFY(m.evaluate(T0).empty());
        QCOMPARE(q(m.current(AlertId::PricingReloadFailed).explanation),
                 QStringLiteral("The last pricing reload succeeded"));

        m.pricingReload(T0 + 1s, false, "pricing.yaml:3:7: rules[0].max_off must be an amount");
        AlertChange c = single(m.evaluate(T0 + 1s), AlertId::PricingReloadFailed);
        QCOMPARE(c.kind, ChangeKind::Fired);
        QCOMPARE(c.alert.value, 1.0);
        QCOMPARE(q(c.alert.error), QStringLiteral("pricing.yaml:3:7: rules[0].max_off must be an amount"));
        QCOMPARE(
            q(c.alert.explanation),
            QStringLiteral("The last pricing reload failed: pricing.yaml:3:7: rules[0].max_off must be an amount"));

        // Another failure: still firing, the newest error; no window to slide.
        m.pricingReload(T0 + 2s, false, "pricing.yaml:1:1: syntax");
        QVERIFY(m.evaluate(T0 + 1h).empty());
        QCOMPARE(q(m.current(AlertId::PricingReloadFailed).error), QStringLiteral("pricing.yaml:1:1: syntax"));
        // An older record arriving late changes nothing.
        m.pricingReload(T0 + 1500ms, true, {});
        QVERIFY(m.evaluate(T0 + 1h).empty());

        m.pricingReload(T0 + 1h, true, {});
        c = single(m.evaluate(T0 + 1h), AlertId::PricingReloadFailed);
        QCOMPARE(c.kind, ChangeKind::Resolved);
        QCOMPARE(c.alert.value, 0.0);
        QVERIFY(c.alert.error.empty());
    }

    void orderPathP99()
    {
        AlertMonitor m(only(AlertId::OrderPathP99));
        ManualClock clock(T0);
        // 990 fast and 10 slow of 1000: the P99 (rank 990) is a fast one.
        for (int i = 0; i < 990; ++i)
            m.orderPathLatency(T0, 10ms);
        for (int i = 0; i < 10; ++i)
            m.orderPathLatency(T0 + 5s, 400ms);
        clock.advance(5s);
        QVERIFY(m.evaluate(clock.now()).empty());
        Alert a = m.current(AlertId::OrderPathP99);
        QVERIFY2(std::abs(a.value - 10) <= 10 * 0.125, std::to_string(a.value).c_str());
        QCOMPARE(a.samples, std::int64_t(1000));

        // An 11th slow one of 1001 (rank 991) makes the P99 a slow one.
        m.orderPathLatency(T0 + 5s, std::chrono::nanoseconds(400'000'000));
        const AlertChange c = single(m.evaluate(clock.now()), AlertId::OrderPathP99);
        QCOMPARE(c.kind, ChangeKind::Fired);
        QVERIFY2(std::abs(c.alert.value - 400) <= 400 * 0.125, std::to_string(c.alert.value).c_str());
        QCOMPARE(c.alert.threshold, 250.0);
        QCOMPARE(c.alert.windowSeconds, 60);
        const QString text = q(c.alert.explanation);
        QVERIFY2(text.startsWith(QStringLiteral("P99 of CreateOrder over the last minute: ")), qPrintable(text));
        QVERIFY2(text.endsWith(QStringLiteral(" ms from 1001 orders; threshold 250 ms")), qPrintable(text));

        // At T0 + 60 s the fast ones of T0 have left: 11 slow, under the minimum.
        clock.set(T0 + 59s + 999ms);
        QVERIFY(m.evaluate(clock.now()).empty());
        clock.set(T0 + 60s);
        QCOMPARE(single(m.evaluate(clock.now()), AlertId::OrderPathP99).kind, ChangeKind::Resolved);
        QCOMPARE(m.current(AlertId::OrderPathP99).samples, std::int64_t(11));
    }

    void p99Precision_data()
    {
        QTest::addColumn<int>("shape");
        QTest::addColumn<int>("count");
        QTest::newRow("log-uniform 50 µs - 5 s") << 0 << 20000;
        QTest::newRow("normal around 120 ms") << 1 << 5000;
        QTest::newRow("bimodal 2 ms / 800 ms") << 2 << 3000;
        QTest::newRow("under 8 µs (exact bins)") << 3 << 1000;
        QTest::newRow("a single sample") << 0 << 1;
    }

    void p99Precision()
    {
        QFETCH(int, shape);
        QFETCH(int, count);
        AlertThresholds t = only(AlertId::OrderPathP99);
        t.orderPathP99.minSamples = 0;
        t.orderPathP99.thresholdMs = 60000;
        AlertMonitor m(t);
        std::mt19937_64 random(42 + shape);
        std::uniform_real_distribution<double> logUniform(std::log(50e3), std::log(5e9));
        std::normal_distribution<double> normal(120e6, 30e6);
        std::uniform_real_distribution<double> unit(0, 1);
        std::vector<double> values;
        for (int i = 0; i < count; ++i) {
            double ns = 0;
            switch (shape) {
            case 0:
                ns = std::exp(logUniform(random));
                break;
            case 1:
                ns = std::max(1e3, normal(random));
                break;
            case 2:
                ns = unit(random) < 0.985 ? 2e6 * (1 + unit(random)) : 800e6 * (1 + unit(random));
                break;
            case 3:
                ns = 8000 * unit(random);
                break;
            }
            const auto d = std::chrono::nanoseconds(std::int64_t(ns));
            values.push_back(double(d.count()) / 1e6);
            m.orderPathLatency(T0 + Milliseconds(i % 60000), d);
        }
        m.evaluate(T0 + 59s);
        const double exact = exactP99(values);
        const double estimate = m.current(AlertId::OrderPathP99).value;
        const QByteArray what = QByteArray::number(estimate) + " for " + QByteArray::number(exact);
        QVERIFY2(std::abs(estimate - exact) <= exact * 0.125 + 0.001, what.constData());
    }

    void aBudgetNoLongerInForceStopsCounting()
    {
        AlertMonitor m(only(AlertId::BudgetNearCap));
        m.replaceBudgets(T0, {{"first_order", 0.95}});
        QCOMPARE(single(m.evaluate(T0), AlertId::BudgetNearCap).kind, ChangeKind::Fired);
        // Subsidies switched off, or the campaign removed: nothing is near a cap any more.
        m.replaceBudgets(T0 + 1s, {});
        QCOMPARE(single(m.evaluate(T0 + 1s), AlertId::BudgetNearCap).kind, ChangeKind::Resolved);
        m.replaceBudgets(T0 + 2s, {{"other", 0.2}, {"nan", std::nan("")}});
        QVERIFY(m.evaluate(T0 + 2s).empty());
        QCOMPARE(q(m.current(AlertId::BudgetNearCap).budget), QStringLiteral("other"));
    }

    void budgetNearCap()
    {
        AlertMonitor m(only(AlertId::BudgetNearCap));
        QVERIFY(m.evaluate(T0).empty());
        QCOMPARE(q(m.current(AlertId::BudgetNearCap).explanation), QStringLiteral("No budget reported"));
        m.budgetShare(T0, "first_order total", 0.5);
        m.budgetShare(T0, "first_order daily", 0.931);
        AlertChange c = single(m.evaluate(T0), AlertId::BudgetNearCap);
        QCOMPARE(c.kind, ChangeKind::Fired);
        QCOMPARE(c.alert.value, 0.931);
        QCOMPARE(c.alert.count, std::int64_t(2));
        QCOMPARE(q(c.alert.budget), QStringLiteral("first_order daily"));
        QCOMPARE(q(c.alert.explanation),
                 QStringLiteral("Budget first_order daily is at 93.1 % of its cap; threshold 90 %"));
        // The total climbs higher: still firing, now naming the total.
        m.budgetShare(T0 + 1s, "first_order total", 0.95);
        QVERIFY(m.evaluate(T0 + 1s).empty());
        QCOMPARE(q(m.current(AlertId::BudgetNearCap).budget), QStringLiteral("first_order total"));
        // A late, older figure is ignored; a NaN too.
        m.budgetShare(T0, "first_order total", 0.1);
        m.budgetShare(T0 + 2s, "first_order total", std::nan(""));
        QVERIFY(m.evaluate(T0 + 2s).empty());
        // A new day and a raised cap: both below 90 %.
        m.budgetShare(T0 + 1h, "first_order daily", 0.01);
        m.budgetShare(T0 + 1h, "first_order total", 0.6);
        c = single(m.evaluate(T0 + 1h), AlertId::BudgetNearCap);
        QCOMPARE(c.kind, ChangeKind::Resolved);
        QCOMPARE(c.alert.value, 0.6);
    }

    void disabledNeverFires()
    {
        AlertThresholds off;
        off.inventoryConfirmationSlow.enabled = false;
        off.illegalTransition.enabled = false;
        off.pricingReloadFailed.enabled = false;
        off.orderPathP99.enabled = false;
        off.budgetNearCap.enabled = false;
        AlertMonitor m(off);
        confirm(m, T0, 100, 100);
        m.illegalTransition(T0, 1, "paid", "cancelled");
        m.pricingReload(T0, false, "broken");
        for (int i = 0; i < 200; ++i)
            m.orderPathLatency(T0, 5s);
        m.budgetShare(T0, "b", 1.0);
        for (const AlertId id : kAllAlerts) {
            const std::optional<Error> refused = m.trigger(id, T0);
            QVERIFY(refused);
            QCOMPARE(refused->code, ErrorCode::FailedPrecondition);
            QCOMPARE(q(refused->message), QString::fromLatin1(alertName(id)) + QStringLiteral(" is disabled"));
        }
        QVERIFY(m.evaluate(T0).empty());
        for (const Alert &a : m.current()) {
            QCOMPARE(a.state, AlertState::Ok);
            QVERIFY(!a.enabled);
            QCOMPARE(q(a.explanation), QStringLiteral("Disabled"));
        }
        // The figures are still there; enabling fires all five at the next evaluate.
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).count, std::int64_t(100));
        QVERIFY(!m.setThresholds(AlertThresholds{}));
        QCOMPARE(m.evaluate(T0).size(), kAllAlerts.size());
        // And disabling a firing alert resolves it.
        AlertThresholds t;
        t.pricingReloadFailed.enabled = false;
        QVERIFY(!m.setThresholds(t));
        const AlertChange c = single(m.evaluate(T0), AlertId::PricingReloadFailed);
        QCOMPARE(c.kind, ChangeKind::Resolved);
        QCOMPARE(q(c.alert.explanation), QStringLiteral("Disabled"));
    }

    void thresholdsApplyAtNextEvaluate()
    {
        AlertMonitor m(only(AlertId::InventoryConfirmationSlow));
        confirm(m, T0, 1000, 6);
        QCOMPARE(single(m.evaluate(T0), AlertId::InventoryConfirmationSlow).kind, ChangeKind::Fired);
        AlertThresholds t = m.thresholds();
        t.inventoryConfirmationSlow.share = 0.01;
        t.inventoryConfirmationSlow.slowAfterMs = 5000;
        QVERIFY(!m.setThresholds(t));
        QCOMPARE(m.thresholds(), t);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).state, AlertState::Firing);
        QCOMPARE(single(m.evaluate(T0), AlertId::InventoryConfirmationSlow).kind, ChangeKind::Resolved);
        // The slow limit classifies what is recorded from now on: 4 s is no longer slow.
        confirm(m, T0, 10, 10);
        m.evaluate(T0);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).count, std::int64_t(6));
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).slowAfterMs, 5000);
    }

    void ringWraps()
    {
        AlertThresholds t = only(AlertId::InventoryConfirmationSlow);
        t.inventoryConfirmationSlow.windowSeconds = 3600;
        t.inventoryConfirmationSlow.minPaidOrders = 0;
        t.orderPathP99.windowSeconds = 600;
        AlertMonitor m(t);
        // 2.5 turns of the 3600-slot ring, one order a second, 2 slow each 100 s:
        // the window always holds the last 3600 seconds exactly.
        for (int s = 0; s < 9000; ++s) {
            m.paidOrderConfirmed(T0 + std::chrono::seconds(s), s % 100 < 2 ? 5s : 1s);
            m.orderPathLatency(T0 + std::chrono::seconds(s), 1ms);
        }
        m.evaluate(T0 + 8999s);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).samples, std::int64_t(3600));
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).count, std::int64_t(72));
        QCOMPARE(m.current(AlertId::OrderPathP99).samples, std::int64_t(600));
        // A slot reused for a later second starts from zero...
        for (int i = 0; i < 1000; ++i)
            m.paidOrderConfirmed(T0 + 9000s, 1s);
        t.inventoryConfirmationSlow.windowSeconds = 1;
        QVERIFY(!m.setThresholds(t));
        m.evaluate(T0 + 9000s);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).samples, std::int64_t(1000));
        m.paidOrderConfirmed(T0 + 9000s + 3600s, 1s);
        m.evaluate(T0 + 9000s + 3600s);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).samples, std::int64_t(1));
        // ... and a record a ring behind its slot is dropped, not added to the newer second.
        m.paidOrderConfirmed(T0 + 9000s, 1s);
        m.evaluate(T0 + 9000s + 3600s);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).samples, std::int64_t(1));
        // Nothing in the future, nothing before 1970.
        m.paidOrderConfirmed(T0 + 9000s + 3601s, 1s);
        m.paidOrderConfirmed(fromEpochMs(-5000), 1s);
        m.evaluate(T0 + 9000s + 3600s);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).samples, std::int64_t(1));
    }

    void concurrentRecording()
    {
        // 4 threads record into the same seconds, in different orders so that they
        // race to claim each new slot; nothing may be lost.
        AlertMonitor m;
        constexpr int kThreads = 4;
        constexpr int kEach = 60000;
        std::barrier start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                for (int i = 0; i < kEach; ++i) {
                    const int second = (i / 200 + t * 7) % 300;
                    m.paidOrderConfirmed(T0 + std::chrono::seconds(second), i % 100 == 0 ? 3500ms : 20ms);
                    m.orderPathLatency(T0 + 240s + std::chrono::seconds((i / 1000 + t * 3) % 60),
                                       std::chrono::microseconds(100 + i % 1000));
                    if (i % 600 == 0)
                        m.illegalTransition(T0 + std::chrono::seconds(second), t * kEach + i, "paid", "cancelled");
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        m.evaluate(T0 + 299s);
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).samples, std::int64_t(kThreads * kEach));
        QCOMPARE(m.current(AlertId::InventoryConfirmationSlow).count, std::int64_t(kThreads * kEach / 100));
        QCOMPARE(m.current(AlertId::OrderPathP99).samples, std::int64_t(kThreads * kEach));
        QCOMPARE(m.current(AlertId::IllegalTransition).count, std::int64_t(kThreads * kEach / 600));
    }

    void trigger_data()
    {
        QTest::addColumn<int>("alert");
        QTest::addColumn<int>("holdSeconds");
        QTest::newRow("inventory_confirmation_slow") << int(AlertId::InventoryConfirmationSlow) << 300;
        QTest::newRow("illegal_transition") << int(AlertId::IllegalTransition) << 300;
        QTest::newRow("pricing_reload_failed") << int(AlertId::PricingReloadFailed) << 60;
        QTest::newRow("order_path_p99") << int(AlertId::OrderPathP99) << 60;
        QTest::newRow("budget_near_cap") << int(AlertId::BudgetNearCap) << 60;
    }

    void trigger()
    {
        // A healthy shop: 20 orders a second, fast; a successful reload; budgets at half.
        QFETCH(int, alert);
        QFETCH(int, holdSeconds);
        const auto id = AlertId(alert);
        AlertMonitor m;
        ManualClock clock(T0);
        const auto traffic = [&](int seconds) {
            for (int s = 0; s < seconds; ++s) {
                for (int i = 0; i < 20; ++i) {
                    m.paidOrderConfirmed(clock.now(), 200ms);
                    m.orderPathLatency(clock.now(), 30ms);
                }
                m.evaluate(clock.now());
                clock.advance(1s);
            }
        };
        m.pricingReload(T0, true, {});
        m.budgetShare(T0, "first_order total", 0.5);
        traffic(400);
        QVERIFY(m.history().empty());

        const TimePoint at = clock.now();
        QVERIFY(!m.trigger(id, at));
        // Orders keep coming between the trigger and the next evaluate.
        for (int i = 0; i < 20; ++i) {
            m.paidOrderConfirmed(at + 500ms, 200ms);
            m.orderPathLatency(at + 500ms, 30ms);
        }
        clock.advance(1s);
        const AlertChange fired = single(m.evaluate(clock.now()), id);
        QCOMPARE(fired.kind, ChangeKind::Fired);
        qInfo("%s", fired.alert.explanation.c_str());
        // It holds while real traffic continues, and resolves by itself.
        traffic(holdSeconds - 2);
        QCOMPARE(m.current(id).state, AlertState::Firing);
        traffic(3);
        QCOMPARE(m.current(id).state, AlertState::Ok);
        const std::vector<AlertChange> history = m.history();
        QCOMPARE(history.size(), std::size_t(2));
        QCOMPARE(history[0].kind, ChangeKind::Resolved);
        QCOMPARE(history[0].alert.id, id);
        QVERIFY(history[0].at - at >= std::chrono::seconds(holdSeconds - 1));
        QVERIFY(history[0].at - at <= std::chrono::seconds(holdSeconds + 1));
    }

    void triggerSpecialCases()
    {
        // A successful reload ends a triggered pricing failure at once.
        AlertMonitor m;
        QVERIFY(!m.trigger(AlertId::PricingReloadFailed, T0));
        QCOMPARE(q(single(m.evaluate(T0), AlertId::PricingReloadFailed).alert.explanation),
                 QStringLiteral("The last pricing reload failed: demo: triggered from the console"));
        m.pricingReload(T0 + 1s, true, {});
        QCOMPARE(single(m.evaluate(T0 + 1s), AlertId::PricingReloadFailed).kind, ChangeKind::Resolved);
        // The demo illegal transition says so.
        QVERIFY(!m.trigger(AlertId::IllegalTransition, T0 + 2s));
        QCOMPARE(q(single(m.evaluate(T0 + 2s), AlertId::IllegalTransition).alert.explanation),
                 QStringLiteral("1 illegal order transition in the last 5 minutes; a demo order paid → cancelled"));
        // A share of 1 cannot be exceeded.
        AlertThresholds t;
        t.inventoryConfirmationSlow.share = 1;
        AlertMonitor never(t);
        const std::optional<Error> refused = never.trigger(AlertId::InventoryConfirmationSlow, T0);
        QVERIFY(refused);
        QCOMPARE(refused->code, ErrorCode::FailedPrecondition);
    }

    void historyAndRestore()
    {
        AlertMonitor m(only(AlertId::PricingReloadFailed));
        std::vector<AlertChange> heard;
        m.setChangeListener([&heard](const AlertChange &c) { heard.push_back(c); });
        // 301 failures and 300 recoveries: 601 changes, of which 500 are kept.
        for (int i = 0; i < 601; ++i) {
            const TimePoint at = T0 + std::chrono::seconds(i);
            m.pricingReload(at, i % 2 == 1, i % 2 == 1 ? std::string() : "failure " + std::to_string(i));
            QCOMPARE(m.evaluate(at).size(), std::size_t(1));
        }
        QCOMPARE(heard.size(), std::size_t(601));
        QCOMPARE(heard.back().kind, ChangeKind::Fired);
        const std::vector<AlertChange> history = m.history(1000);
        QCOMPARE(history.size(), AlertMonitor::kHistorySize);
        QCOMPARE(history[0].at, T0 + 600s);
        QCOMPARE(history[0].kind, ChangeKind::Fired);
        QCOMPARE(history[1].kind, ChangeKind::Resolved);
        QCOMPARE(history.back().at, T0 + 101s);
        for (std::size_t i = 1; i < history.size(); ++i)
            QVERIFY(history[i - 1].at > history[i].at);
        QCOMPARE(m.history(3).size(), std::size_t(3));

        // After a restart: still firing, so a cleared condition resolves it once.
        AlertMonitor restarted(only(AlertId::PricingReloadFailed));
        restarted.restoreHistory(history);
        QCOMPARE(restarted.history(1000).size(), AlertMonitor::kHistorySize);
        const Alert a = restarted.current(AlertId::PricingReloadFailed);
        QCOMPARE(a.state, AlertState::Firing);
        QCOMPARE(a.since, T0 + 600s);
        QCOMPARE(a.resolvedAt, T0 + 599s);
        const AlertChange c = single(restarted.evaluate(T0 + 700s), AlertId::PricingReloadFailed);
        QCOMPARE(c.kind, ChangeKind::Resolved);
        QCOMPARE(restarted.history(1)[0].at, T0 + 700s);
    }

    void thresholdsValidation_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("share above 1") << 0 << "inventory_confirmation_slow.share"
                                       << "inventory_confirmation_slow.share must be between 0 and 1, got 1.5";
        QTest::newRow("share NaN") << 1 << "inventory_confirmation_slow.share"
                                   << "inventory_confirmation_slow.share must be between 0 and 1, got nan";
        QTest::newRow("window 0")
            << 2 << "inventory_confirmation_slow.window_seconds"
            << "inventory_confirmation_slow.window_seconds must be a whole number from 1 to 3600, got 0";
        QTest::newRow("slow after 0")
            << 3 << "inventory_confirmation_slow.slow_after_ms"
            << "inventory_confirmation_slow.slow_after_ms must be a whole number from 1 to 600000, got 0";
        QTest::newRow("min paid -1")
            << 4 << "inventory_confirmation_slow.min_paid_orders"
            << "inventory_confirmation_slow.min_paid_orders must be a whole number from 0 to 1000000, got -1";
        QTest::newRow("illegal window 3601")
            << 5 << "illegal_transition.window_seconds"
            << "illegal_transition.window_seconds must be a whole number from 1 to 3600, got 3601";
        QTest::newRow("max attempts -1")
            << 6 << "illegal_transition.max_attempts"
            << "illegal_transition.max_attempts must be a whole number from 0 to 1000000, got -1";
        QTest::newRow("p99 window 601")
            << 7 << "order_path_p99.window_seconds"
            << "order_path_p99.window_seconds must be a whole number from 1 to 600, got 601";
        QTest::newRow("p99 threshold 0") << 8 << "order_path_p99.threshold_ms"
                                         << "order_path_p99.threshold_ms must be a whole number from 1 to 60000, got 0";
        QTest::newRow("p99 min samples")
            << 9 << "order_path_p99.min_samples"
            << "order_path_p99.min_samples must be a whole number from 0 to 1000000, got 1000001";
        QTest::newRow("budget share 0") << 10 << "budget_near_cap.share"
                                        << "budget_near_cap.share must be greater than 0 and at most 1, got 0";
        QTest::newRow("budget share 1.01") << 11 << "budget_near_cap.share"
                                           << "budget_near_cap.share must be greater than 0 and at most 1, got 1.01";
    }

    void thresholdsValidation()
    {
        QFETCH(int, which);
        QFETCH(QString, field);
        QFETCH(QString, message);
        AlertThresholds t;
        QVERIFY(!validate(t));
        switch (which) {
        case 0:
            t.inventoryConfirmationSlow.share = 1.5;
            break;
        case 1:
            t.inventoryConfirmationSlow.share = std::nan("");
            break;
        case 2:
            t.inventoryConfirmationSlow.windowSeconds = 0;
            break;
        case 3:
            t.inventoryConfirmationSlow.slowAfterMs = 0;
            break;
        case 4:
            t.inventoryConfirmationSlow.minPaidOrders = -1;
            break;
        case 5:
            t.illegalTransition.windowSeconds = 3601;
            break;
        case 6:
            t.illegalTransition.maxAttempts = -1;
            break;
        case 7:
            t.orderPathP99.windowSeconds = 601;
            break;
        case 8:
            t.orderPathP99.thresholdMs = 0;
            break;
        case 9:
            t.orderPathP99.minSamples = 1000001;
            break;
        case 10:
            t.budgetNearCap.share = 0;
            break;
        case 11:
            t.budgetNearCap.share = 1.01;
            break;
        }
        const std::optional<ThresholdsError> error = validate(t);
        QVERIFY(error);
        QCOMPARE(q(error->field), field);
        QCOMPARE(q(error->message), message);
        // Refused by the monitor, which keeps what it had.
        AlertMonitor m;
        QCOMPARE(q(m.setThresholds(t).value_or(ThresholdsError{}).message), message);
        QCOMPARE(m.thresholds(), AlertThresholds{});
    }

    void yamlRoundTrip()
    {
        QCOMPARE(q(thresholdsToYaml(AlertThresholds{})), QString::fromUtf8(kDefaults));
        AlertThresholds t;
        t.inventoryConfirmationSlow.enabled = false;
        t.inventoryConfirmationSlow.share = 0.0073;
        t.inventoryConfirmationSlow.slowAfterMs = 2500;
        t.illegalTransition.maxAttempts = 3;
        t.pricingReloadFailed.enabled = false;
        t.orderPathP99.thresholdMs = 400;
        t.orderPathP99.windowSeconds = 120;
        t.orderPathP99.minSamples = 0;
        t.budgetNearCap.share = 1.0 / 3;
        const std::string yaml = thresholdsToYaml(t);
        const auto back = thresholdsFromYaml(yaml, "alert thresholds version 2");
        QVERIFY2(std::holds_alternative<AlertThresholds>(back), yaml.c_str());
        QCOMPARE(std::get<AlertThresholds>(back), t);
        QCOMPARE(thresholdsToYaml(std::get<AlertThresholds>(back)), yaml);
    }

    void yamlRefusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("path");
        QTest::newRow("unknown key")
            << q(edited("  max_attempts: 0", "  max_attempts: 0\n  grace: 5"))
            << "t:11:3: unknown key \"grace\" in illegal_transition; expected enabled, window_seconds, max_attempts"
            << "illegal_transition.grace";
        QTest::newRow("unknown alert")
            << q(edited("budget_near_cap:", "budget_near_cap:\n  enabled: true\n  share: 0.9\nbudget_low:"))
            << "t:21:1: unknown key \"budget_low\" at the top level; expected inventory_confirmation_slow, "
               "illegal_transition, pricing_reload_failed, order_path_p99, budget_near_cap"
            << "budget_low";
        QTest::newRow("missing key") << q(edited("  min_samples: 100\n", ""))
                                     << "t:14:3: order_path_p99 has no \"min_samples\""
                                     << "order_path_p99";
        QTest::newRow("text for a boolean") << q(edited("  enabled: true", "  enabled: yes"))
                                            << "t:2:12: inventory_confirmation_slow.enabled must be true or false, "
                                               "got \"yes\""
                                            << "inventory_confirmation_slow.enabled";
        QTest::newRow("quoted number")
            << q(edited("threshold_ms: 250", "threshold_ms: \"250\""))
            << "t:16:17: order_path_p99.threshold_ms must be a whole number from 1 to 60000, got the quoted text "
               "\"250\""
            << "order_path_p99.threshold_ms";
        QTest::newRow("percent for a share") << q(edited("share: 0.005", "share: 0.5%"))
                                             << "t:5:10: inventory_confirmation_slow.share must be a number like "
                                                "0.5, got \"0.5%\""
                                             << "inventory_confirmation_slow.share";
        QTest::newRow("whole number out of range")
            << q(edited("  window_seconds: 60", "  window_seconds: 0"))
            << "t:15:19: order_path_p99.window_seconds must be a whole number from 1 to 600, got \"0\""
            << "order_path_p99.window_seconds";
        QTest::newRow("share out of range")
            << q(edited("share: 0.005", "share: 1.5"))
            << "t:5:10: inventory_confirmation_slow.share must be between 0 and 1, got 1.5"
            << "inventory_confirmation_slow.share";
        QTest::newRow("budget share out of range") << q(edited("share: 0.9", "share: 0"))
                                                   << "t:20:10: budget_near_cap.share must be greater than 0 and at "
                                                      "most 1, got 0"
                                                   << "budget_near_cap.share";
        QTest::newRow("a list for an alert")
            << q(edited("pricing_reload_failed:\n  enabled: true", "pricing_reload_failed: [true]"))
            << "t:11:24: pricing_reload_failed must be a mapping with the keys enabled, got a list"
            << "pricing_reload_failed";
        QTest::newRow("syntax") << QStringLiteral("a: [1\n") << "t:2:1: end of sequence flow not found"
                                << "";
    }

    void yamlRefusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(QString, path);
        const auto result = thresholdsFromYaml(text.toStdString(), "t");
        QVERIFY(std::holds_alternative<common::YamlError>(result));
        const common::YamlError &e = std::get<common::YamlError>(result);
        QCOMPARE(q(e.describe()), error);
        QCOMPARE(q(e.path), path);
    }
};

QTEST_APPLESS_MAIN(TestAlertMonitor)
#include "tst_alertmonitor.moc"
