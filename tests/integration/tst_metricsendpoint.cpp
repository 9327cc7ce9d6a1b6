// flywheeld's Prometheus listener (--metrics-listen / metrics_listen): what a scrape
// of a running daemon holds after real calls, that promtool accepts it, and the
// refusals of addresses it must not serve.

#include "TestSupport.h"

#include "flywheel/v1/orders.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <httplib.h>

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>
#include <sstream>
#include <cstring>

namespace v1 = flywheel::v1;
using flywheel::test::Run;

namespace {

struct Scrape {
    int status = 0;
    std::string contentType;
    std::string body;
};

Scrape get(int port, const std::string &path)
{
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(10, 0);
    const auto res = client.Get(path.c_str());
    if (!res)
        return {};
    return {res->status, res->get_header_value("Content-Type"), res->body};
}

/// The value of the sample `series` (name and labels exactly as written), or -1.
double valueOf(const std::string &body, const std::string &series)
{
    const std::string prefix = series + ' ';
    std::size_t at = 0;
    while ((at = body.find(prefix, at)) != std::string::npos) {
        if (at == 0 || body[at - 1] == '\n')
            return std::stod(body.substr(at + prefix.size(), body.find('\n', at) - at - prefix.size()));
        at += prefix.size();
    }
    return -1;
}

} // namespace

