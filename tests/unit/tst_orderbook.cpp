// The order lifecycle over the inventory ledger, without gRPC or storage: every
// legal transition, every refusal with its message, abandon and expiry, and many
// threads racing pay, cancel, refund and expiry on the same orders.

#include "domain/orders/OrderBook.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

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

Order makeOrder(std::int64_t id, std::vector<std::pair<std::string, std::int64_t>> lines, std::int64_t uid = 7,
                std::int64_t total = 1000)
{
    Order order;
    order.id = id;
    order.uid = uid;
    order.total = Money(total);
    for (const auto &[sku, quantity] : lines)
        order.lines.push_back(OrderLine{sku, quantity, Money(100), Money(100)});
    return order;
}

/// What the service would have stored for a created order.
orders::OrderState createdState(std::int64_t uid = 7, std::int64_t total = 1000)
{
    return orders::OrderState{uid, Money(total), OrderStatus::Created, T0 + kTtl, {}, {}, {}};
}

/// Collects what the book hands to its sinks, in the order it hands it over.
struct Journal {
    std::mutex mutex;
    std::vector<Event> events;
    std::vector<orders::OrderTransition> transitions;
    std::vector<Order> created;

    orders::OrderBook::NewOrderSink newOrder()
    {
        return [this](const Order &order, const std::vector<Event> &reserved) {
            const std::lock_guard lock(mutex);
            created.push_back(order);
            events.insert(events.end(), reserved.begin(), reserved.end());
        };
    }
    orders::OrderBook::TransitionSink transition()
    {
        return [this](const orders::OrderTransition &t) {
            const std::lock_guard lock(mutex);
            transitions.push_back(t);
            events.insert(events.end(), t.events.begin(), t.events.end());
        };
    }
    std::function<void(const std::vector<Event> &)> receipt()
    {
        return [this](const std::vector<Event> &received) {
            const std::lock_guard lock(mutex);
            events.insert(events.end(), received.begin(), received.end());
        };
    }
};

} // namespace

