#include "domain/inventory/InventoryLedger.h"

#include <QTest>

#include <atomic>
#include <map>
#include <random>
#include <set>
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
        QCOMPARE(ledger.refund(1, {{"A", 4}, {"B", 2}}, T0).error().message,
                 std::string("the stock of order 1 is only reserved; a refund needs a paid order"));
        QCOMPARE(ledger.release(1, ReleaseReason::Refunded, T0).error().code, ErrorCode::InvalidArgument);
        QVERIFY(ledger.confirm(1, T0).ok());
        QCOMPARE(ledger.level("A"), (StockLevel{10, 6, 0, 4}));
        // Paid: the levels count it as sold and the ledger forgets the order.
        QVERIFY(!ledger.holds(1));
        QCOMPARE(ledger.openReservations(), std::size_t(0));
        QCOMPARE(ledger.snapshot().reservations.size(), std::size_t(0));
        QCOMPARE(ledger.confirm(1, T0).error().message, std::string("order 1 holds no reserved stock to confirm"));
        QCOMPARE(ledger.release(1, ReleaseReason::Cancelled, T0).error().message,
                 std::string("order 1 holds no reserved stock to release"));
        // A refund names the order's lines; never more than is sold.
        QCOMPARE(ledger.refund(1, {{"A", 11}}, T0).error().message,
                 std::string("order 1 cannot return 11 of A: only 4 are sold"));
        QCOMPARE(ledger.refund(1, {}, T0).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(ledger.refund(1, {{"A", 0}}, T0).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 6, 0, 4}));
        const auto refunded = ledger.refund(1, {{"A", 3}, {"B", 2}, {"A", 1}}, T0);
        QVERIFY(refunded.ok());
        QCOMPARE(refunded.value().size(), std::size_t(2)); // one event per SKU, like the reservation
        QCOMPARE(refunded.value()[0].sku, std::string("A"));
        QCOMPARE(refunded.value()[0].quantity, 4);
        QCOMPARE(refunded.value()[0].reason, ReleaseReason::Refunded);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        QCOMPARE(ledger.level("B"), (StockLevel{5, 5, 0, 0}));
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

    // Restored from a snapshot, the ledger holds the same levels, reservations and
    // recent events, numbers new events after the snapshot, and still expires the
    // reservations it restored at their time.
    void restoresFromASnapshot()
    {
        InventoryLedger ledger;
        ledger.receive("A", 1000, T0);
        for (std::int64_t order = 1; order <= 600; ++order) { // more events than kRecentPerSku
            QVERIFY(ledger.reserve(order, {{"A", 1}}, T0, kTtl).ok());
            QVERIFY(ledger.confirm(order, T0).ok());
        }
        QVERIFY(ledger.reserve(1001, {{"A", 2}, {"B", 1}}, T0, kTtl).error().message.find("B") != std::string::npos);
        QVERIFY(ledger.reserve(1001, {{"A", 2}}, T0 + 1min, kTtl).ok());
        QVERIFY(ledger.reserve(1002, {{"A", 3}}, T0 + 2min, kTtl).ok());
        const LedgerSnapshot snapshot = ledger.snapshot();
        QCOMPARE(snapshot.seq, ledger.lastSeq());
        QCOMPARE(snapshot.seq, 1 + 2 * 600 + 2);
        QCOMPARE(snapshot.levels.size(), std::size_t(1));
        QCOMPARE(snapshot.levels[0].second, (StockLevel{1000, 395, 5, 600}));
        QCOMPARE(snapshot.reservations, (std::vector<OpenReservation>{{1001, {{"A", 2}}, T0 + 1min + kTtl},
                                                                      {1002, {{"A", 3}}, T0 + 2min + kTtl}}));
        QCOMPARE(snapshot.recent.size(), InventoryLedger::kRecentPerSku);

        InventoryLedger restored;
        restored.restore(snapshot);
        QCOMPARE(restored.snapshot(), snapshot);
        QCOMPARE(restored.recentEvents("A", 10), ledger.recentEvents("A", 10));
        QCOMPARE(restored.reservedUntil(1001), std::optional(T0 + 1min + kTtl));
        QCOMPARE(restored.receive("A", 1, T0)[0].seq, snapshot.seq + 1);
        const auto expired = restored.expire(T0 + 1min + kTtl);
        QCOMPARE(expired.size(), std::size_t(1));
        QCOMPARE(expired[0].orderId, 1001);
        QCOMPARE(expired[0].quantity, 2);
        QCOMPARE(restored.level("A"), (StockLevel{1001, 398, 3, 600}));
        // A refund of an order paid long before the snapshot returns its lines.
        QVERIFY(restored.refund(7, {{"A", 1}}, T0 + 1h).ok());
        QCOMPARE(restored.level("A"), (StockLevel{1001, 399, 3, 599}));
        QVERIFY(restored.confirm(1002, T0 + 1h).ok());
        QCOMPARE(restored.openReservations(), std::size_t(0));
        QVERIFY(restored.expire(T0 + 1h).empty());
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
            };
            std::map<std::int64_t, ModelOrder> orders; // reserved
            std::map<std::int64_t, std::map<std::string, std::int64_t>> sold;
            std::set<std::int64_t> refunded;
            // Snapshots taken along the way, with the log length at the time.
            std::vector<std::pair<LedgerSnapshot, std::size_t>> snapshots;
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
                    // Order ids are never reused (the order book sees to it).
                    if (sold.count(order) != 0 || refunded.count(order) != 0)
                        continue;
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
                        orders[order] = ModelOrder{merged, now + kTtl};
                    }
                } else if (op == 1) {
                    const auto r = ledger.confirm(order, now);
                    QCOMPARE(r.ok(), orders.count(order) != 0);
                    if (r.ok()) {
                        record(r.value());
                        for (const auto &[sku, q] : orders[order].lines) {
                            model[sku].reserved -= q;
                            model[sku].sold += q;
                        }
                        sold[order] = orders[order].lines; // the order keeps its lines
                        orders.erase(order);
                    }
                } else if (op == 2) {
                    const auto r = ledger.release(order, ReleaseReason::Cancelled, now);
                    QCOMPARE(r.ok(), orders.count(order) != 0);
                    if (r.ok()) {
                        record(r.value());
                        for (const auto &[sku, q] : orders[order].lines) {
                            model[sku].reserved -= q;
                            model[sku].available += q;
                        }
                        orders.erase(order);
                    }
                } else if (op == 3 && (sold.count(order) != 0 || orders.count(order) != 0)) {
                    const bool paid = sold.count(order) != 0;
                    std::vector<ReservationLine> lines;
                    for (const auto &[sku, q] : paid ? sold[order] : orders[order].lines)
                        lines.push_back({sku, q});
                    const auto r = ledger.refund(order, lines, now);
                    QCOMPARE(r.ok(), paid); // a reserved order is not refunded
                    if (r.ok()) {
                        record(r.value());
                        for (const auto &[sku, q] : sold[order]) {
                            model[sku].sold -= q;
                            model[sku].available += q;
                        }
                        sold.erase(order);
                        refunded.insert(order);
                    }
                } else {
                    now += std::chrono::minutes(rng() % 10);
                    record(ledger.expire(now));
                    for (auto it = orders.begin(); it != orders.end();) {
                        if (it->second.expiresAt <= now) {
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
                QCOMPARE(ledger.openReservations(), orders.size());
                if (rng() % 50 == 0)
                    snapshots.emplace_back(ledger.snapshot(), log.size());
            }
            InventoryLedger rebuilt;
            rebuilt.replay(log);
            const LedgerSnapshot full = rebuilt.snapshot();
            QCOMPARE(full, ledger.snapshot());
            // Any snapshot and the events after it rebuild exactly the same state,
            // and expire the same reservations afterwards.
            for (const auto &[snapshot, logged] : snapshots) {
                QCOMPARE(snapshot.seq, logged == 0 ? 0 : log[logged - 1].seq);
                InventoryLedger restored;
                restored.restore(snapshot);
                restored.replay(std::vector<Event>(log.begin() + static_cast<std::ptrdiff_t>(logged), log.end()));
                QCOMPARE(restored.snapshot(), full);
                QCOMPARE(restored.expire(now + 1h), rebuilt.expire(now + 1h));
                QCOMPARE(restored.snapshot(), rebuilt.snapshot());
                QCOMPARE(restored.openReservations(), std::size_t(0));
                rebuilt.restore(full);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestInventoryLedger)
#include "tst_inventoryledger.moc"
