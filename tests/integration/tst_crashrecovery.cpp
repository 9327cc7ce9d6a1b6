// A flywheeld under load is killed with SIGKILL: every order, payment and
// cancellation it acknowledged must be in the database afterwards, order statuses
// and inventory events must agree, and the stock rebuilt from the events after a
// restart must hold its invariant.

#include "TestSupport.h"

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

int startDaemon(QProcess &process, const QString &db)
{
    return flywheel::test::startDaemon(process, {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--seed-demo"),
                                                 QStringLiteral("--history-per-hour"), QStringLiteral("0")});
}

QString sqliteScalar(const QString &db, const char *sql)
{
    sqlite3 *handle = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &handle, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QString result;
    if (sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    else
        result = QStringLiteral("ERROR: ") + QString::fromUtf8(sqlite3_errmsg(handle));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return result;
}

std::set<std::int64_t>
storedOrderIds(const QString &db,
               const char *sql = "SELECT o.order_id FROM orders o JOIN order_lines l ON l.order_id = o.order_id")
{
    std::set<std::int64_t> ids;
    sqlite3 *handle = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &handle, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr);
    while (sqlite3_step(stmt) == SQLITE_ROW)
        ids.insert(sqlite3_column_int64(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return ids;
}

} // namespace

class TestCrashRecovery final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedOrdersSurviveSigkill()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("crash.sqlite"));
        QProcess daemon;
        const int port = startDaemon(daemon, db);
        QVERIFY(port > 0);

        auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
        QVERIFY(flywheel::test::receiveStock(channel, "HOM-1001", 1000000).ok());
        std::mutex mutex;
        std::condition_variable acknowledgedMore;
        std::set<std::int64_t> acknowledged;
        std::set<std::int64_t> paid;
        std::set<std::int64_t> cancelled;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int t = 0; t < 6; ++t) {
            clients.emplace_back([&, t] {
                auto stub = flywheel::v1::OrderService::NewStub(channel);
                for (int i = 0; !stop; ++i) {
                    flywheel::v1::CreateOrderRequest request;
                    request.set_uid(100001 + (t * 1000 + i) % 10000);
                    request.set_idempotency_key(flywheel::test::newIdempotencyKey());
                    auto *item = request.add_items();
                    item->set_sku("HOM-1001");
                    item->set_quantity(1 + i % 3);
                    grpc::ClientContext context;
                    context.set_deadline(std::chrono::system_clock::now() + 3s);
                    flywheel::v1::Order order;
                    if (!stub->CreateOrder(&context, request, &order).ok())
                        continue;
                    {
                        const std::lock_guard lock(mutex);
                        acknowledged.insert(order.order_id());
                    }
                    acknowledgedMore.notify_all();
                    // Half are paid, a sixth cancelled, the rest stay reserved.
                    if (i % 6 < 3) {
                        flywheel::v1::Order after;
                        if (flywheel::test::payOrder(*stub, order.order_id(), &after).ok()) {
                            const std::lock_guard lock(mutex);
                            paid.insert(order.order_id());
                        }
                    } else if (i % 6 == 3) {
                        grpc::ClientContext cancelContext;
                        cancelContext.set_deadline(std::chrono::system_clock::now() + 3s);
                        flywheel::v1::CancelOrderRequest cancel;
                        cancel.set_order_id(order.order_id());
                        flywheel::v1::Order after;
                        if (stub->CancelOrder(&cancelContext, cancel, &after).ok()) {
                            const std::lock_guard lock(mutex);
                            cancelled.insert(order.order_id());
                        }
                    }
                }
            });
        }
        // Load until a good number of orders is acknowledged, then kill mid-flight.
        {
            std::unique_lock lock(mutex);
            acknowledgedMore.wait_for(lock, 20s, [&] { return acknowledged.size() >= 2000; });
        }
        daemon.kill(); // SIGKILL
        QVERIFY(daemon.waitForFinished(10000));
        QCOMPARE(daemon.exitStatus(), QProcess::CrashExit);
        stop = true;
        for (auto &client : clients)
            client.join();
        QVERIFY2(acknowledged.size() >= 100, qPrintable(QString::number(acknowledged.size())));

        QCOMPARE(sqliteScalar(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
        const std::set<std::int64_t> stored = storedOrderIds(db);
        std::vector<std::int64_t> lost;
        std::set_difference(acknowledged.begin(), acknowledged.end(), stored.begin(), stored.end(),
                            std::back_inserter(lost));
        QVERIFY2(lost.empty(), qPrintable(QStringLiteral("%1 acknowledged orders lost, first %2")
                                              .arg(lost.size())
                                              .arg(lost.empty() ? 0 : lost.front())));
        qInfo("%zu orders acknowledged before SIGKILL (%zu paid, %zu cancelled), %zu stored", acknowledged.size(),
              paid.size(), cancelled.size(), stored.size());
        QVERIFY(!paid.empty());
        QVERIFY(!cancelled.empty());

        // Every acknowledged payment and cancellation is stored.
        const std::set<std::int64_t> storedPaid = storedOrderIds(db, "SELECT order_id FROM orders WHERE status = 1");
        const std::set<std::int64_t> storedCancelled =
            storedOrderIds(db, "SELECT order_id FROM orders WHERE status = 2");
        QVERIFY(std::includes(storedPaid.begin(), storedPaid.end(), paid.begin(), paid.end()));
        QVERIFY(std::includes(storedCancelled.begin(), storedCancelled.end(), cancelled.begin(), cancelled.end()));
        // Statuses and inventory events were stored together: every new order has its
        // reservation, every paid one its confirmation, every cancelled one its release.
        QCOMPARE(sqliteScalar(db, "SELECT COUNT(*) FROM orders WHERE expires_at_ms IS NOT NULL AND order_id NOT IN "
                                  "(SELECT order_id FROM inventory_events WHERE type = 1)"),
                 QStringLiteral("0"));
        QCOMPARE(sqliteScalar(db, "SELECT COUNT(*) FROM orders WHERE status = 1 AND expires_at_ms IS NOT NULL AND "
                                  "order_id NOT IN (SELECT order_id FROM inventory_events WHERE type = 2)"),
                 QStringLiteral("0"));
        QCOMPARE(sqliteScalar(db, "SELECT COUNT(*) FROM inventory_events WHERE type = 2 AND order_id NOT IN "
                                  "(SELECT order_id FROM orders WHERE status = 1)"),
                 QStringLiteral("0"));
        QCOMPARE(sqliteScalar(db, "SELECT COUNT(*) FROM orders WHERE status = 2 AND order_id NOT IN "
                                  "(SELECT order_id FROM inventory_events WHERE type = 3 AND reason = 1)"),
                 QStringLiteral("0"));
        const QString reservedInDb =
            sqliteScalar(db, "SELECT COALESCE(SUM(l.quantity), 0) FROM orders o JOIN order_lines l ON "
                             "l.order_id = o.order_id WHERE o.status = 0 AND l.sku = 'HOM-1001'");
        const QString soldInDb = sqliteScalar(
            db, "SELECT COALESCE(SUM(quantity), 0) FROM inventory_events WHERE type = 2 AND sku = 'HOM-1001'");

        // It restarts on the same file, carries on numbering, and stops cleanly on SIGTERM.
        QProcess restarted;
        const int port2 = startDaemon(restarted, db);
        QVERIFY(port2 > 0);
        auto channel2 = grpc::CreateChannel("127.0.0.1:" + std::to_string(port2), grpc::InsecureChannelCredentials());
        {
            // The stock replayed from the events matches the orders' statuses.
            grpc::ClientContext stockContext;
            stockContext.set_deadline(std::chrono::system_clock::now() + 5s);
            flywheel::v1::ListStockRequest stockRequest;
            stockRequest.set_category("Home & Kitchen");
            flywheel::v1::ListStockResponse stock;
            const grpc::Status listed =
                flywheel::v1::InventoryService::NewStub(channel2)->ListStock(&stockContext, stockRequest, &stock);
            QVERIFY2(listed.ok(), listed.error_message().c_str());
            const auto it = std::find_if(stock.items().begin(), stock.items().end(),
                                         [](const auto &item) { return item.sku() == "HOM-1001"; });
            QVERIFY(it != stock.items().end());
            QCOMPARE(it->available() + it->reserved() + it->sold(), it->received());
            QVERIFY(it->available() >= 0);
            QCOMPARE(QString::number(it->reserved()), reservedInDb);
            QCOMPARE(QString::number(it->sold()), soldInDb);
        }
        // A payment acknowledged before the crash is not repeated by a retry after it.
        if (!paid.empty()) {
            flywheel::v1::Order again;
            const grpc::Status repeated =
                flywheel::test::payOrder(*flywheel::v1::OrderService::NewStub(channel2), *paid.begin(), &again);
            QCOMPARE(repeated.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        }
        flywheel::v1::CreateOrderRequest request;
        request.set_idempotency_key(flywheel::test::newIdempotencyKey());
        request.set_uid(100001);
        auto *item = request.add_items();
        item->set_sku("HOM-1001");
        item->set_quantity(1);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + 5s);
        flywheel::v1::Order order;
        const grpc::Status status =
            flywheel::v1::OrderService::NewStub(channel2)->CreateOrder(&context, request, &order);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QVERIFY(order.order_id() > *stored.rbegin());
        restarted.terminate(); // SIGTERM
        QVERIFY(restarted.waitForFinished(15000));
        QCOMPARE(restarted.exitStatus(), QProcess::NormalExit);
        QCOMPARE(restarted.exitCode(), 0);
        QVERIFY(restarted.readAllStandardError().contains("stopped cleanly"));
        QCOMPARE(sqliteScalar(db, "PRAGMA integrity_check"), QStringLiteral("ok"));
        QVERIFY(storedOrderIds(db).count(order.order_id()) == 1);
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