class TestMetricsEndpoint final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aScrapeCountsTheCallsAndOrders()
    {
        QTemporaryDir dir;
        QProcess daemon;
        QString printed;
        const int port = flywheel::test::startDaemon(
            daemon,
            {QStringLiteral("--db"), dir.filePath(QStringLiteral("m.sqlite")), QStringLiteral("--listen"),
             QStringLiteral("127.0.0.1:0"), QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:0"),
             QStringLiteral("--seed-demo"), QStringLiteral("--history-per-hour"), QStringLiteral("0")},
            &printed);
        QVERIFY(port > 0);
        const auto match = QRegularExpression(QStringLiteral("metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics\\n"))
                               .match(printed);
        QVERIFY2(match.hasMatch(), qPrintable(printed));
        const int metricsPort = match.captured(1).toInt();

        const auto channel =
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
        QVERIFY(flywheel::test::receiveStock(channel, "ELE-1001", 10).ok());
        auto orders = v1::OrderService::NewStub(channel);
        v1::CreateOrderRequest request;
        request.set_uid(100001);
        request.set_channel("app");
        auto *item = request.add_items();
        item->set_sku("ELE-1001");
        item->set_quantity(1);
        v1::Order order;
        QVERIFY(flywheel::test::createOrder(*orders, request, &order).ok());
        QVERIFY(flywheel::test::payOrder(*orders, order.order_id(), &order).ok());
        // Two refusals: an unknown SKU, and paying the paid order again (illegal).
        v1::CreateOrderRequest unknown = request;
        unknown.mutable_items(0)->set_sku("NO-SUCH-SKU");
        v1::Order refused;
        QCOMPARE(flywheel::test::createOrder(*orders, unknown, &refused).error_code(), grpc::StatusCode::NOT_FOUND);
        QCOMPARE(flywheel::test::payOrder(*orders, order.order_id(), &refused).error_code(),
                 grpc::StatusCode::FAILED_PRECONDITION);

        const Scrape scrape = get(metricsPort, "/metrics");
        QCOMPARE(scrape.status, 200);
        QCOMPARE(scrape.contentType, std::string("text/plain; version=0.0.4; charset=utf-8"));
        const std::string &b = scrape.body;
        const std::string create = "grpc_type=\"unary\",grpc_service=\"flywheel.v1.OrderService\",grpc_method=\"CreateOrder\"";
        QCOMPARE(valueOf(b, "grpc_server_started_total{" + create + "}"), 2.0);
        QCOMPARE(valueOf(b, "grpc_server_handled_total{" + create + ",grpc_code=\"OK\"}"), 1.0);
        QCOMPARE(valueOf(b, "grpc_server_handled_total{" + create + ",grpc_code=\"NOT_FOUND\"}"), 1.0);
        QCOMPARE(valueOf(b, "grpc_server_handling_seconds_count{" + create + "}"), 2.0);
        QCOMPARE(valueOf(b, "grpc_server_handling_seconds_bucket{" + create + ",le=\"+Inf\"}"), 2.0);
        QCOMPARE(valueOf(b, "http_requests_total{handler=\"create_order\",code=\"OK\"}"), 1.0);
        QCOMPARE(valueOf(b, "http_requests_total{handler=\"pay_order\",code=\"FAILED_PRECONDITION\"}"), 1.0);
        QCOMPARE(valueOf(b, "flywheel_orders_total{event=\"created\"}"), 1.0);
        QCOMPARE(valueOf(b, "flywheel_orders_total{event=\"paid\"}"), 1.0);
        QCOMPARE(valueOf(b, "flywheel_gmv_minor_units_total{currency=\"CNY\"}"),
                 static_cast<double>(order.total().minor_units()));
        QCOMPARE(valueOf(b, "flywheel_illegal_order_transitions_total{from=\"paid\",to=\"paid\"}"), 1.0);
        QCOMPARE(valueOf(b, "flywheel_inventory_reservations_open"), 0.0);
        QCOMPARE(valueOf(b, "flywheel_build_info{version=\"" FLYWHEEL_VERSION "\"}"), 1.0);

        // Every series once, every family with its HELP and TYPE before its samples.
        std::set<std::string> series;
        std::set<std::string> described;
        std::istringstream lines(b);
        std::string line;
        while (std::getline(lines, line)) {
            if (line.starts_with("# TYPE "))
                described.insert(line.substr(7, line.find(' ', 7) - 7));
            if (line.empty() || line.starts_with('#'))
                continue;
            const std::string key = line.substr(0, line.rfind(' '));
            QVERIFY2(series.insert(key).second, ("twice: " + key).c_str());
            std::string family = key.substr(0, key.find('{'));
            for (const char *suffix : {"_bucket", "_sum", "_count"}) {
                if (family.ends_with(suffix) && !described.contains(family))
                    family = family.substr(0, family.size() - std::strlen(suffix));
            }
            QVERIFY2(described.contains(family), ("no TYPE before " + key).c_str());
        }

        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (!promtool.isEmpty()) {
            QProcess check;
            check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
            QVERIFY(check.waitForStarted());
            check.write(b.data(), static_cast<qint64>(b.size()));
            check.closeWriteChannel();
            QVERIFY(check.waitForFinished(30000));
            QVERIFY2(check.exitCode() == 0, check.readAllStandardError().constData());
        } else {
            qInfo("promtool not installed (Debian package prometheus): the lint check was skipped");
        }

        const Scrape other = get(metricsPort, "/other");
        QCOMPARE(other.status, 404);
        QVERIFY(other.body.find("GET /metrics") != std::string::npos);

        daemon.terminate();
        QVERIFY(daemon.waitForFinished(30000));
        QCOMPARE(daemon.exitCode(), 0);
    }

    void withoutTheFlagThereIsNoListener()
    {
        QTemporaryDir dir;
        QProcess daemon;
        QString printed;
        QVERIFY(flywheel::test::startDaemon(daemon,
                                            {QStringLiteral("--db"), dir.filePath(QStringLiteral("n.sqlite")),
                                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
                                            &printed) > 0);
        QVERIFY2(!printed.contains(QStringLiteral("metrics at")), qPrintable(printed));
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(30000));
    }

    void addressesItMustNotServeAreRefused_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("not HOST:PORT") << QStringLiteral("nonsense") << 2
                                       << QStringLiteral("--metrics-listen needs HOST:PORT");
        QTest::newRow("port out of range") << QStringLiteral("127.0.0.1:70000") << 2
                                           << QStringLiteral("--metrics-listen needs HOST:PORT");
        QTest::newRow("network address without TLS")
            << QStringLiteral("0.0.0.0:0") << 1
            << QStringLiteral("refusing to serve metrics on 0.0.0.0:0 over plain HTTP");
    }
    void addressesItMustNotServeAreRefused()
    {
        QFETCH(QString, address);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Run r = flywheel::test::runProgram(
            QStringLiteral("flywheeld"), {QStringLiteral("--db"), dir.filePath(QStringLiteral("r.sqlite")),
                                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                          QStringLiteral("--metrics-listen"), address});
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void aBusyPortStopsTheStartNamingIt()
    {
        QTemporaryDir dir;
        httplib::Server holder;
        const int busy = holder.bind_to_any_port("127.0.0.1");
        QVERIFY(busy > 0);
        const QString address = QStringLiteral("127.0.0.1:%1").arg(busy);
        const Run r = flywheel::test::runProgram(
            QStringLiteral("flywheeld"), {QStringLiteral("--db"), dir.filePath(QStringLiteral("b.sqlite")),
                                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                          QStringLiteral("--metrics-listen"), address});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("metrics listener: cannot listen on ") + address), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestMetricsEndpoint)
#include "tst_metricsendpoint.moc"
