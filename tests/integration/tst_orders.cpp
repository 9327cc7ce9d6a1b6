// The money path over gRPC with a temporary database and a manual clock: the order
// lifecycle and its refusals, stock levels and inventory events after every step,
// reservation expiry, and idempotency keys under concurrency and across a restart.
// The housekeeper (reservation expiry) runs when the test says so, at the clock's time,
// so nothing here waits for a background thread.

#include "TestSupport.h"
#include "domain/orders/IdempotencyTable.h"

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/metrics.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <latch>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kUid = 100001;
// Seeded demo SKUs; their seeded stock is random, so tests compare levels before and after.
const std::string kSkuA = "ELE-1001";
const std::string kSkuB = "GRO-1002";
const std::string kSkuC = "BOO-1001";

/// A SKU's stock as ListStock reports it.
struct Level {
    std::int64_t received = 0;
    std::int64_t available = 0;
    std::int64_t reserved = 0;
    std::int64_t sold = 0;
    friend bool operator==(const Level &, const Level &) = default;
    /// `delta` units moved from available to reserved, and so on.
    Level reserve(std::int64_t delta) const { return {received, available - delta, reserved + delta, sold}; }
    Level confirm(std::int64_t delta) const { return {received, available, reserved - delta, sold + delta}; }
    Level release(std::int64_t delta) const { return {received, available + delta, reserved - delta, sold}; }
    Level refund(std::int64_t delta) const { return {received, available + delta, reserved, sold - delta}; }
    Level receive(std::int64_t delta) const { return {received + delta, available + delta, reserved, sold}; }
};

char *toString(const Level &l)
{
    return QTest::toString(QStringLiteral("{received %1, available %2, reserved %3, sold %4}")
                               .arg(l.received)
                               .arg(l.available)
                               .arg(l.reserved)
                               .arg(l.sold));
}

std::int64_t epochMs(const google::protobuf::Timestamp &t)
{
    return t.seconds() * 1000 + t.nanos() / 1000000;
}

/// The first value a statement returns, through a connection of its own; empty for none.
QString sqlValue(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt *stmt = nullptr;
    QString value;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        value = QStringLiteral("ERROR: ") + QString::fromUtf8(sqlite3_errmsg(db));
    else if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
        value = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

std::unique_ptr<grpc::ClientContext> context()
{
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + 10s);
    return c;
}

v1::CreateOrderRequest orderRequest(std::vector<std::pair<std::string, std::int64_t>> items, std::string key = {},
                                    std::int64_t uid = kUid)
{
    v1::CreateOrderRequest request;
    request.set_uid(uid);
    request.set_channel("app");
    request.set_idempotency_key(key.empty() ? test::newIdempotencyKey() : key);
    for (const auto &[sku, quantity] : items) {
        auto *item = request.add_items();
        item->set_sku(sku);
        item->set_quantity(quantity);
    }
    return request;
}

/// Status and order of one call.
struct Answer {
    grpc::Status status;
    v1::Order order;
    bool ok() const { return status.ok(); }
    std::string message() const { return status.error_message(); }
};

} // namespace

