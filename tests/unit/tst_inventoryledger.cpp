#include "domain/inventory/InventoryLedger.h"

#include <QTest>

#include <atomic>
#include <map>
#include <random>
#include <thread>

using namespace flywheel;
using namespace flywheel::inventory;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000);
constexpr auto kTtl = std::chrono::duration_cast<Milliseconds>(15min);

bool consistent(const StockLevel &s)
{
    return s.available >= 0 && s.reserved >= 0 && s.sold >= 0 && s.available + s.reserved + s.sold == s.received;
}

} // namespace

class TestInventoryLedger final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lifecycleAndMessages()
    {
        InventoryLedger ledger;
        ledger.receive("A", 10, T0);
        ledger.receive("B", 5, T0);
        auto r = ledger.reserve(1, {{"A", 3}, {"B", 2}, {"A", 1}}, T0, kTtl);
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), std::size_t(2)); // one event per SKU
        QCOMPARE(ledger.level("A"), (StockLevel{10, 6, 4, 0}));

        r = ledger.reserve(2, {{"A", 1}, {"B", 4}}, T0, kTtl);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(r.error().message, std::string("not enough stock of B: 4 wanted, 3 available"));
        QCOMPARE(ledger.level("A"), (StockLevel{10, 6, 4, 0})); // all or nothing

        QCOMPARE(ledger.reserve(1, {{"A", 1}}, T0, kTtl).error().message, std::string("order 1 already holds stock"));
        QCOMPARE(ledger.release(1, ReleaseReason::Refunded, T0).error().message,
                 std::string("the stock of order 1 is only reserved; a refund needs a confirmed order"));
        QVERIFY(ledger.confirm(1, T0).ok());
        QCOMPARE(ledger.level("A"), (StockLevel{10, 6, 0, 4}));
        QCOMPARE(ledger.confirm(1, T0).error().message, std::string("the stock of order 1 is already confirmed"));
        QCOMPARE(ledger.release(1, ReleaseReason::Cancelled, T0).error().message,
                 std::string("the stock of order 1 is sold; only a refund returns it"));
        QVERIFY(ledger.release(1, ReleaseReason::Refunded, T0).ok());
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        QCOMPARE(ledger.confirm(1, T0).error().message, std::string("order 1 holds no reserved stock to confirm"));
        QCOMPARE(ledger.reserve(3, {{"C", 1}}, T0, kTtl).error().message,
                 std::string("not enough stock of C: 1 wanted, 0 available"));
        QCOMPARE(ledger.reserve(3, {{"A", 0}}, T0, kTtl).error().code, ErrorCode::InvalidArgument);
    }

    void reservationsExpireAtTheirTime()
    {
        InventoryLedger ledger;
        ledger.receive("A", 5, T0);
        QVERIFY(ledger.reserve(1, {{"A", 2}}, T0, kTtl).ok());
        QVERIFY(ledger.reserve(2, {{"A", 1}}, T0 + 1min, kTtl).ok());
        QVERIFY(ledger.expire(T0 + kTtl - 1ms).empty());
        const auto expired = ledger.expire(T0 + kTtl); // exactly at expiry
        QCOMPARE(expired.size(), std::size_t(1));
        QCOMPARE(expired[0].orderId, 1);
        QCOMPARE(expired[0].reason, ReleaseReason::Expired);
        QCOMPARE(ledger.level("A"), (StockLevel{5, 4, 1, 0}));
        QVERIFY(ledger.confirm(2, T0 + 2min).ok()); // paid in time: never expires
        QVERIFY(ledger.expire(T0 + 1h).empty());
        QCOMPARE(ledger.level("A"), (StockLevel{5, 4, 0, 1}));
        QCOMPARE(ledger.openReservations(), std::size_t(0));
    }

    // 10,000 reservations for 100 units from 16 threads, while another thread reads
    // the stock without pause: exactly 100 succeed and the invariant always holds.
    void neverOversellsUnderConcurrency()
    {
        InventoryLedger ledger;
        ledger.receive("HOT", 100, T0);
        std::atomic<int> succeeded{0};
        std::atomic<int> refused{0};
        std::atomic<bool> done{false};
        std::atomic<int> badReads{0};
        std::atomic<int> reads{0};
        std::thread reader([&] {
            while (!done) {
                const StockLevel s = ledger.level("HOT");
                if (!consistent(s))
                    ++badReads;
                ++reads;
            }
        });
        std::vector<std::thread> threads;
        for (int t = 0; t < 16; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 625; ++i) {
                    const std::int64_t order = t * 1000 + i + 1;
                    if (ledger.reserve(order, {{"HOT", 1}}, T0, kTtl).ok())
                        ++succeeded;
                    else
                        ++refused;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        done = true;
        reader.join();
        QCOMPARE(succeeded.load(), 100);
        QCOMPARE(refused.load(), 9900);
        QCOMPARE(badReads.load(), 0);
        QVERIFY(reads.load() > 0);
        QCOMPARE(ledger.level("HOT"), (StockLevel{100, 0, 100, 0}));
    }

    // Random reserve/confirm/cancel/refund/expire sequences against a simple model,
    // and a replay of the events rebuilds exactly the same stock.
    void matchesAModelAndReplays()
    {
        std::mt19937_64 rng(42);
        for (int round = 0; round < 20; ++round) {
            InventoryLedger ledger;
            std::vector<Event> log;
            const std::vector<std::string> skus{"A", "B", "C"};
            std::map<std::string, StockLevel> model;
            struct ModelOrder {
                std::map<std::string, std::int64_t> lines;
                TimePoint expiresAt;
                bool sold = false;
            };
            std::map<std::int64_t, ModelOrder> orders;
            TimePoint now = T0;
            const auto record = [&](const std::vector<Event> &events) {
                log.insert(log.end(), events.begin(), events.end());
            };
            for (const auto &sku : skus) {
                const std::int64_t q = static_cast<std::int64_t>(rng() % 20);
                record(ledger.receive(sku, q, now));
                model[sku] = StockLevel{q, q, 0, 0};
            }
            for (int step = 0; step < 300; ++step) {
                const int op = static_cast<int>(rng() % 5);
                const std::int64_t order = static_cast<std::int64_t>(rng() % 40) + 1;
                if (op == 0) {
                    std::vector<ReservationLine> lines;
                    std::map<std::string, std::int64_t> merged;
                    for (int i = 0, n = 1 + static_cast<int>(rng() % 3); i < n; ++i) {
                        const std::string &sku = skus[rng() % skus.size()];
                        const std::int64_t q = 1 + static_cast<std::int64_t>(rng() % 4);
                        lines.push_back({sku, q});
                        merged[sku] += q;
                    }
                    bool expectOk = orders.count(order) == 0;
                    for (const auto &[sku, q] : merged)
                        expectOk = expectOk && model[sku].available >= q;
                    const auto r = ledger.reserve(order, lines, now, kTtl);
                    QCOMPARE(r.ok(), expectOk);
                    if (r.ok()) {
                        record(r.value());
                        for (const auto &[sku, q] : merged) {
                            model[sku].available -= q;
                            model[sku].reserved += q;
                        }
                        orders[order] = ModelOrder{merged, now + kTtl, false};
                    }
                } else if (op == 1) {
                    const auto r = ledger.confirm(order, now);
                    const bool expectOk = orders.count(order) != 0 && !orders[order].sold;
                    QCOMPARE(r.ok(), expectOk);
                    if (r.ok()) {
                        record(r.value());
                        for (const auto &[sku, q] : orders[order].lines) {
                            model[sku].reserved -= q;
                            model[sku].sold += q;
                        }
                        orders[order].sold = true;
                    }
                } else if (op == 2 || op == 3) {
                    const ReleaseReason reason = op == 2 ? ReleaseReason::Cancelled : ReleaseReason::Refunded;
                    const auto r = ledger.release(order, reason, now);
                    const bool expectOk =
                        orders.count(order) != 0 && orders[order].sold == (reason == ReleaseReason::Refunded);
                    QCOMPARE(r.ok(), expectOk);
                    if (r.ok()) {
                        record(r.value());
                        for (const auto &[sku, q] : orders[order].lines) {
                            (orders[order].sold ? model[sku].sold : model[sku].reserved) -= q;
                            model[sku].available += q;
                        }
                        orders.erase(order);
                    }
                } else {
                    now += std::chrono::minutes(rng() % 10);
                    record(ledger.expire(now));
                    for (auto it = orders.begin(); it != orders.end();) {
                        if (!it->second.sold && it->second.expiresAt <= now) {
                            for (const auto &[sku, q] : it->second.lines) {
                                model[sku].reserved -= q;
                                model[sku].available += q;
                            }
                            it = orders.erase(it);
                        } else {
                            ++it;
                        }
                    }
                }
                for (const auto &sku : skus) {
                    QCOMPARE(ledger.level(sku), model[sku]);
                    QVERIFY(consistent(ledger.level(sku)));
                }
            }
            InventoryLedger rebuilt;
            rebuilt.replay(log);
            for (const auto &sku : skus)
                QCOMPARE(rebuilt.level(sku), ledger.level(sku));
            QCOMPARE(rebuilt.openReservations(), ledger.openReservations());
        }
    }
};

QTEST_GUILESS_MAIN(TestInventoryLedger)
#include "tst_inventoryledger.moc"
