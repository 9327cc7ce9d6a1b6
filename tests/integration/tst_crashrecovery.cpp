// A flywheeld under load is killed with SIGKILL: every order it acknowledged must
// be in the database afterwards, and the database must be intact.

#include "TestSupport.h"

#include "flywheel/v1/orders.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
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

std::set<std::int64_t> storedOrderIds(const QString &db)
{
    std::set<std::int64_t> ids;
    sqlite3 *handle = nullptr;
    sqlite3_open_v2(db.toUtf8().constData(), &handle, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    sqlite3_prepare_v2(handle, "SELECT o.order_id FROM orders o JOIN order_lines l ON l.order_id = o.order_id", -1,
                       &stmt, nullptr);
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
        std::mutex mutex;
        std::set<std::int64_t> acknowledged;
        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int t = 0; t < 6; ++t) {
            clients.emplace_back([&, t] {
                auto stub = flywheel::v1::OrderService::NewStub(channel);
                for (int i = 0; !stop; ++i) {
                    flywheel::v1::CreateOrderRequest request;
                    request.set_uid(100001 + (t * 1000 + i) % 10000);
                    auto *item = request.add_items();
                    item->set_sku("HOM-1001");
                    item->set_quantity(1 + i % 3);
                    grpc::ClientContext context;
                    context.set_deadline(std::chrono::system_clock::now() + 3s);
                    flywheel::v1::Order order;
                    if (stub->CreateOrder(&context, request, &order).ok()) {
                        const std::lock_guard lock(mutex);
                        acknowledged.insert(order.order_id());
                    }
                }
            });
        }
        // Load until a good number of orders is acknowledged, then kill mid-flight.
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        for (;;) {
            std::this_thread::sleep_for(50ms);
            const std::lock_guard lock(mutex);
            if (acknowledged.size() >= 2000 || std::chrono::steady_clock::now() > deadline)
                break;
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
        qInfo("%zu orders acknowledged before SIGKILL, %zu stored", acknowledged.size(), stored.size());

        // It restarts on the same file, carries on numbering, and stops cleanly on SIGTERM.
        QProcess restarted;
        const int port2 = startDaemon(restarted, db);
        QVERIFY(port2 > 0);
        auto channel2 = grpc::CreateChannel("127.0.0.1:" + std::to_string(port2), grpc::InsecureChannelCredentials());
        flywheel::v1::CreateOrderRequest request;
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