class TestOrders final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock = std::make_unique<ManualClock>(SystemClock::instance().now());
        m_snapshotEvents = BackendOptions{}.inventorySnapshotEvents;
        start();
    }

    void cleanup()
    {
        stop();
        m_dir.reset();
    }

    // created -> paid -> refunded with a two-SKU order: the answer of each step,
    // the stock after it and the events it left, newest first.
    void createdPaidRefunded()
    {
        const Level a0 = level(kSkuA);
        const Level b0 = level(kSkuB);
        const std::int64_t open0 = stock().open_reservations();
        QCOMPARE(stock().reservation_ttl_seconds(), 900); // the default: 15 minutes

        const Answer created = create(orderRequest({{kSkuA, 2}, {kSkuB, 3}}));
        QVERIFY2(created.ok(), created.message().c_str());
        const v1::Order &order = created.order;
        const std::int64_t id = order.order_id();
        QVERIFY(id > 0);
        QCOMPARE(order.status(), v1::ORDER_STATUS_CREATED);
        QCOMPARE(epochMs(order.created_at()), toEpochMs(m_clock->now()));
        QVERIFY(order.has_expires_at());
        QCOMPARE(epochMs(order.expires_at()), epochMs(order.created_at()) + 15 * 60 * 1000);
        QVERIFY(!order.has_paid_at());
        QVERIFY(!order.has_closed_at());
        QCOMPARE(level(kSkuA), a0.reserve(2));
        QCOMPARE(level(kSkuB), b0.reserve(3));
        QCOMPARE(stock().open_reservations(), open0 + 1);
        QVERIFY(invariantHolds());
        QCOMPARE(get(id).order.status(), v1::ORDER_STATUS_CREATED);
        {
            const auto events = inventoryEvents(kSkuB);
            QVERIFY(!events.empty());
            QCOMPARE(events[0].type(), v1::INVENTORY_EVENT_TYPE_RESERVED);
            QCOMPARE(events[0].order_id(), id);
            QCOMPARE(events[0].quantity(), 3);
            QCOMPARE(events[0].sku(), kSkuB);
            QCOMPARE(epochMs(events[0].expires_at()), epochMs(order.expires_at()));
            QCOMPARE(events[0].reason(), v1::RELEASE_REASON_UNSPECIFIED);
        }

        m_clock->advance(1min);
        const Answer paid = pay(id, test::newIdempotencyKey());
        QVERIFY2(paid.ok(), paid.message().c_str());
        QCOMPARE(paid.order.order_id(), id);
        QCOMPARE(paid.order.status(), v1::ORDER_STATUS_PAID);
        QCOMPARE(epochMs(paid.order.paid_at()), toEpochMs(m_clock->now()));
        QVERIFY(!paid.order.has_expires_at());
        QCOMPARE(paid.order.total().minor_units(), order.total().minor_units());
        QCOMPARE(paid.order.lines_size(), 2);
        QCOMPARE(level(kSkuA), a0.reserve(2).confirm(2));
        QCOMPARE(level(kSkuB), b0.reserve(3).confirm(3));
        QCOMPARE(stock().open_reservations(), open0);
        QVERIFY(invariantHolds());
        QCOMPARE(get(id).order.status(), v1::ORDER_STATUS_PAID);

        m_clock->advance(1h); // paid: its reservation time passing changes nothing
        const Answer refunded = refund(id);
        QVERIFY2(refunded.ok(), refunded.message().c_str());
        QCOMPARE(refunded.order.status(), v1::ORDER_STATUS_REFUNDED);
        QCOMPARE(epochMs(refunded.order.closed_at()), toEpochMs(m_clock->now()));
        QCOMPARE(epochMs(refunded.order.paid_at()), epochMs(paid.order.paid_at()));
        QCOMPARE(level(kSkuA), a0);
        QCOMPARE(level(kSkuB), b0);
        QVERIFY(invariantHolds());
        const Answer stored = get(id);
        QCOMPARE(stored.order.status(), v1::ORDER_STATUS_REFUNDED);
        QCOMPARE(epochMs(stored.order.closed_at()), epochMs(refunded.order.closed_at()));

        // Each SKU's log, newest first: released (refunded), confirmed, reserved.
        for (const auto &[sku, quantity] : {std::pair{kSkuA, 2}, std::pair{kSkuB, 3}}) {
            const auto events = inventoryEvents(sku);
            QVERIFY(events.size() >= 4); // and the seeded receipt
            const v1::InventoryEventType types[] = {v1::INVENTORY_EVENT_TYPE_RELEASED,
                                                    v1::INVENTORY_EVENT_TYPE_CONFIRMED,
                                                    v1::INVENTORY_EVENT_TYPE_RESERVED};
            for (int i = 0; i < 3; ++i) {
                QCOMPARE(events[i].type(), types[i]);
                QCOMPARE(events[i].order_id(), id);
                QCOMPARE(events[i].quantity(), std::int64_t(quantity));
                QCOMPARE(events[i].sku(), sku);
                QVERIFY(events[i].seq() > events[i + 1].seq());
            }
            QCOMPARE(events[0].reason(), v1::RELEASE_REASON_REFUNDED);
            QCOMPARE(events[1].reason(), v1::RELEASE_REASON_UNSPECIFIED);
            QCOMPARE(epochMs(events[0].at()), epochMs(refunded.order.closed_at()));
            QCOMPARE(epochMs(events[1].at()), epochMs(paid.order.paid_at()));
            QCOMPARE(events.back().type(), v1::INVENTORY_EVENT_TYPE_RECEIVED);
            QCOMPARE(events.back().order_id(), 0);
        }
    }

    void cancelReleasesTheReservation()
    {
        const Level c0 = level(kSkuC);
        const Answer created = create(orderRequest({{kSkuC, 4}}));
        QVERIFY2(created.ok(), created.message().c_str());
        QCOMPARE(level(kSkuC), c0.reserve(4));
        m_clock->advance(30s);
        const Answer cancelled = cancel(created.order.order_id());
        QVERIFY2(cancelled.ok(), cancelled.message().c_str());
        QCOMPARE(cancelled.order.status(), v1::ORDER_STATUS_CANCELLED);
        QCOMPARE(epochMs(cancelled.order.closed_at()), toEpochMs(m_clock->now()));
        QVERIFY(!cancelled.order.has_paid_at());
        QCOMPARE(level(kSkuC), c0);
        QCOMPARE(get(created.order.order_id()).order.status(), v1::ORDER_STATUS_CANCELLED);
        const auto events = inventoryEvents(kSkuC);
        QCOMPARE(events[0].type(), v1::INVENTORY_EVENT_TYPE_RELEASED);
        QCOMPARE(events[0].reason(), v1::RELEASE_REASON_CANCELLED);
        QCOMPARE(events[0].quantity(), 4);
        QCOMPARE(events[1].type(), v1::INVENTORY_EVENT_TYPE_RESERVED);
        QCOMPARE(events[0].order_id(), created.order.order_id());
        QCOMPARE(events[1].order_id(), created.order.order_id());
    }

    // One order in every status, then every transition the lifecycle does not
    // allow: FAILED_PRECONDITION naming the order and its status, and nothing
    // changes — not the order, not the stock, not the event log.
    void illegalTransitionsChangeNothing()
    {
        std::map<v1::OrderStatus, std::int64_t> orders;
        // Expired first: moving the clock expires every created order.
        {
            const Answer a = create(orderRequest({{kSkuA, 1}}));
            QVERIFY2(a.ok(), a.message().c_str());
            m_clock->advance(15min + 1s);
            m_backend->housekeep();
            QCOMPARE(statusOf(a.order.order_id()), v1::ORDER_STATUS_EXPIRED);
            orders[v1::ORDER_STATUS_EXPIRED] = a.order.order_id();
        }
        for (const v1::OrderStatus status :
             {v1::ORDER_STATUS_CREATED, v1::ORDER_STATUS_PAID, v1::ORDER_STATUS_CANCELLED, v1::ORDER_STATUS_REFUNDED}) {
            const Answer a = create(orderRequest({{kSkuA, 1}}));
            QVERIFY2(a.ok(), a.message().c_str());
            const std::int64_t id = a.order.order_id();
            if (status == v1::ORDER_STATUS_PAID || status == v1::ORDER_STATUS_REFUNDED)
                QVERIFY(pay(id, test::newIdempotencyKey()).ok());
            if (status == v1::ORDER_STATUS_CANCELLED)
                QVERIFY(cancel(id).ok());
            if (status == v1::ORDER_STATUS_REFUNDED)
                QVERIFY(refund(id).ok());
            QCOMPARE(get(id).order.status(), status);
            orders[status] = id;
        }

        struct Case {
            v1::OrderStatus from;
            const char *action;
            const char *reason;
        };
        const Case cases[] = {
            {v1::ORDER_STATUS_PAID, "pay", "only a created order can be paid"},
            {v1::ORDER_STATUS_CANCELLED, "pay", "only a created order can be paid"},
            {v1::ORDER_STATUS_EXPIRED, "pay", "only a created order can be paid"},
            {v1::ORDER_STATUS_REFUNDED, "pay", "only a created order can be paid"},
            {v1::ORDER_STATUS_PAID, "cancel", "a paid order is refunded, not cancelled"},
            {v1::ORDER_STATUS_CANCELLED, "cancel", "only a created order can be cancelled"},
            {v1::ORDER_STATUS_EXPIRED, "cancel", "only a created order can be cancelled"},
            {v1::ORDER_STATUS_REFUNDED, "cancel", "only a created order can be cancelled"},
            {v1::ORDER_STATUS_CREATED, "refund", "only a paid order can be refunded"},
            {v1::ORDER_STATUS_CANCELLED, "refund", "only a paid order can be refunded"},
            {v1::ORDER_STATUS_EXPIRED, "refund", "only a paid order can be refunded"},
            {v1::ORDER_STATUS_REFUNDED, "refund", "only a paid order can be refunded"},
        };
        const std::map<v1::OrderStatus, std::string> names{
            {v1::ORDER_STATUS_CREATED, "created"},     {v1::ORDER_STATUS_PAID, "paid"},
            {v1::ORDER_STATUS_CANCELLED, "cancelled"}, {v1::ORDER_STATUS_EXPIRED, "expired"},
            {v1::ORDER_STATUS_REFUNDED, "refunded"},
        };
        for (const Case &c : cases) {
            const std::int64_t id = orders[c.from];
            const std::string what = std::string(c.action) + " a " + names.at(c.from) + " order";
            const Level before = level(kSkuA);
            const v1::ListStockResponse stockBefore = stock();
            const auto eventsBefore = inventoryEvents(kSkuA);
            const v1::Order orderBefore = get(id).order;
            m_clock->advance(1s);

            const std::string action = c.action;
            const Answer a = action == "pay"      ? pay(id, test::newIdempotencyKey())
                             : action == "cancel" ? cancel(id)
                                                  : refund(id);
            QVERIFY2(a.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION, what.c_str());
            QCOMPARE(a.message(), "order " + std::to_string(id) + " is " + names.at(c.from) + "; " + c.reason);

            const v1::Order orderAfter = get(id).order;
            QVERIFY2(orderAfter.SerializeAsString() == orderBefore.SerializeAsString(), what.c_str());
            QCOMPARE(level(kSkuA), before);
            QCOMPARE(stock().open_reservations(), stockBefore.open_reservations());
            const auto eventsAfter = inventoryEvents(kSkuA);
            QCOMPARE(eventsAfter.size(), eventsBefore.size());
            QCOMPARE(eventsAfter[0].seq(), eventsBefore[0].seq());
        }
        // The created one is still good for its way out.
        QVERIFY(pay(orders[v1::ORDER_STATUS_CREATED], test::newIdempotencyKey()).ok());
        QVERIFY(invariantHolds());
    }

    void unknownAndInvalidOrderIds()
    {
        const std::string key = test::newIdempotencyKey();
        for (const std::int64_t id : {std::int64_t(0), std::int64_t(-1), std::numeric_limits<std::int64_t>::min()}) {
            const std::string expected = "order_id must be a positive order number, got " + std::to_string(id);
            for (const Answer &a : {pay(id, key), cancel(id), refund(id), get(id)}) {
                QCOMPARE(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
                QCOMPARE(a.message(), expected);
            }
        }
        for (const std::int64_t id : {std::int64_t(987654321), std::numeric_limits<std::int64_t>::max()}) {
            const std::string expected = "order " + std::to_string(id) + " does not exist";
            for (const Answer &a : {pay(id, key), cancel(id), refund(id), get(id)}) {
                QCOMPARE(a.status.error_code(), grpc::StatusCode::NOT_FOUND);
                QCOMPARE(a.message(), expected);
            }
        }
        // The refusals did not use up the key.
        const Answer created = create(orderRequest({{kSkuA, 1}}));
        QVERIFY(created.ok());
        const Answer paid = pay(created.order.order_id(), key);
        QVERIFY2(paid.ok(), paid.message().c_str());
    }

    void stockIsReceivedAndValidated()
    {
        const Level c0 = level(kSkuC);
        {
            auto c = context();
            v1::ReceiveStockRequest request;
            request.set_sku(kSkuC);
            request.set_quantity(1000000);
            v1::StockLevel answer;
            const grpc::Status s = inventory()->ReceiveStock(c.get(), request, &answer);
            QVERIFY2(s.ok(), s.error_message().c_str());
            QCOMPARE(answer.sku(), kSkuC);
            QCOMPARE(answer.received(), c0.received + 1000000);
            QCOMPARE(answer.available(), c0.available + 1000000);
            QVERIFY(!answer.low());
        }
        QCOMPARE(level(kSkuC), c0.receive(1000000));
        const auto events = inventoryEvents(kSkuC);
        QCOMPARE(events[0].type(), v1::INVENTORY_EVENT_TYPE_RECEIVED);
        QCOMPARE(events[0].quantity(), 1000000);
        QCOMPARE(events[0].order_id(), 0);
        QCOMPARE(epochMs(events[0].at()), toEpochMs(m_clock->now()));

        struct Bad {
            std::string sku;
            std::int64_t quantity;
            grpc::StatusCode code;
            std::string message;
        };
        const Bad bad[] = {
            {"NOPE-1", 5, grpc::StatusCode::NOT_FOUND, "there is no SKU \"NOPE-1\""},
            {"", 5, grpc::StatusCode::INVALID_ARGUMENT, "sku is required"},
            {kSkuC, 0, grpc::StatusCode::INVALID_ARGUMENT, "quantity must be between 1 and 1000000, got 0"},
            {kSkuC, -3, grpc::StatusCode::INVALID_ARGUMENT, "quantity must be between 1 and 1000000, got -3"},
            {kSkuC, 1000001, grpc::StatusCode::INVALID_ARGUMENT, "quantity must be between 1 and 1000000, got 1000001"},
        };
        for (const Bad &b : bad) {
            auto c = context();
            v1::ReceiveStockRequest request;
            request.set_sku(b.sku);
            request.set_quantity(b.quantity);
            v1::StockLevel answer;
            const grpc::Status s = inventory()->ReceiveStock(c.get(), request, &answer);
            QCOMPARE(s.error_code(), b.code);
            QCOMPARE(s.error_message(), b.message);
        }
        QCOMPARE(level(kSkuC), c0.receive(1000000));
        QCOMPARE(inventoryEvents(kSkuC).size(), events.size());

        // The event list: newest first, limited, validated.
        QVERIFY(test::receiveStock(m_channel, kSkuC, 1).ok());
        QVERIFY(test::receiveStock(m_channel, kSkuC, 2).ok());
        const auto latest = inventoryEvents(kSkuC, 2);
        QCOMPARE(latest.size(), std::size_t(2));
        QCOMPARE(latest[0].quantity(), 2);
        QCOMPARE(latest[1].quantity(), 1);
        QVERIFY(latest[0].seq() > latest[1].seq());
        for (const auto &[sku, limit, code] : {std::tuple{std::string(), 0, grpc::StatusCode::INVALID_ARGUMENT},
                                               std::tuple{std::string("NOPE-1"), 0, grpc::StatusCode::NOT_FOUND},
                                               std::tuple{kSkuC, -1, grpc::StatusCode::INVALID_ARGUMENT},
                                               std::tuple{kSkuC, 501, grpc::StatusCode::INVALID_ARGUMENT}}) {
            auto c = context();
            v1::ListInventoryEventsRequest request;
            request.set_sku(sku);
            request.set_limit(limit);
            v1::ListInventoryEventsResponse response;
            QCOMPARE(inventory()->ListInventoryEvents(c.get(), request, &response).error_code(), code);
        }
        {
            auto c = context();
            v1::ListStockRequest request;
            request.set_category("no-such-category");
            v1::ListStockResponse response;
            const grpc::Status s = inventory()->ListStock(c.get(), request, &response);
            QCOMPARE(s.error_code(), grpc::StatusCode::NOT_FOUND);
        }
        QVERIFY(invariantHolds());
    }

    // More than is available: FAILED_PRECONDITION naming the SKU, and nothing is
    // reserved — not even the lines that were available.
    void outOfStockReservesNothing()
    {
        const Level a0 = level(kSkuA);
        const Level b0 = level(kSkuB);
        const std::int64_t open0 = stock().open_reservations();
        const auto eventsA = inventoryEvents(kSkuA);
        const auto eventsB = inventoryEvents(kSkuB);
        const std::int64_t orders0 = ordersTotal();
        const std::string key = test::newIdempotencyKey();
        const auto request = orderRequest({{kSkuA, 1}, {kSkuB, b0.available + 1}}, key);

        const Answer refused = create(request);
        QCOMPARE(refused.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(refused.message(), "not enough stock of " + kSkuB + ": " + std::to_string(b0.available + 1) +
                                        " wanted, " + std::to_string(b0.available) + " available");
        QCOMPARE(level(kSkuA), a0);
        QCOMPARE(level(kSkuB), b0);
        QCOMPARE(stock().open_reservations(), open0);
        QCOMPARE(inventoryEvents(kSkuA).size(), eventsA.size());
        QCOMPARE(inventoryEvents(kSkuA)[0].seq(), eventsA[0].seq());
        QCOMPARE(inventoryEvents(kSkuB)[0].seq(), eventsB[0].seq());
        QCOMPARE(ordersTotal(), orders0);

        // Exactly what is available can be had; the refused request's key was
        // forgotten, so the same request goes through once the stock is in.
        QVERIFY(test::receiveStock(m_channel, kSkuB, 1).ok());
        const Answer retried = create(request);
        QVERIFY2(retried.ok(), retried.message().c_str());
        QCOMPARE(level(kSkuB), b0.receive(1).reserve(b0.available + 1));
        QCOMPARE(level(kSkuB).available, 0);
        const Answer more = create(orderRequest({{kSkuB, 1}}));
        QCOMPARE(more.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(more.message(), "not enough stock of " + kSkuB + ": 1 wanted, 0 available");
        QVERIFY(stock().items_size() > 0);
        QVERIFY(invariantHolds());
    }

    // A created order's reservation lapses at its time: the housekeeper expires it
    // and releases the stock, and it cannot be paid any more. An order whose time
    // has not come stays.
    void reservationsExpire()
    {
        const Level a0 = level(kSkuA);
        const Answer early = create(orderRequest({{kSkuA, 2}}));
        QVERIFY2(early.ok(), early.message().c_str());
        m_clock->advance(10min);
        const Answer late = create(orderRequest({{kSkuA, 3}}));
        QVERIFY2(late.ok(), late.message().c_str());
        QCOMPARE(level(kSkuA), a0.reserve(5));

        // 1 ms before early's expiry time nothing lapses.
        m_clock->advance(5min - 1ms);
        const std::int64_t id = early.order.order_id();
        m_backend->housekeep();
        QCOMPARE(statusOf(id), v1::ORDER_STATUS_CREATED);
        QCOMPARE(level(kSkuA), a0.reserve(5));

        m_clock->advance(1ms); // early's reservation lapses at its time; late's has 10 min left
        QCOMPARE(toEpochMs(m_clock->now()), epochMs(early.order.expires_at()));
        m_backend->housekeep();
        QCOMPARE(statusOf(id), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(level(kSkuA), a0.reserve(3));
        const v1::Order expired = get(id).order;
        QVERIFY(expired.has_closed_at());
        QVERIFY(!expired.has_expires_at());
        QCOMPARE(epochMs(expired.closed_at()), toEpochMs(m_clock->now()));
        const auto events = inventoryEvents(kSkuA);
        QCOMPARE(events[0].type(), v1::INVENTORY_EVENT_TYPE_RELEASED);
        QCOMPARE(events[0].reason(), v1::RELEASE_REASON_EXPIRED);
        QCOMPARE(events[0].order_id(), id);
        QCOMPARE(events[0].quantity(), 2);
        // Expiry ran at a time before late's: it is still created.
        QCOMPARE(get(late.order.order_id()).order.status(), v1::ORDER_STATUS_CREATED);

        const Answer payExpired = pay(id, test::newIdempotencyKey());
        QCOMPARE(payExpired.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(payExpired.message(), "order " + std::to_string(id) + " is expired; only a created order can be paid");
        QCOMPARE(cancel(id).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(level(kSkuA), a0.reserve(3));

        const Answer paidLate = pay(late.order.order_id(), test::newIdempotencyKey());
        QVERIFY2(paidLate.ok(), paidLate.message().c_str());
        m_clock->advance(1h); // a paid order never expires
        QCOMPARE(level(kSkuA), a0.reserve(3).confirm(3));
        QVERIFY(invariantHolds());
        // Any expiry would show in the events; a new order that expires in the same pass
        // shows the pass ran after the clock moved.
        const Answer probe = create(orderRequest({{kSkuC, 1}}));
        QVERIFY(probe.ok());
        m_clock->advance(16min);
        m_backend->housekeep();
        QCOMPARE(statusOf(probe.order.order_id()), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(get(late.order.order_id()).order.status(), v1::ORDER_STATUS_PAID);
        QCOMPARE(level(kSkuA), a0.reserve(3).confirm(3));
    }

    void reservationTimeIsConfigurable()
    {
        stop();
        BackendOptions options = optionsFor(*m_dir);
        options.reservationTtl = 2s;
        m_backend = Backend::start(options);
        connect();
        QCOMPARE(stock().reservation_ttl_seconds(), 2);
        const Level a0 = level(kSkuA);
        const Answer created = create(orderRequest({{kSkuA, 1}}));
        QVERIFY2(created.ok(), created.message().c_str());
        QCOMPARE(epochMs(created.order.expires_at()), epochMs(created.order.created_at()) + 2000);
        m_clock->advance(2s - 1ms);
        m_backend->housekeep();
        QCOMPARE(statusOf(created.order.order_id()), v1::ORDER_STATUS_CREATED);
        m_clock->advance(1ms);
        m_backend->housekeep();
        QCOMPARE(statusOf(created.order.order_id()), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(level(kSkuA), a0);

        for (const auto ttl : {Milliseconds(999), Milliseconds(0), Milliseconds(-1000),
                               std::chrono::duration_cast<Milliseconds>(24h + 1ms)}) {
            QTemporaryDir dir;
            BackendOptions bad = optionsFor(dir);
            bad.reservationTtl = ttl;
            try {
                Backend::start(bad);
                QFAIL("a backend started with a reservation time out of range");
            } catch (const StartupError &e) {
                QCOMPARE(std::string(e.what()),
                         std::string("the reservation time must be between 1 second and 24 hours"));
            }
        }
    }

    void createIsIdempotent()
    {
        const Level a0 = level(kSkuA);
        const Level b0 = level(kSkuB);
        const std::string key = test::newIdempotencyKey();
        const auto request = orderRequest({{kSkuA, 2}}, key);
        const Answer first = create(request);
        QVERIFY2(first.ok(), first.message().c_str());
        const std::int64_t id = first.order.order_id();
        const std::int64_t orders0 = ordersTotal();
        m_clock->advance(1min);
        const Answer again = create(request);
        QVERIFY2(again.ok(), again.message().c_str());
        QCOMPARE(again.order.SerializeAsString(), first.order.SerializeAsString());
        QCOMPARE(level(kSkuA), a0.reserve(2));
        QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_RESERVED), 1);
        QCOMPARE(ordersTotal(), orders0);

        // The same key with a different request, in any field (another user's key
        // is another key: keysBelongToTheBuyer). The answer names no order.
        std::vector<v1::CreateOrderRequest> different(4, request);
        different[0].mutable_items(0)->set_quantity(3);
        different[1].mutable_items(0)->set_sku(kSkuB);
        different[2].set_channel("web");
        *different[3].add_items() = request.items(0);
        for (const auto &d : different) {
            const Answer a = create(d);
            QCOMPARE(a.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
            QCOMPARE(a.message(), "idempotency_key \"" + key +
                                      "\" was already used for a different request; use a new key for a new request");
        }
        QCOMPARE(level(kSkuA), a0.reserve(2));
        QCOMPARE(level(kSkuB), b0);

        // A retry after the order moved on answers with it as it is now.
        QVERIFY(pay(id, test::newIdempotencyKey()).ok());
        const Answer afterPay = create(request);
        QVERIFY2(afterPay.ok(), afterPay.message().c_str());
        QCOMPARE(afterPay.order.order_id(), id);
        QCOMPARE(afterPay.order.status(), v1::ORDER_STATUS_PAID);
        QCOMPARE(level(kSkuA), a0.reserve(2).confirm(2));
        QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_RESERVED), 1);

        // Keys: required, at most 128 printable ASCII characters.
        const std::string tooLong(129, 'k');
        const std::pair<std::string, std::string> badKeys[] = {
            {"", "idempotency_key is required: choose one per order and send the same key when retrying"},
            {tooLong, "idempotency_key is 129 characters long; at most 128 are allowed"},
            {"two words", "idempotency_key has a character that is not printable ASCII at position 4"},
            {"tab\there", "idempotency_key has a character that is not printable ASCII at position 4"},
            {"caf\xc3\xa9", "idempotency_key has a character that is not printable ASCII at position 4"},
        };
        for (const auto &[badKey, message] : badKeys) {
            v1::CreateOrderRequest r = orderRequest({{kSkuA, 1}});
            r.set_idempotency_key(badKey);
            v1::Order order;
            auto c = context();
            const grpc::Status s = orders()->CreateOrder(c.get(), r, &order); // not test::createOrder: it adds a key
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), message);
        }
        QCOMPARE(level(kSkuA), a0.reserve(2).confirm(2));
        const Answer longest = create(orderRequest({{kSkuA, 1}}, std::string(128, 'k')));
        QVERIFY2(longest.ok(), longest.message().c_str());
        // Create and pay keys are separate: the same text may serve as both.
        const Answer paid = pay(longest.order.order_id(), std::string(128, 'k'));
        QVERIFY2(paid.ok(), paid.message().c_str());
    }

    void payIsIdempotent()
    {
        const Level a0 = level(kSkuA);
        const Answer created = create(orderRequest({{kSkuA, 2}}));
        QVERIFY(created.ok());
        const std::int64_t id = created.order.order_id();
        const std::string key = test::newIdempotencyKey();
        const Answer first = pay(id, key);
        QVERIFY2(first.ok(), first.message().c_str());
        QCOMPARE(first.order.status(), v1::ORDER_STATUS_PAID);
        m_clock->advance(1min);
        const Answer again = pay(id, key);
        QVERIFY2(again.ok(), again.message().c_str());
        QCOMPARE(again.order.SerializeAsString(), first.order.SerializeAsString());
        QCOMPARE(level(kSkuA), a0.reserve(2).confirm(2));
        QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_CONFIRMED), 1);

        // A new key is a new payment: refused, the order is paid.
        const Answer newKey = pay(id, test::newIdempotencyKey());
        QCOMPARE(newKey.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        // The key for another order: a different request.
        const Answer other = create(orderRequest({{kSkuA, 1}}));
        QVERIFY(other.ok());
        const Answer reused = pay(other.order.order_id(), key);
        QCOMPARE(reused.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(reused.message(), "idempotency_key \"" + key +
                                       "\" was already used for a different request; use a new key for a new request");
        QCOMPARE(get(other.order.order_id()).order.status(), v1::ORDER_STATUS_CREATED);
        QCOMPARE(level(kSkuA), a0.reserve(2).confirm(2).reserve(1));

        for (const std::string &badKey : {std::string(), std::string(129, 'p'), std::string("a b")}) {
            const Answer a = pay(other.order.order_id(), badKey);
            QCOMPARE(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(a.message().find("idempotency_key") == 0, a.message().c_str());
        }
        QCOMPARE(get(other.order.order_id()).order.status(), v1::ORDER_STATUS_CREATED);

        // A refused payment forgets its key: after a refund the same key replays...
        QVERIFY(refund(id).ok());
        const Answer replayed = pay(id, key);
        QVERIFY2(replayed.ok(), replayed.message().c_str());
        QCOMPARE(replayed.order.status(), v1::ORDER_STATUS_REFUNDED); // as it is now
        QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_CONFIRMED), 1);
        // ...while a key whose payment was refused can pay another order.
        const std::string refusedKey = test::newIdempotencyKey();
        QCOMPARE(pay(id, refusedKey).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY(pay(other.order.order_id(), refusedKey).ok());
        QVERIFY(invariantHolds());
    }

    // A key is its buyer's: two users with one key make two orders, and a
    // different request with a user's key is refused without naming any order.
    // After the in-memory window (a minute of the injected clock), the same keys
    // are answered from the database: a retry gets the original order, a different
    // request is still refused, nothing is reserved or charged again.
    void keysBelongToTheBuyer()
    {
        // From here on new keys skip the database and stored ones are found through the filter.
        QVERIFY(m_backend->waitForStoredKeys());
        const Level a0 = level(kSkuA);
        const std::string key = test::newIdempotencyKey();
        const auto mine = orderRequest({{kSkuA, 1}}, key, kUid);
        const auto theirs = orderRequest({{kSkuA, 1}}, key, kUid + 1);
        const Answer first = create(mine);
        QVERIFY2(first.ok(), first.message().c_str());
        const Answer other = create(theirs);
        QVERIFY2(other.ok(), other.message().c_str());
        QVERIFY(other.order.order_id() != first.order.order_id());
        QCOMPARE(other.order.uid(), kUid + 1);
        QCOMPARE(create(mine).order.order_id(), first.order.order_id());
        QCOMPARE(create(theirs).order.order_id(), other.order.order_id());
        auto changed = theirs;
        changed.mutable_items(0)->set_quantity(2);
        const std::string refusal =
            "idempotency_key \"" + key + "\" was already used for a different request; use a new key for a new request";
        Answer conflict = create(changed);
        QCOMPARE(conflict.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(conflict.message(), refusal);
        // A payment key is the buyer's too: each pays their own order with it.
        const std::string payKey = test::newIdempotencyKey();
        const Answer paid = pay(first.order.order_id(), payKey);
        QVERIFY2(paid.ok(), paid.message().c_str());
        const Answer otherPaid = pay(other.order.order_id(), payKey);
        QVERIFY2(otherPaid.ok(), otherPaid.message().c_str());
        QCOMPARE(otherPaid.order.order_id(), other.order.order_id());
        const std::int64_t orders1 = ordersTotal();
        const Level a1 = level(kSkuA);
        QCOMPARE(a1, a0.reserve(1).reserve(1).confirm(1).confirm(1));

        // Out of the window: from the database.
        m_clock->advance(2min);
        const Answer again = create(mine);
        QVERIFY2(again.ok(), again.message().c_str());
        QCOMPARE(again.order.order_id(), first.order.order_id());
        QCOMPARE(again.order.status(), v1::ORDER_STATUS_PAID); // as it is now
        QCOMPARE(again.order.total().minor_units(), first.order.total().minor_units());
        // The table held it again for a minute; and once more after that minute.
        QCOMPARE(create(mine).order.order_id(), first.order.order_id());
        m_clock->advance(61s);
        QCOMPARE(create(theirs).order.order_id(), other.order.order_id());
        m_clock->advance(61s);
        conflict = create(changed);
        QCOMPARE(conflict.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(conflict.message(), refusal);
        const Answer payAgain = pay(first.order.order_id(), payKey);
        QVERIFY2(payAgain.ok(), payAgain.message().c_str());
        QCOMPARE(payAgain.order.SerializeAsString(), paid.order.SerializeAsString());
        // The payment key used for another order of the same buyer: refused.
        const Answer third = create(orderRequest({{kSkuA, 1}}, test::newIdempotencyKey(), kUid));
        QVERIFY(third.ok());
        const Answer reused = pay(third.order.order_id(), payKey);
        QCOMPARE(reused.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(reused.message(), "idempotency_key \"" + payKey +
                                       "\" was already used for a different request; use a new key for a new request");
        QCOMPARE(get(third.order.order_id()).order.status(), v1::ORDER_STATUS_CREATED);
        QCOMPARE(ordersTotal(), orders1 + 1);
        QCOMPARE(level(kSkuA), a1.reserve(1));
        QCOMPARE(countEvents(kSkuA, first.order.order_id(), v1::INVENTORY_EVENT_TYPE_RESERVED), 1);
        QCOMPARE(countEvents(kSkuA, first.order.order_id(), v1::INVENTORY_EVENT_TYPE_CONFIRMED), 1);

        // Keys older than the 48-hour retention are forgotten: the same key is a new order.
        m_clock->advance(48h);
        const Answer late = create(mine);
        QVERIFY2(late.ok(), late.message().c_str());
        QVERIFY(late.order.order_id() > third.order.order_id());
    }

    // 50 identical CreateOrder requests with one key at once, three times over:
    // all answer with the same order, and exactly one order and one reservation exist.
    void concurrentCreatesWithOneKey()
    {
        constexpr int kCalls = 50;
        for (int round = 0; round < 3; ++round) {
            const Level a0 = level(kSkuA);
            const std::int64_t orders0 = ordersTotal();
            const auto request = orderRequest({{kSkuA, 3}}, test::newIdempotencyKey());
            const std::vector<Answer> answers = concurrently(kCalls, [&](v1::OrderService::Stub &stub) {
                Answer a;
                auto c = context();
                a.status = stub.CreateOrder(c.get(), request, &a.order);
                return a;
            });
            std::set<std::int64_t> ids;
            for (const Answer &a : answers) {
                QVERIFY2(a.ok(), a.message().c_str());
                QCOMPARE(a.order.status(), v1::ORDER_STATUS_CREATED);
                QCOMPARE(a.order.SerializeAsString(), answers[0].order.SerializeAsString());
                ids.insert(a.order.order_id());
            }
            QCOMPARE(ids.size(), std::size_t(1));
            const std::int64_t id = *ids.begin();
            QCOMPARE(level(kSkuA), a0.reserve(3));
            QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_RESERVED), 1);
            QCOMPARE(ordersTotal(), orders0 + 1);
            // No other order came of it: the next one gets the next id.
            const Answer next = create(orderRequest({{kSkuC, 1}}));
            QVERIFY(next.ok());
            QCOMPARE(next.order.order_id(), id + 1);
            QVERIFY(invariantHolds());
        }
    }

    // 50 PayOrder calls with one key at once: one payment, one confirmation.
    void concurrentPaysWithOneKey()
    {
        constexpr int kCalls = 50;
        for (int round = 0; round < 3; ++round) {
            const Level a0 = level(kSkuA);
            const Answer created = create(orderRequest({{kSkuA, 2}}));
            QVERIFY(created.ok());
            const std::int64_t id = created.order.order_id();
            v1::PayOrderRequest request;
            request.set_order_id(id);
            request.set_idempotency_key(test::newIdempotencyKey());
            const std::vector<Answer> answers = concurrently(kCalls, [&](v1::OrderService::Stub &stub) {
                Answer a;
                auto c = context();
                a.status = stub.PayOrder(c.get(), request, &a.order);
                return a;
            });
            for (const Answer &a : answers) {
                QVERIFY2(a.ok(), a.message().c_str());
                QCOMPARE(a.order.order_id(), id);
                QCOMPARE(a.order.status(), v1::ORDER_STATUS_PAID);
                QCOMPARE(a.order.paid_at().seconds(), answers[0].order.paid_at().seconds());
            }
            QCOMPARE(level(kSkuA), a0.reserve(2).confirm(2));
            QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_CONFIRMED), 1);
            QCOMPARE(get(id).order.status(), v1::ORDER_STATUS_PAID);
        }
    }

    // Payments with different keys and cancellations race on one order: exactly
    // one of them wins, the rest are FAILED_PRECONDITION.
    void concurrentPaysAndCancelsOfOneOrder()
    {
        constexpr int kCalls = 40;
        for (int round = 0; round < 3; ++round) {
            const Level c0 = level(kSkuC);
            const Answer created = create(orderRequest({{kSkuC, 1}}));
            QVERIFY(created.ok());
            const std::int64_t id = created.order.order_id();
            std::atomic<int> next{0};
            const std::vector<Answer> answers = concurrently(kCalls, [&](v1::OrderService::Stub &stub) {
                Answer a;
                auto c = context();
                if (next++ % 2 == 0) {
                    v1::PayOrderRequest request;
                    request.set_order_id(id);
                    request.set_idempotency_key(test::newIdempotencyKey());
                    a.status = stub.PayOrder(c.get(), request, &a.order);
                } else {
                    v1::CancelOrderRequest request;
                    request.set_order_id(id);
                    a.status = stub.CancelOrder(c.get(), request, &a.order);
                }
                return a;
            });
            int won = 0;
            v1::OrderStatus winner = v1::ORDER_STATUS_UNSPECIFIED;
            for (const Answer &a : answers) {
                if (a.ok()) {
                    ++won;
                    winner = a.order.status();
                } else {
                    QCOMPARE(a.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
                }
            }
            QCOMPARE(won, 1);
            QCOMPARE(get(id).order.status(), winner);
            if (winner == v1::ORDER_STATUS_PAID) {
                QCOMPARE(level(kSkuC), c0.reserve(1).confirm(1));
                QCOMPARE(countEvents(kSkuC, id, v1::INVENTORY_EVENT_TYPE_CONFIRMED), 1);
                QCOMPARE(countEvents(kSkuC, id, v1::INVENTORY_EVENT_TYPE_RELEASED), 0);
            } else {
                QCOMPARE(winner, v1::ORDER_STATUS_CANCELLED);
                QCOMPARE(level(kSkuC), c0);
                QCOMPARE(countEvents(kSkuC, id, v1::INVENTORY_EVENT_TYPE_CONFIRMED), 0);
                QCOMPARE(countEvents(kSkuC, id, v1::INVENTORY_EVENT_TYPE_RELEASED), 1);
            }
        }
    }

    // Keys, orders and stock as stored: after a restart on the same database the
    // same keys answer with the same orders and nothing is reserved or charged
    // again; a reservation made before the restart still expires.
    void keysSurviveARestart()
    {
        const std::string createKey = test::newIdempotencyKey();
        const std::string payKey = test::newIdempotencyKey();
        const std::string openKey = test::newIdempotencyKey();
        const auto paidRequest = orderRequest({{kSkuA, 2}}, createKey);
        const auto openRequest = orderRequest({{kSkuB, 1}}, openKey);
        const Answer paidOrder = create(paidRequest);
        QVERIFY(paidOrder.ok());
        const Answer paid = pay(paidOrder.order.order_id(), payKey);
        QVERIFY(paid.ok());
        const Answer openOrder = create(openRequest);
        QVERIFY(openOrder.ok());
        const Level a1 = level(kSkuA);
        const Level b1 = level(kSkuB);
        const std::int64_t orders1 = ordersTotal();
        const std::int64_t open1 = stock().open_reservations();

        m_backend->shutdown();
        stop();
        start();
        // The keys come back through the filter of stored keys, once it has read them.
        QVERIFY(m_backend->waitForStoredKeys());

        QCOMPARE(level(kSkuA), a1);
        QCOMPARE(level(kSkuB), b1);
        QCOMPARE(stock().open_reservations(), open1);
        QCOMPARE(ordersTotal(), orders1);

        const Answer createAgain = create(paidRequest);
        QVERIFY2(createAgain.ok(), createAgain.message().c_str());
        QCOMPARE(createAgain.order.order_id(), paidOrder.order.order_id());
        QCOMPARE(createAgain.order.status(), v1::ORDER_STATUS_PAID);
        const Answer payAgain = pay(paidOrder.order.order_id(), payKey);
        QVERIFY2(payAgain.ok(), payAgain.message().c_str());
        QCOMPARE(payAgain.order.SerializeAsString(), paid.order.SerializeAsString());
        const Answer openAgain = create(openRequest);
        QVERIFY2(openAgain.ok(), openAgain.message().c_str());
        QCOMPARE(openAgain.order.SerializeAsString(), openOrder.order.SerializeAsString());
        QCOMPARE(level(kSkuA), a1);
        QCOMPARE(level(kSkuB), b1);
        QCOMPARE(countEvents(kSkuA, paidOrder.order.order_id(), v1::INVENTORY_EVENT_TYPE_RESERVED), 1);
        QCOMPARE(countEvents(kSkuA, paidOrder.order.order_id(), v1::INVENTORY_EVENT_TYPE_CONFIRMED), 1);
        QCOMPARE(countEvents(kSkuB, openOrder.order.order_id(), v1::INVENTORY_EVENT_TYPE_RESERVED), 1);
        QCOMPARE(ordersTotal(), orders1);

        // A different request with a stored key is still refused.
        auto changed = paidRequest;
        changed.mutable_items(0)->set_quantity(5);
        QCOMPARE(create(changed).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(pay(openOrder.order.order_id(), payKey).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

        // New orders continue the numbering.
        const Answer fresh = create(orderRequest({{kSkuC, 1}}));
        QVERIFY(fresh.ok());
        QVERIFY(fresh.order.order_id() > openOrder.order.order_id());

        // The reservation from before the restart lapses like any other.
        m_clock->advance(15min + 1s);
        m_backend->housekeep();
        QCOMPARE(statusOf(openOrder.order.order_id()), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(level(kSkuB), b1.release(1));
        const Answer openLater = create(openRequest);
        QVERIFY(openLater.ok());
        QCOMPARE(openLater.order.status(), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(level(kSkuB), b1.release(1));

        // And all of it survives a second restart.
        stop();
        start();
        QCOMPARE(level(kSkuB), b1.release(1));
        QCOMPARE(get(openOrder.order.order_id()).order.status(), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(get(paidOrder.order.order_id()).order.status(), v1::ORDER_STATUS_PAID);
        QVERIFY(invariantHolds());
    }

    // A key stored by a build before schema version 10 (no user, the 64-bit FNV
    // fingerprint of the same canonical text) still answers its retry after the
    // upgrade, as its buyer's key; a different request with it is refused; another
    // user's same key makes a new order.
    void keysFromBeforeTheUpgradeStillAnswer()
    {
        const std::string key = test::newIdempotencyKey();
        const auto request = orderRequest({{kSkuA, 2}}, key);
        const Answer first = create(request);
        QVERIFY2(first.ok(), first.message().c_str());
        const std::string path = m_backend->databasePath();
        stop();
        {
            // Rewritten as a version-8 build stored it.
            const std::string canonical = "create|" + std::to_string(kUid) + "|app|" + kSkuA + "*2";
            const std::string sql = "UPDATE idempotency_keys SET uid = NULL, request_sha256 = NULL, fingerprint = " +
                                    std::to_string(static_cast<std::int64_t>(orders::legacyRequestFingerprint(canonical))) +
                                    " WHERE key = 'create:" + key + "'";
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
            QCOMPARE(sqlite3_changes(db), 1);
            sqlite3_close(db);
        }
        start();
        const std::int64_t orders0 = ordersTotal();
        const Answer again = create(request);
        QVERIFY2(again.ok(), again.message().c_str());
        QCOMPARE(again.order.SerializeAsString(), first.order.SerializeAsString());
        auto changed = request;
        changed.mutable_items(0)->set_quantity(3);
        const Answer conflict = create(changed);
        QCOMPARE(conflict.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        const Answer other = create(orderRequest({{kSkuA, 2}}, key, kUid + 1));
        QVERIFY2(other.ok(), other.message().c_str());
        QVERIFY(other.order.order_id() != first.order.order_id());
        QCOMPARE(ordersTotal(), orders0 + 1);
    }

    // Sales count when paid: an unpaid order leaves GMV as it was.
    void revenueCountsOnPayment()
    {
        auto metrics = v1::MetricsService::NewStub(m_channel);
        grpc::ClientContext streamContext;
        streamContext.set_deadline(std::chrono::system_clock::now() + 30s);
        v1::StreamDashboardRequest request;
        request.set_window(v1::METRICS_WINDOW_1H);
        auto reader = metrics->StreamDashboard(&streamContext, request);
        v1::DashboardSnapshot snapshot;
        QVERIFY(reader->Read(&snapshot));
        const std::int64_t gmv0 = snapshot.current().gmv_minor();
        const std::int64_t orders0 = snapshot.current().orders();

        const Answer unpaid = create(orderRequest({{kSkuA, 1}}));
        QVERIFY(unpaid.ok());
        const Answer other = create(orderRequest({{kSkuB, 2}}, {}, kUid + 1));
        QVERIFY(other.ok());
        QVERIFY(pay(other.order.order_id(), test::newIdempotencyKey()).ok());
        const std::int64_t otherTotal = other.order.total().minor_units();
        QVERIFY(otherTotal > 0);
        // The unpaid order was committed before the paid one: a snapshot with the
        // payment would hold it too, if it counted.
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (snapshot.current().gmv_minor() < gmv0 + otherTotal && std::chrono::steady_clock::now() < deadline)
            QVERIFY(reader->Read(&snapshot));
        QCOMPARE(snapshot.current().gmv_minor(), gmv0 + otherTotal);
        QCOMPARE(snapshot.current().orders(), orders0 + 1);

        QVERIFY(pay(unpaid.order.order_id(), test::newIdempotencyKey()).ok());
        const std::int64_t expected = gmv0 + otherTotal + unpaid.order.total().minor_units();
        while (snapshot.current().gmv_minor() < expected && std::chrono::steady_clock::now() < deadline)
            QVERIFY(reader->Read(&snapshot));
        QCOMPARE(snapshot.current().gmv_minor(), expected);
        QCOMPARE(snapshot.current().orders(), orders0 + 2);
        streamContext.TryCancel();
        reader->Finish();
    }

    // Paid orders from before inventory tracking (the seeded history) hold no
    // stock: a refund returns none.
    void refundOfAnOrderFromBeforeInventory()
    {
        stop();
        m_dir = std::make_unique<QTemporaryDir>(); // seeding needs a new database
        m_backend = test::startBackend(*m_dir, {}, 1, m_clock.get());
        connect();
        const v1::ListStockResponse before = stock();
        const Answer historic = get(1);
        QVERIFY2(historic.ok(), historic.message().c_str());
        QCOMPARE(historic.order.status(), v1::ORDER_STATUS_PAID);
        const Answer refunded = refund(1);
        QVERIFY2(refunded.ok(), refunded.message().c_str());
        QCOMPARE(refunded.order.status(), v1::ORDER_STATUS_REFUNDED);
        const v1::ListStockResponse after = stock();
        QCOMPARE(after.items_size(), before.items_size());
        for (int i = 0; i < after.items_size(); ++i)
            QCOMPARE(after.items(i).SerializeAsString(), before.items(i).SerializeAsString());
        QCOMPARE(refund(1).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    }

    // Issue 15: the ledger forgets a paid order; start-up reads the newest inventory
    // snapshot and the events after it. An order paid long before a restart from a
    // snapshot is refunded from its own lines, exactly once; a reservation open at
    // the snapshot still expires after the restart.
    void refundAfterARestartFromASnapshot()
    {
        const Level a0 = level(kSkuA);
        const Level b0 = level(kSkuB);
        const Answer paid = create(orderRequest({{kSkuA, 2}, {kSkuB, 3}}));
        QVERIFY2(paid.ok(), paid.message().c_str());
        const std::int64_t id = paid.order.order_id();
        QVERIFY(pay(id, test::newIdempotencyKey()).ok());
        const Answer other = create(orderRequest({{kSkuA, 1}}));
        QVERIFY(other.ok());
        QVERIFY(pay(other.order.order_id(), test::newIdempotencyKey()).ok());
        const Answer open = create(orderRequest({{kSkuA, 4}}));
        QVERIFY(open.ok());
        const Level a1 = a0.reserve(2).confirm(2).reserve(1).confirm(1).reserve(4);
        const Level b1 = b0.reserve(3).confirm(3);
        QCOMPARE(level(kSkuA), a1);

        // A clean shutdown saves a snapshot of every stored event.
        stop();
        const std::string path = optionsFor(*m_dir).databasePath;
        const QString lastSeq = sqlValue(path, "SELECT MAX(seq) FROM inventory_events");
        QCOMPARE(sqlValue(path, "SELECT MAX(seq) FROM inventory_snapshots"), lastSeq);
        // Proof that start-up no longer replays what the snapshot holds: an old event
        // changed behind its back changes no level.
        const std::string tamper = "UPDATE inventory_events SET quantity = quantity + 1000 WHERE seq = (SELECT "
                                   "MIN(seq) FROM inventory_events WHERE sku = '" +
                                   kSkuA + "') RETURNING type";
        QCOMPARE(sqlValue(path, tamper.c_str()), QStringLiteral("0")); // A's first receipt

        m_clock->advance(24h * 30);
        start();
        QCOMPARE(level(kSkuA), a1);
        QCOMPARE(level(kSkuB), b1);
        QCOMPARE(stock().open_reservations(), 1);
        m_backend->housekeep(); // the reservation open at the snapshot lapsed meanwhile
        QCOMPARE(statusOf(open.order.order_id()), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(level(kSkuA), a1.release(4));
        QCOMPARE(stock().open_reservations(), 0);

        const Answer refunded = refund(id);
        QVERIFY2(refunded.ok(), refunded.message().c_str());
        QCOMPARE(level(kSkuA), a1.release(4).refund(2)); // exactly its lines
        QCOMPARE(level(kSkuB), b0);
        QVERIFY(invariantHolds());
        const Answer again = refund(id);
        QCOMPARE(again.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(again.message(), "order " + std::to_string(id) + " is refunded; only a paid order can be refunded");
        // Also after another restart, when only the database remembers the refund.
        stop();
        start();
        QCOMPARE(refund(id).status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(level(kSkuA), a1.release(4).refund(2));
        QCOMPARE(level(kSkuB), b0);
        QCOMPARE(countEvents(kSkuA, id, v1::INVENTORY_EVENT_TYPE_RELEASED), 1);
    }

    // The housekeeper saves a snapshot once enough events were stored since the last.
    void housekeeperSavesSnapshots()
    {
        stop();
        m_snapshotEvents = 3;
        start();
        const std::string path = optionsFor(*m_dir).databasePath;
        m_backend->housekeep(); // the seeded receipts: more than 3
        const QString seeded = sqlValue(path, "SELECT MAX(seq) FROM inventory_snapshots");
        QCOMPARE(seeded, sqlValue(path, "SELECT MAX(seq) FROM inventory_events"));
        const Answer created = create(orderRequest({{kSkuA, 1}, {kSkuB, 1}}));
        QVERIFY(created.ok());
        m_backend->housekeep(); // 2 events: not due
        QCOMPARE(sqlValue(path, "SELECT MAX(seq) FROM inventory_snapshots"), seeded);
        QVERIFY(pay(created.order.order_id(), test::newIdempotencyKey()).ok());
        m_backend->housekeep(); // 4 events since: due
        QCOMPARE(sqlValue(path, "SELECT MAX(seq) FROM inventory_snapshots"),
                 sqlValue(path, "SELECT MAX(seq) FROM inventory_events"));
        QCOMPARE(sqlValue(path, "SELECT COUNT(*) FROM inventory_snapshots"), QStringLiteral("1"));
    }

private:
    /// A backend on `dir` at the test's clock, housekept only by m_backend->housekeep().
    BackendOptions optionsFor(const QTemporaryDir &dir) const
    {
        // As test::startBackend, so that either can open the other's database.
        BackendOptions options;
        options.clock = m_clock.get();
        options.manualHousekeeping = true;
        options.databasePath = dir.filePath(QStringLiteral("test.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 12000;
        options.inventorySnapshotEvents = m_snapshotEvents;
        options.inventorySnapshotEventsPerEntry = 0; // the event count alone decides
        return options;
    }

    void start()
    {
        m_backend = Backend::start(optionsFor(*m_dir));
        connect();
    }
    void connect()
    {
        m_channel = m_backend->inProcessChannel();
        m_orders = v1::OrderService::NewStub(m_channel);
        m_inventory = v1::InventoryService::NewStub(m_channel);
    }
    void stop()
    {
        m_orders.reset();
        m_inventory.reset();
        m_channel.reset();
        m_backend.reset();
    }

    v1::OrderService::Stub *orders() { return m_orders.get(); }
    v1::InventoryService::Stub *inventory() { return m_inventory.get(); }

    Answer create(const v1::CreateOrderRequest &request)
    {
        Answer a;
        a.status = test::createOrder(*m_orders, request, &a.order);
        return a;
    }
    Answer pay(std::int64_t id, const std::string &key)
    {
        v1::PayOrderRequest request;
        request.set_order_id(id);
        request.set_idempotency_key(key);
        Answer a;
        a.status = m_orders->PayOrder(context().get(), request, &a.order);
        return a;
    }
    Answer cancel(std::int64_t id)
    {
        v1::CancelOrderRequest request;
        request.set_order_id(id);
        Answer a;
        a.status = m_orders->CancelOrder(context().get(), request, &a.order);
        return a;
    }
    Answer refund(std::int64_t id)
    {
        v1::RefundOrderRequest request;
        request.set_order_id(id);
        Answer a;
        a.status = m_orders->RefundOrder(context().get(), request, &a.order);
        return a;
    }
    Answer get(std::int64_t id)
    {
        v1::GetOrderRequest request;
        request.set_order_id(id);
        Answer a;
        a.status = m_orders->GetOrder(context().get(), request, &a.order);
        return a;
    }

    v1::ListStockResponse stock()
    {
        v1::ListStockResponse response;
        const grpc::Status s = m_inventory->ListStock(context().get(), {}, &response);
        if (!s.ok())
            qWarning("ListStock: %s", s.error_message().c_str());
        return response;
    }
    Level level(const std::string &sku)
    {
        const v1::ListStockResponse response = stock();
        for (const v1::StockLevel &item : response.items()) {
            if (item.sku() == sku)
                return {item.received(), item.available(), item.reserved(), item.sold()};
        }
        qWarning("ListStock has no %s", sku.c_str());
        return {-1, -1, -1, -1};
    }
    /// available + reserved + sold = received, nothing negative, for every SKU.
    bool invariantHolds()
    {
        const v1::ListStockResponse response = stock();
        if (response.items_size() < 200)
            return false;
        for (const v1::StockLevel &s : response.items()) {
            if (s.available() < 0 || s.reserved() < 0 || s.sold() < 0 ||
                s.available() + s.reserved() + s.sold() != s.received()) {
                qWarning("%s breaks the stock invariant", s.sku().c_str());
                return false;
            }
        }
        return true;
    }
    std::vector<v1::InventoryEvent> inventoryEvents(const std::string &sku, int limit = 500)
    {
        v1::ListInventoryEventsRequest request;
        request.set_sku(sku);
        request.set_limit(limit);
        v1::ListInventoryEventsResponse response;
        const grpc::Status s = m_inventory->ListInventoryEvents(context().get(), request, &response);
        if (!s.ok())
            qWarning("ListInventoryEvents: %s", s.error_message().c_str());
        return {response.events().begin(), response.events().end()};
    }
    int countEvents(const std::string &sku, std::int64_t orderId, v1::InventoryEventType type)
    {
        int n = 0;
        for (const v1::InventoryEvent &e : inventoryEvents(sku)) {
            if (e.order_id() == orderId && e.type() == type)
                ++n;
        }
        return n;
    }
    std::int64_t ordersTotal()
    {
        v1::ServerInfo info;
        v1::SystemService::NewStub(m_channel)->GetServerInfo(context().get(), {}, &info);
        return info.orders_total();
    }
    v1::OrderStatus statusOf(std::int64_t id)
    {
        const Answer a = get(id);
        if (!a.ok())
            qWarning("GetOrder %lld: %s", static_cast<long long>(id), a.message().c_str());
        return a.order.status();
    }

    /// `calls` threads, each with its own stub, released at once.
    template <typename Call>
    std::vector<Answer> concurrently(int calls, Call call)
    {
        std::vector<Answer> answers(static_cast<std::size_t>(calls));
        std::latch ready(calls);
        std::vector<std::thread> threads;
        for (int i = 0; i < calls; ++i) {
            threads.emplace_back([&, i] {
                auto stub = v1::OrderService::NewStub(m_channel);
                ready.arrive_and_wait();
                answers[static_cast<std::size_t>(i)] = call(*stub);
            });
        }
        for (auto &thread : threads)
            thread.join();
        return answers;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::int64_t m_snapshotEvents = BackendOptions{}.inventorySnapshotEvents;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Backend> m_backend;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    std::unique_ptr<v1::InventoryService::Stub> m_inventory;
};

QTEST_GUILESS_MAIN(TestOrders)
#include "tst_orders.moc"