class TestOrderBook final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The housekeeper looks every 200 ms; a payment in between must still see that
    // the reservation has lapsed.
    void lapsedReservationIsNotPaidBeforeItExpires()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        Journal journal;
        book.receive("A", 5, T0, journal.receipt());
        Order order = makeOrder(1, {{"A", 2}});
        QVERIFY(book.open(order, T0, journal.newOrder()).ok());
        const auto late = book.pay(1, createdState(), T0 + kTtl, journal.transition());
        QVERIFY(!late.ok());
        QCOMPARE(late.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(late.error().message, std::string("the reservation of order 1 has expired; it can no longer be paid"));
        QCOMPARE(book.find(1)->status, OrderStatus::Created);
        QCOMPARE(ledger.level("A"), (StockLevel{5, 3, 2, 0}));
        QVERIFY(journal.transitions.empty());
        // A millisecond earlier it could be paid.
        QVERIFY(book.pay(1, createdState(), T0 + kTtl - 1ms, journal.transition()).ok());
    }

    void forgetsSettledOrdersOnly()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        Journal journal;
        book.receive("A", 5, T0, journal.receipt());
        Order first = makeOrder(1, {{"A", 1}});
        Order second = makeOrder(2, {{"A", 1}});
        QVERIFY(book.open(first, T0, journal.newOrder()).ok());
        QVERIFY(book.open(second, T0, journal.newOrder()).ok());
        QVERIFY(book.pay(2, createdState(), T0 + 2min, journal.transition()).ok());
        QCOMPARE(book.size(), std::size_t(2));
        QCOMPARE(book.forgetSettled(T0 + 1min), std::size_t(1)); // order 1, unchanged since T0
        QVERIFY(!book.find(1));
        QCOMPARE(book.find(2)->status, OrderStatus::Paid);
        // Forgotten, order 1 is known again from its stored state, and still holds its stock.
        QVERIFY(book.cancel(1, createdState(), T0 + 3min, journal.transition()).ok());
        QCOMPARE(ledger.level("A"), (StockLevel{5, 4, 0, 1}));
        QCOMPARE(book.forgetSettled(T0 + 10min), std::size_t(2));
        QCOMPARE(book.size(), std::size_t(0));
    }

    void forgetsByTheLastChangeAndAcrossChunks()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        Journal journal;
        const std::int64_t n = 3 * orders::OrderBook::kForgetChunk + 7; // several chunks, the last one partial
        book.receive("A", 2 * n, T0, journal.receipt());
        for (std::int64_t id = 1; id <= n; ++id) {
            Order order = makeOrder(id, {{"A", 1}});
            QVERIFY(book.open(order, T0 + std::chrono::milliseconds(id), journal.newOrder()).ok());
        }
        // Order 1 changes again later; order 2 was forgotten and is known again only
        // for a refused change, which still counts as the book's latest look at it.
        QVERIFY(book.pay(1, createdState(), T0 + 5min, journal.transition()).ok());
        // Nothing is older than T0 + 1ms.
        QCOMPARE(book.forgetSettled(T0 + 1ms), std::size_t(0));
        // Orders 2..10 were last changed before T0 + 11ms.
        QCOMPARE(book.forgetSettled(T0 + 11ms), std::size_t(9));
        QVERIFY(book.find(1));
        QVERIFY(!book.find(2));
        QVERIFY(!book.refund(2, createdState(), makeOrder(2, {{"A", 1}}).lines, T0 + 6min, journal.transition()).ok());
        QCOMPARE(book.find(2)->status, OrderStatus::Created);
        // Every order from 11 on, across chunks; order 1 (paid at 5 min) and order 2
        // (seen again at 6 min) stay.
        QCOMPARE(book.forgetSettled(T0 + 1min), std::size_t(n - 10));
        QCOMPARE(book.size(), std::size_t(2));
        QCOMPARE(book.forgetSettled(T0 + 5min + 1ms), std::size_t(1));
        QVERIFY(!book.find(1));
        QCOMPARE(book.forgetSettled(T0 + 7min), std::size_t(1));
        QCOMPARE(book.size(), std::size_t(0));
        // Forgetting never touched the stock.
        QCOMPARE(ledger.level("A"), (StockLevel{2 * n, n, n - 1, 1}));
    }

    // Four threads open orders, each at the next millisecond of a shared clock, while
    // another forgets up to a cutoff that follows the clock: an order is never
    // forgotten before its time, each is forgotten once, and the stock is untouched.
    void forgettingRacesOpens()
    {
        constexpr int kThreads = 4;
        constexpr int kPerThread = 5000;
        constexpr std::int64_t kTotal = kThreads * kPerThread;
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        Journal journal;
        book.receive("A", kTotal, T0, journal.receipt());
        std::atomic<std::int64_t> clock{0};
        std::atomic<std::int64_t> nextId{1};
        std::atomic<bool> done{false};
        std::atomic<std::size_t> forgotten{0};
        std::thread forgetter([&] {
            while (!done) {
                forgotten += book.forgetSettled(T0 + Milliseconds(clock.load() / 2));
                std::this_thread::yield();
            }
        });
        std::vector<std::int64_t> openedAt(kTotal + 1);
        std::atomic<int> failures{0};
        std::vector<std::thread> openers;
        for (int t = 0; t < kThreads; ++t) {
            openers.emplace_back([&] {
                for (int i = 0; i < kPerThread; ++i) {
                    const std::int64_t id = nextId.fetch_add(1);
                    const std::int64_t at = clock.fetch_add(1);
                    openedAt[static_cast<std::size_t>(id)] = at;
                    Order order = makeOrder(id, {{"A", 1}});
                    if (!book.open(order, T0 + Milliseconds(at), nullptr).ok())
                        ++failures;
                }
            });
        }
        for (auto &thread : openers)
            thread.join();
        done = true;
        forgetter.join();
        QCOMPARE(failures.load(), 0);

        constexpr std::int64_t kCutoff = kTotal / 2;
        forgotten += book.forgetSettled(T0 + Milliseconds(kCutoff));
        std::int64_t oldLeft = 0;
        for (std::int64_t id = 1; id <= kTotal; ++id) {
            const bool known = book.find(id).has_value();
            if (openedAt[static_cast<std::size_t>(id)] >= kCutoff)
                QVERIFY(known); // never early
            else if (known)
                ++oldLeft; // late: opened just after a younger order took the lock
        }
        QCOMPARE(static_cast<std::int64_t>(forgotten.load()) + oldLeft, kCutoff);
        QVERIFY2(oldLeft < kTotal / 100, std::to_string(oldLeft).c_str());
        forgotten += book.forgetSettled(T0 + Milliseconds(kTotal));
        QCOMPARE(static_cast<std::int64_t>(forgotten.load()), kTotal);
        QCOMPARE(book.size(), std::size_t(0));
        QCOMPARE(ledger.level("A"), (StockLevel{kTotal, 0, kTotal, 0})); // forgetting is not releasing
    }

    void createdPaidRefunded()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        QCOMPARE(book.reservationTtl(), kTtl);
        Journal journal;
        const auto received = book.receive("A", 10, T0, journal.receipt());
        QCOMPARE(received.size(), std::size_t(1));
        QCOMPARE(received[0].type, EventType::Received);
        QCOMPARE(journal.events.size(), std::size_t(1));

        Order order = makeOrder(1, {{"A", 2}, {"A", 1}});
        order.status = OrderStatus::Paid; // open() sets it
        const auto opened = book.open(order, T0, journal.newOrder());
        QVERIFY(opened.ok());
        QCOMPARE(opened.value().size(), std::size_t(1)); // one event per SKU
        QCOMPARE(opened.value()[0].type, EventType::Reserved);
        QCOMPARE(opened.value()[0].quantity, 3);
        QCOMPARE(opened.value()[0].orderId, 1);
        QCOMPARE(opened.value()[0].expiresAt, T0 + kTtl);
        QCOMPARE(order.status, OrderStatus::Created);
        QCOMPARE(order.expiresAt, T0 + kTtl);
        QCOMPARE(journal.created.size(), std::size_t(1));
        QCOMPARE(journal.created[0].id, 1);
        QCOMPARE(journal.created[0].status, OrderStatus::Created);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 7, 3, 0}));
        const auto state = book.find(1);
        QVERIFY(state);
        QCOMPARE(state->status, OrderStatus::Created);
        QCOMPARE(state->uid, 7);
        QCOMPARE(state->total, Money(1000));
        QCOMPARE(state->expiresAt, T0 + kTtl);

        const auto paid = book.pay(1, createdState(), T0 + 1min, journal.transition());
        QVERIFY(paid.ok());
        QCOMPARE(paid.value().orderId, 1);
        QCOMPARE(paid.value().uid, 7);
        QCOMPARE(paid.value().total, Money(1000));
        QCOMPARE(paid.value().from, OrderStatus::Created);
        QCOMPARE(paid.value().to, OrderStatus::Paid);
        QCOMPARE(paid.value().at, T0 + 1min);
        QCOMPARE(paid.value().events.size(), std::size_t(1));
        QCOMPARE(paid.value().events[0].type, EventType::Confirmed);
        QCOMPARE(paid.value().events[0].quantity, 3);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 7, 0, 3}));
        QCOMPARE(book.find(1)->status, OrderStatus::Paid);
        QCOMPARE(book.find(1)->paidAt, T0 + 1min);
        QCOMPARE(book.find(1)->closedAt, TimePoint{});

        // A paid order never expires.
        QVERIFY(book.expire(T0 + 1h, journal.transition()).empty());
        QCOMPARE(book.find(1)->status, OrderStatus::Paid);

        const auto refunded = book.refund(1, createdState(), order.lines, T0 + 2h, journal.transition());
        QVERIFY(refunded.ok());
        QCOMPARE(refunded.value().from, OrderStatus::Paid);
        QCOMPARE(refunded.value().to, OrderStatus::Refunded);
        QCOMPARE(refunded.value().events.size(), std::size_t(1));
        QCOMPARE(refunded.value().events[0].type, EventType::Released);
        QCOMPARE(refunded.value().events[0].reason, ReleaseReason::Refunded);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        QCOMPARE(book.find(1)->status, OrderStatus::Refunded);
        QCOMPARE(book.find(1)->paidAt, T0 + 1min);
        QCOMPARE(book.find(1)->closedAt, T0 + 2h);

        // Each change reached a sink exactly once, in the order applied.
        QCOMPARE(journal.transitions.size(), std::size_t(2));
        QCOMPARE(journal.events.size(), std::size_t(4));
        for (std::size_t i = 1; i < journal.events.size(); ++i)
            QVERIFY(journal.events[i].seq > journal.events[i - 1].seq);
    }

    void createdCancelledOrExpired()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        Journal journal;
        book.receive("A", 10, T0, {});
        book.receive("B", 10, T0, {});
        Order first = makeOrder(1, {{"A", 1}, {"B", 2}});
        Order second = makeOrder(2, {{"A", 4}});
        QVERIFY(book.open(first, T0, {}).ok());
        QVERIFY(book.open(second, T0 + 1min, {}).ok());
        QCOMPARE(second.expiresAt, T0 + 1min + kTtl);

        const auto cancelled = book.cancel(1, createdState(), T0 + 30s, journal.transition());
        QVERIFY(cancelled.ok());
        QCOMPARE(cancelled.value().to, OrderStatus::Cancelled);
        QCOMPARE(cancelled.value().events.size(), std::size_t(2));
        for (const Event &e : cancelled.value().events) {
            QCOMPARE(e.type, EventType::Released);
            QCOMPARE(e.reason, ReleaseReason::Cancelled);
        }
        QCOMPARE(book.find(1)->closedAt, T0 + 30s);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 6, 4, 0}));
        QCOMPARE(ledger.level("B"), (StockLevel{10, 10, 0, 0}));

        // The cancelled order's reservation is gone: its expiry time passes quietly.
        QVERIFY(book.expire(T0 + kTtl, journal.transition()).empty());
        QVERIFY(book.expire(T0 + 1min + kTtl - 1ms, journal.transition()).empty());
        QCOMPARE(book.find(2)->status, OrderStatus::Created);

        const auto expired = book.expire(T0 + 1min + kTtl, journal.transition());
        QCOMPARE(expired.size(), std::size_t(1));
        QCOMPARE(expired[0].orderId, 2);
        QCOMPARE(expired[0].uid, 7);
        QCOMPARE(expired[0].from, OrderStatus::Created);
        QCOMPARE(expired[0].to, OrderStatus::Expired);
        QCOMPARE(expired[0].events.size(), std::size_t(1));
        QCOMPARE(expired[0].events[0].reason, ReleaseReason::Expired);
        QCOMPARE(expired[0].events[0].quantity, 4);
        QCOMPARE(book.find(2)->status, OrderStatus::Expired);
        QCOMPARE(book.find(2)->closedAt, T0 + 1min + kTtl);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        QCOMPARE(journal.transitions.size(), std::size_t(2));
        QCOMPARE(ledger.openReservations(), std::size_t(0));
    }

    void expiryGroupsEventsByOrder()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        book.receive("A", 10, T0, {});
        book.receive("B", 10, T0, {});
        for (std::int64_t id = 1; id <= 3; ++id) {
            Order order = makeOrder(id, {{"A", 1}, {"B", 1}});
            QVERIFY(book.open(order, T0 + Milliseconds(id), {}).ok());
        }
        int sinkCalls = 0;
        const auto expired = book.expire(T0 + 1h, [&](const orders::OrderTransition &) { ++sinkCalls; });
        QCOMPARE(expired.size(), std::size_t(3));
        QCOMPARE(sinkCalls, 3);
        for (std::size_t i = 0; i < expired.size(); ++i) {
            QCOMPARE(expired[i].orderId, std::int64_t(i + 1));
            QCOMPARE(expired[i].events.size(), std::size_t(2));
            for (const Event &e : expired[i].events)
                QCOMPARE(e.orderId, expired[i].orderId);
        }
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        QCOMPARE(ledger.level("B"), (StockLevel{10, 10, 0, 0}));
    }

    // Every transition the lifecycle does not allow, from every status: refused with
    // FailedPrecondition and a message naming the order and its status; the status,
    // the stock and the sink are untouched.
    void illegalTransitionsChangeNothing_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("message");
        const auto row = [](OrderStatus from, const char *action, const char *message) {
            QTest::addRow("%s %s", action, orderStatusName(from)) << int(from) << action << message;
        };
        row(OrderStatus::Paid, "pay", "order 1 is paid; only a created order can be paid");
        row(OrderStatus::Cancelled, "pay", "order 1 is cancelled; only a created order can be paid");
        row(OrderStatus::Expired, "pay", "order 1 is expired; only a created order can be paid");
        row(OrderStatus::Refunded, "pay", "order 1 is refunded; only a created order can be paid");
        row(OrderStatus::Paid, "cancel", "order 1 is paid; a paid order is refunded, not cancelled");
        row(OrderStatus::Cancelled, "cancel", "order 1 is cancelled; only a created order can be cancelled");
        row(OrderStatus::Expired, "cancel", "order 1 is expired; only a created order can be cancelled");
        row(OrderStatus::Refunded, "cancel", "order 1 is refunded; only a created order can be cancelled");
        row(OrderStatus::Created, "refund", "order 1 is created; only a paid order can be refunded");
        row(OrderStatus::Cancelled, "refund", "order 1 is cancelled; only a paid order can be refunded");
        row(OrderStatus::Expired, "refund", "order 1 is expired; only a paid order can be refunded");
        row(OrderStatus::Refunded, "refund", "order 1 is refunded; only a paid order can be refunded");
    }
    void illegalTransitionsChangeNothing()
    {
        QFETCH(int, from);
        QFETCH(QString, action);
        QFETCH(QString, message);
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        book.receive("A", 10, T0, {});
        Order order = makeOrder(1, {{"A", 3}});
        QVERIFY(book.open(order, T0, {}).ok());
        // Bring the order to `from` the legal way.
        switch (static_cast<OrderStatus>(from)) {
        case OrderStatus::Created:
            break;
        case OrderStatus::Paid:
            QVERIFY(book.pay(1, createdState(), T0, {}).ok());
            break;
        case OrderStatus::Cancelled:
            QVERIFY(book.cancel(1, createdState(), T0, {}).ok());
            break;
        case OrderStatus::Expired:
            QCOMPARE(book.expire(T0 + kTtl, {}).size(), std::size_t(1));
            break;
        case OrderStatus::Refunded:
            QVERIFY(book.pay(1, createdState(), T0, {}).ok());
            QVERIFY(book.refund(1, createdState(), order.lines, T0, {}).ok());
            break;
        }
        const orders::OrderState before = *book.find(1);
        QCOMPARE(int(before.status), from);
        const StockLevel levelBefore = ledger.level("A");
        const auto eventsBefore = ledger.recentEvents("A", 100);

        int sinkCalls = 0;
        const orders::OrderBook::TransitionSink sink = [&](const orders::OrderTransition &) { ++sinkCalls; };
        // The stored state says created, as a client racing the change would see it:
        // the book's own state wins.
        const Result<orders::OrderTransition> r = action == QLatin1String("pay") ? book.pay(1, createdState(), T0 + 1s, sink)
                                          : action == QLatin1String("cancel")
                                              ? book.cancel(1, createdState(), T0 + 1s, sink)
                                              : book.refund(1, createdState(), order.lines, T0 + 1s, sink);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(QString::fromStdString(r.error().message), message);
        QCOMPARE(sinkCalls, 0);
        const orders::OrderState after = *book.find(1);
        QCOMPARE(after.status, before.status);
        QCOMPARE(after.paidAt, before.paidAt);
        QCOMPARE(after.closedAt, before.closedAt);
        QCOMPARE(ledger.level("A"), levelBefore);
        QCOMPARE(ledger.recentEvents("A", 100), eventsBefore);
    }

    void shortStockReservesNothing()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        book.receive("A", 10, T0, {});
        book.receive("B", 2, T0, {});
        int sinkCalls = 0;
        Order order = makeOrder(1, {{"A", 5}, {"B", 3}});
        const auto r = book.open(order, T0, [&](const Order &, const std::vector<Event> &) { ++sinkCalls; });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(r.error().message, std::string("not enough stock of B: 3 wanted, 2 available"));
        QCOMPARE(sinkCalls, 0);
        QVERIFY(!book.find(1));
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        QCOMPARE(ledger.level("B"), (StockLevel{2, 2, 0, 0}));
        QCOMPARE(ledger.openReservations(), std::size_t(0));

        // The id is still free: a smaller order under it goes through.
        Order smaller = makeOrder(1, {{"A", 5}, {"B", 2}});
        QVERIFY(book.open(smaller, T0, {}).ok());
        QCOMPARE(ledger.level("B"), (StockLevel{2, 0, 2, 0}));
    }

    void anIdIsOpenedOnce()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        book.receive("A", 10, T0, {});
        Order order = makeOrder(1, {{"A", 1}});
        QVERIFY(book.open(order, T0, {}).ok());
        Order again = makeOrder(1, {{"A", 1}});
        const auto r = book.open(again, T0, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Internal);
        QCOMPARE(r.error().message, std::string("order id 1 is already in use"));
        QCOMPARE(ledger.level("A"), (StockLevel{10, 9, 1, 0}));
        // Also once it is closed.
        QVERIFY(book.cancel(1, createdState(), T0, {}).ok());
        QVERIFY(!book.open(again, T0, {}).ok());
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
    }

    void abandonUndoesTheReservationWithoutEvents()
    {
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        book.receive("A", 10, T0, {});
        Order kept = makeOrder(1, {{"A", 2}});
        Order dropped = makeOrder(2, {{"A", 3}});
        QVERIFY(book.open(kept, T0, {}).ok());
        QVERIFY(book.open(dropped, T0, {}).ok());
        QCOMPARE(ledger.level("A"), (StockLevel{10, 5, 5, 0}));
        book.abandon(2);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 8, 2, 0}));
        QVERIFY(!book.find(2));
        QVERIFY(!ledger.holds(2));
        QCOMPARE(ledger.openReservations(), std::size_t(1));
        for (const Event &e : ledger.recentEvents("A", 100))
            QVERIFY(e.orderId != 2);
        // Its expiry time passes without a transition; the other order expires.
        const auto expired = book.expire(T0 + kTtl, {});
        QCOMPARE(expired.size(), std::size_t(1));
        QCOMPARE(expired[0].orderId, 1);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        // Abandoning what the book does not know does nothing.
        book.abandon(99);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 10, 0, 0}));
        // The id can be used again.
        Order reused = makeOrder(2, {{"A", 1}});
        QVERIFY(book.open(reused, T0 + kTtl, {}).ok());
    }

    // After a restart the book knows nothing; the stored state decides, and the
    // ledger (replayed) holds the stock.
    void storedStateWhenTheBookHasNone()
    {
        InventoryLedger before;
        before.receive("A", 10, T0);
        std::vector<Event> log = before.recentEvents("A", 10);
        const auto reserved = before.reserve(1, {{"A", 2}}, T0, kTtl);
        QVERIFY(reserved.ok());
        const auto reserved2 = before.reserve(2, {{"A", 3}}, T0, kTtl);
        QVERIFY(reserved2.ok());
        log.insert(log.end(), reserved.value().begin(), reserved.value().end());
        log.insert(log.end(), reserved2.value().begin(), reserved2.value().end());

        InventoryLedger ledger;
        ledger.replay(log);
        orders::OrderBook book(ledger, kTtl);
        QVERIFY(!book.find(1));
        const auto paid = book.pay(1, createdState(42, 500), T0 + 1min, {});
        QVERIFY(paid.ok());
        QCOMPARE(paid.value().uid, 42);
        QCOMPARE(paid.value().total, Money(500));
        QCOMPARE(ledger.level("A"), (StockLevel{10, 5, 3, 2}));

        // Stored as paid, from before inventory tracking (it never had a reservation
        // expiry): a cancel is refused without touching the stock.
        orders::OrderState storedPaid = createdState();
        storedPaid.status = OrderStatus::Paid;
        storedPaid.expiresAt = {};
        const auto cancelled = book.cancel(3, storedPaid, T0, {});
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().message, std::string("order 3 is paid; a paid order is refunded, not cancelled"));

        // It never reserved and holds no stock: the refund returns nothing and emits
        // no event, whatever its lines.
        const auto refunded = book.refund(3, storedPaid, makeOrder(3, {{"A", 1}}).lines, T0 + 1min, {});
        QVERIFY(refunded.ok());
        QVERIFY(refunded.value().events.empty());
        QCOMPARE(book.find(3)->status, OrderStatus::Refunded);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 5, 3, 2}));

        // restore() makes the book know an order as stored.
        book.restore(2, createdState(43, 700));
        QCOMPARE(book.find(2)->uid, 43);
        const auto expired = book.expire(T0 + kTtl, {});
        QCOMPARE(expired.size(), std::size_t(1));
        QCOMPARE(expired[0].orderId, 2);
        QCOMPARE(expired[0].uid, 43);
        QCOMPARE(expired[0].total, Money(700));
        QCOMPARE(book.find(2)->status, OrderStatus::Expired);
        QCOMPARE(ledger.level("A"), (StockLevel{10, 8, 0, 2}));
    }

    // 600 orders opened from 6 threads, then 3 payers, 3 cancellers, 2 refunders and
    // an expirer race over them, a batch at a time, while a reader checks the stock without
    // pause: each order leaves "created" exactly once, every refusal is a
    // FailedPrecondition, the invariant holds at every read, the sinks see the
    // events in log order, and replaying them rebuilds the same stock.
    void racingTransitionsLeaveOneOutcomePerOrder()
    {
        constexpr int kOrders = 600;
        constexpr int kOpeners = 6;
        InventoryLedger ledger;
        orders::OrderBook book(ledger, kTtl);
        Journal journal;
        book.receive("HOT", 2000, T0, journal.receipt());
        book.receive("WARM", 2000, T0, journal.receipt());
        // What the order keeps (the ledger forgets it once paid; a refund names them).
        const auto linesOf = [](std::int64_t id) {
            std::vector<std::pair<std::string, std::int64_t>> lines{{"HOT", 1 + id % 3}};
            if (id % 2 == 0)
                lines.emplace_back("WARM", 1);
            return makeOrder(id, lines).lines;
        };
        std::map<std::int64_t, std::int64_t> quantities; // order -> units of HOT + WARM
        for (int id = 1; id <= kOrders; ++id)
            quantities[id] = 1 + id % 3 + (id % 2 == 0 ? 1 : 0);

        std::atomic<bool> done{false};
        std::atomic<int> badReads{0};
        std::atomic<int> reads{0};
        std::thread reader([&] {
            while (!done) {
                for (const char *sku : {"HOT", "WARM"}) {
                    if (!consistent(ledger.level(sku)))
                        ++badReads;
                }
                ++reads;
            }
        });

        {
            std::vector<std::thread> openers;
            std::atomic<int> openFailures{0};
            for (int t = 0; t < kOpeners; ++t) {
                openers.emplace_back([&, t] {
                    for (int id = 1 + t; id <= kOrders; id += kOpeners) {
                        Order order = makeOrder(id, {}, id, 100 * id);
                        order.lines = linesOf(id);
                        // Orders open over 600 ms, so that expiry takes them a few at a time.
                        if (!book.open(order, T0 + Milliseconds(id), journal.newOrder()).ok())
                            ++openFailures;
                    }
                });
            }
            for (auto &thread : openers)
                thread.join();
            QCOMPARE(openFailures.load(), 0);
        }
        QCOMPARE(ledger.openReservations(), std::size_t(kOrders));

        // The racers take the orders a batch at a time, all of them on the same batch
        // (in their own order), so that every order really is contended.
        constexpr int kBatch = 12;
        constexpr int kRacers = 9;
        std::atomic<int> paid{0}, cancelled{0}, refunded{0}, expired{0}, wrongRefusals{0};
        std::barrier sync(kRacers);
        std::vector<std::thread> racers;
        for (unsigned t = 0; t < kRacers; ++t) {
            racers.emplace_back([&, t] {
                std::mt19937 rng(t + 1);
                for (int first = 1; first <= kOrders; first += kBatch) {
                    std::vector<std::int64_t> ids;
                    for (int id = first; id < first + kBatch && id <= kOrders; ++id)
                        ids.push_back(id);
                    std::shuffle(ids.begin(), ids.end(), rng);
                    sync.arrive_and_wait();
                    if (t == kRacers - 1) {
                        // Orders of this batch lapse one by one: T0 + id ms + the TTL.
                        for (int step = 0; step < 3; ++step) {
                            const int upTo = first + static_cast<int>(rng() % kBatch);
                            expired += static_cast<int>(
                                book.expire(T0 + kTtl + Milliseconds(upTo), journal.transition()).size());
                            std::this_thread::yield();
                        }
                        continue;
                    }
                    for (const std::int64_t id : ids) {
                        const orders::OrderState stored = createdState(id, 100 * id);
                        Result<orders::OrderTransition> r = Error{ErrorCode::Internal, ""};
                        std::atomic<int> *counter = nullptr;
                        if (t < 3) {
                            r = book.pay(id, stored, T0 + 1s, journal.transition());
                            counter = &paid;
                        } else if (t < 6) {
                            r = book.cancel(id, stored, T0 + 1s, journal.transition());
                            counter = &cancelled;
                        } else {
                            r = book.refund(id, stored, linesOf(id), T0 + 1s, journal.transition());
                            counter = &refunded;
                        }
                        if (r.ok())
                            ++*counter;
                        else if (r.error().code != ErrorCode::FailedPrecondition)
                            ++wrongRefusals;
                        std::this_thread::yield();
                    }
                }
            });
        }
        for (auto &thread : racers)
            thread.join();
        // Whatever is still created lapses.
        expired += static_cast<int>(book.expire(T0 + 1h, journal.transition()).size());
        done = true;
        reader.join();

        qInfo("paid %d, cancelled %d, expired %d, refunded %d; %d reads", paid.load(), cancelled.load(), expired.load(),
              refunded.load(), reads.load());
        QCOMPARE(badReads.load(), 0);
        QVERIFY(reads.load() > 0);
        QCOMPARE(wrongRefusals.load(), 0);
        QCOMPARE(paid.load() + cancelled.load() + expired.load(), kOrders);
        QVERIFY(refunded.load() <= paid.load());
        QCOMPARE(ledger.openReservations(), std::size_t(0));

        // Per order: exactly one way out of "created", and at most a refund after a payment.
        std::map<std::int64_t, std::vector<orders::OrderTransition>> byOrder;
        for (const orders::OrderTransition &t : journal.transitions)
            byOrder[t.orderId].push_back(t);
        QCOMPARE(byOrder.size(), std::size_t(kOrders));
        std::int64_t soldUnits = 0;
        int paidSeen = 0, refundedSeen = 0;
        for (const auto &[id, transitions] : byOrder) {
            QVERIFY(!transitions.empty() && transitions.size() <= 2);
            QCOMPARE(transitions[0].from, OrderStatus::Created);
            QVERIFY(transitions[0].to != OrderStatus::Created && transitions[0].to != OrderStatus::Refunded);
            QCOMPARE(transitions[0].uid, id);
            QCOMPARE(transitions[0].total, Money(100 * id));
            const orders::OrderState state = *book.find(id);
            if (transitions.size() == 2) {
                QCOMPARE(transitions[0].to, OrderStatus::Paid);
                QCOMPARE(transitions[1].from, OrderStatus::Paid);
                QCOMPARE(transitions[1].to, OrderStatus::Refunded);
                ++refundedSeen;
            }
            QCOMPARE(state.status, transitions.back().to);
            if (transitions[0].to == OrderStatus::Paid) {
                ++paidSeen;
                if (transitions.size() == 1)
                    soldUnits += quantities[id];
            }
        }
        QCOMPARE(paidSeen, paid.load());
        QCOMPARE(refundedSeen, refunded.load());
        const StockLevel hot = ledger.level("HOT");
        const StockLevel warm = ledger.level("WARM");
        QVERIFY(consistent(hot) && consistent(warm));
        QCOMPARE(hot.reserved + warm.reserved, 0);
        QCOMPARE(hot.sold + warm.sold, soldUnits);

        // The sinks received the events in log order, so a replay rebuilds the stock
        // through states that existed: consistent at every step.
        for (std::size_t i = 1; i < journal.events.size(); ++i)
            QVERIFY2(journal.events[i].seq > journal.events[i - 1].seq, qPrintable(QString::number(i)));
        InventoryLedger rebuilt;
        for (const Event &e : journal.events) {
            rebuilt.replay({e});
            QVERIFY(consistent(rebuilt.level(e.sku)));
        }
        QCOMPARE(rebuilt.level("HOT"), hot);
        QCOMPARE(rebuilt.level("WARM"), warm);
        QCOMPARE(rebuilt.openReservations(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestOrderBook)
#include "tst_orderbook.moc"
