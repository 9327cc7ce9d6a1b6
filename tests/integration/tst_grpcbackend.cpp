// The backend over gRPC with a temporary database: orders in, metrics out, and
// every bad request answered with a precise status.

#include "TestSupport.h"

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/metrics.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <thread>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

v1::CreateOrderRequest orderRequest(std::int64_t uid, std::vector<std::pair<std::string, std::int64_t>> items)
{
    v1::CreateOrderRequest request;
    request.set_uid(uid);
    request.set_channel("app");
    for (const auto &[sku, quantity] : items) {
        auto *item = request.add_items();
        item->set_sku(sku);
        item->set_quantity(quantity);
    }
    return request;
}

using test::createOrder;

} // namespace

class TestGrpcBackend final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_backend = test::startBackend(m_dir);
        m_channel = m_backend->inProcessChannel();
        m_orders = v1::OrderService::NewStub(m_channel);
        grpc::ClientContext context;
        v1::ListProductsResponse products;
        QVERIFY(v1::CatalogService::NewStub(m_channel)->ListProducts(&context, {}, &products).ok());
        QVERIFY(products.products_size() >= 200);
        for (const auto &p : products.products())
            m_prices[p.sku()] = p.list_price().minor_units();
    }

    void cleanupTestCase() { m_backend.reset(); }

    void catalogueAndUsersAreSeeded()
    {
        auto catalog = v1::CatalogService::NewStub(m_channel);
        grpc::ClientContext context;
        v1::ListProductsResponse products;
        QVERIFY(catalog->ListProducts(&context, {}, &products).ok());
        std::set<std::string> categories;
        for (const auto &p : products.products()) {
            categories.insert(p.category());
            QVERIFY(p.list_price().minor_units() > 0);
            QCOMPARE(p.list_price().currency(), std::string("CNY"));
        }
        QVERIFY(categories.size() >= 5);

        grpc::ClientContext usersContext;
        v1::ListUsersRequest request;
        request.set_limit(10000);
        v1::ListUsersResponse users;
        QVERIFY(catalog->ListUsers(&usersContext, request, &users).ok());
        QVERIFY(users.total() >= 10000);
        QCOMPARE(users.users_size(), 10000);
        std::set<std::string> channels;
        for (const auto &u : users.users())
            channels.insert(u.install_channel());
        QVERIFY(channels.size() >= 4);

        grpc::ClientContext badContext;
        request.set_limit(10001);
        const grpc::Status status = catalog->ListUsers(&badContext, request, &users);
        QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QCOMPARE(status.error_message(), std::string("limit must be between 0 and 10000, got 10001"));
    }

    void ordersReachTheMetricsStream()
    {
        auto metrics = v1::MetricsService::NewStub(m_channel);
        grpc::ClientContext context;
        v1::StreamDashboardRequest request;
        request.set_window(v1::METRICS_WINDOW_5M);
        auto reader = metrics->StreamDashboard(&context, request);
        v1::DashboardSnapshot snapshot;
        QVERIFY(reader->Read(&snapshot)); // sent at once
        QCOMPARE(snapshot.window(), v1::METRICS_WINDOW_5M);
        QCOMPARE(snapshot.currency(), std::string("CNY"));
        QCOMPARE(snapshot.series_size(), 30);
        QCOMPARE(snapshot.bucket_seconds(), 10);
        const std::int64_t ordersBefore = snapshot.current().orders();
        const std::int64_t gmvBefore = snapshot.current().gmv_minor();

        // Five orders from three users: two of them order twice.
        const std::int64_t uids[] = {100001, 100002, 100001, 100003, 100002};
        std::int64_t expectedGmv = 0;
        std::set<std::int64_t> ids;
        for (std::int64_t uid : uids) {
            v1::Order order;
            const auto request = orderRequest(uid, {{"ELE-1001", 1}, {"GRO-1002", 2}});
            const grpc::Status status = createOrder(*m_orders, request, &order);
            QVERIFY2(status.ok(), status.error_message().c_str());
            QCOMPARE(order.status(), v1::ORDER_STATUS_CREATED);
            // Sales count once paid.
            const grpc::Status paid = test::payOrder(*m_orders, order.order_id(), &order);
            QVERIFY2(paid.ok(), paid.error_message().c_str());
            QCOMPARE(order.status(), v1::ORDER_STATUS_PAID);
            const std::int64_t total = m_prices["ELE-1001"] + 2 * m_prices["GRO-1002"];
            QCOMPARE(order.total().minor_units(), total);
            QCOMPARE(order.lines_size(), 2);
            QCOMPARE(order.lines(1).line_total().minor_units(), 2 * m_prices["GRO-1002"]);
            QVERIFY(order.order_id() > 0);
            ids.insert(order.order_id());
            expectedGmv += total;
        }
        QCOMPARE(ids.size(), std::size_t(5));

        // The stream reflects them within a second or so.
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (snapshot.current().orders() < ordersBefore + 5 && std::chrono::steady_clock::now() < deadline)
            QVERIFY(reader->Read(&snapshot));
        QCOMPARE(snapshot.current().orders(), ordersBefore + 5);
        QCOMPARE(snapshot.current().gmv_minor(), gmvBefore + expectedGmv);
        QVERIFY(snapshot.current().paying_users() >= 3);
        QVERIFY(snapshot.current().repeat_users() >= 2);
        std::int64_t seriesOrders = 0;
        for (const auto &p : snapshot.series())
            seriesOrders += p.orders();
        QVERIFY(seriesOrders >= 5);
        context.TryCancel();
        reader->Finish();

        v1::ServerInfo info;
        grpc::ClientContext infoContext;
        QVERIFY(v1::SystemService::NewStub(m_channel)->GetServerInfo(&infoContext, {}, &info).ok());
        QVERIFY(info.orders_total() >= 5);
    }

    void badOrdersAreRefusedPrecisely_data()
    {
        QTest::addColumn<qint64>("uid");
        QTest::addColumn<QString>("sku");
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown sku") << qint64(100001) << "NOPE-1" << qint64(1) << int(grpc::StatusCode::NOT_FOUND)
                                     << "items[0].sku \"NOPE-1\" is not in the catalogue";
        QTest::newRow("zero quantity") << qint64(100001) << "ELE-1001" << qint64(0)
                                       << int(grpc::StatusCode::INVALID_ARGUMENT)
                                       << "items[0].quantity must be between 1 and 10000, got 0";
        QTest::newRow("unknown user") << qint64(5) << "ELE-1001" << qint64(1) << int(grpc::StatusCode::NOT_FOUND)
                                      << "no user with uid 5";
        QTest::newRow("no uid") << qint64(0) << "ELE-1001" << qint64(1) << int(grpc::StatusCode::INVALID_ARGUMENT)
                                << "uid must be a positive user id, got 0";
    }
    void badOrdersAreRefusedPrecisely()
    {
        QFETCH(qint64, uid);
        QFETCH(QString, sku);
        QFETCH(qint64, quantity);
        QFETCH(int, code);
        QFETCH(QString, message);
        v1::Order order;
        const grpc::Status status = createOrder(*m_orders, orderRequest(uid, {{sku.toStdString(), quantity}}), &order);
        QCOMPARE(int(status.error_code()), code);
        QCOMPARE(QString::fromStdString(status.error_message()), message);
    }

    void badWindowIsRefused()
    {
        auto metrics = v1::MetricsService::NewStub(m_channel);
        grpc::ClientContext context;
        auto reader = metrics->StreamDashboard(&context, v1::StreamDashboardRequest());
        v1::DashboardSnapshot snapshot;
        QVERIFY(!reader->Read(&snapshot));
        const grpc::Status status = reader->Finish();
        QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        // The enum value by its name, not its number.
        QCOMPARE(status.error_message(), std::string("window must be one of METRICS_WINDOW_5M, _1H, _24H or _7D, got "
                                                     "METRICS_WINDOW_UNSPECIFIED"));
    }

    void concurrentOrdersAllGetDistinctIds()
    {
        QVERIFY(test::receiveStock(m_channel, "BOO-1001", 400).ok());
        std::vector<std::thread> threads;
        std::mutex mutex;
        std::set<std::int64_t> ids;
        std::atomic<int> failures{0};
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                auto stub = v1::OrderService::NewStub(m_channel);
                for (int i = 0; i < 50; ++i) {
                    v1::Order order;
                    if (!createOrder(*stub, orderRequest(100001 + t, {{"BOO-1001", 1}}), &order).ok()) {
                        ++failures;
                        continue;
                    }
                    const std::lock_guard lock(mutex);
                    ids.insert(order.order_id());
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(ids.size(), std::size_t(400));
    }

    void servesHealthOverTcpAndStopsCleanly()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir, "127.0.0.1:0");
        QVERIFY(backend->port() > 0);
        auto channel =
            grpc::CreateChannel("127.0.0.1:" + std::to_string(backend->port()), grpc::InsecureChannelCredentials());

        // grpc.health.v1.Health/Check with an empty request; SERVING is "08 01".
        grpc::GenericStub generic(channel);
        grpc::ClientContext healthContext;
        healthContext.set_deadline(std::chrono::system_clock::now() + 5s);
        grpc::Slice empty(std::string{});
        grpc::ByteBuffer request(&empty, 1);
        grpc::ByteBuffer response;
        std::promise<grpc::Status> done;
        generic.UnaryCall(&healthContext, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                          [&](grpc::Status s) { done.set_value(s); });
        const grpc::Status health = done.get_future().get();
        QVERIFY2(health.ok(), health.error_message().c_str());
        std::vector<grpc::Slice> slices;
        QVERIFY(response.Dump(&slices).ok());
        std::string bytes;
        for (const auto &slice : slices)
            bytes.append(reinterpret_cast<const char *>(slice.begin()), slice.size());
        QCOMPARE(bytes, std::string("\x08\x01", 2));

        // An open stream ends with UNAVAILABLE when the backend stops, and stop is prompt.
        auto metrics = v1::MetricsService::NewStub(channel);
        grpc::ClientContext streamContext;
        v1::StreamDashboardRequest streamRequest;
        streamRequest.set_window(v1::METRICS_WINDOW_1H);
        auto reader = metrics->StreamDashboard(&streamContext, streamRequest);
        v1::DashboardSnapshot snapshot;
        QVERIFY(reader->Read(&snapshot));
        QCOMPARE(snapshot.series_size(), 60);
        const auto started = std::chrono::steady_clock::now();
        backend->shutdown();
        QVERIFY(std::chrono::steady_clock::now() - started < 3s);
        while (reader->Read(&snapshot)) {
        }
        const grpc::Status ended = reader->Finish();
        QCOMPARE(ended.error_code(), grpc::StatusCode::UNAVAILABLE);
        QCOMPARE(ended.error_message(), std::string("the backend is shutting down"));

        // Orders after shutdown are refused, not lost silently.
        auto orders = v1::OrderService::NewStub(channel);
        v1::Order order;
        grpc::ClientContext orderContext;
        orderContext.set_deadline(std::chrono::system_clock::now() + 2s);
        auto lateRequest = orderRequest(100001, {{"ELE-1001", 1}});
        lateRequest.set_idempotency_key(test::newIdempotencyKey());
        QVERIFY(!orders->CreateOrder(&orderContext, lateRequest, &order).ok());
    }

    // Reflection is served only when asked for (--reflection, reflection: true).
    void noReflectionUnlessAsked()
    {
        std::string bytes;
        const grpc::Status status = listServices(m_channel, &bytes);
        QCOMPARE(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    }

    // grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo with
    // list_services (field 7, empty): the answer names our services.
    void servesReflection()
    {
        QTemporaryDir dir;
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("reflection.sqlite")).toStdString();
        options.reflection = true;
        auto backend = Backend::start(options);
        std::string bytes;
        const grpc::Status status = listServices(backend->inProcessChannel(), &bytes);
        QVERIFY2(status.ok(), status.error_message().c_str());
        for (const char *service : {"flywheel.v1.OrderService", "flywheel.v1.MetricsService",
                                    "flywheel.v1.CatalogService", "flywheel.v1.SystemService", "grpc.health.v1.Health"})
            QVERIFY2(bytes.find(service) != std::string::npos, service);
    }

    void refusesToListenOnABusyPort()
    {
        QTemporaryDir first;
        auto backend = test::startBackend(first, "127.0.0.1:0");
        QTemporaryDir second;
        try {
            test::startBackend(second, "127.0.0.1:" + std::to_string(backend->port()));
            QFAIL("a second backend started on a busy port");
        } catch (const StartupError &e) {
            QVERIFY2(std::string(e.what()).find("cannot listen on 127.0.0.1:") == 0, e.what());
        }
    }

private:
    /// ServerReflectionInfo with list_services; the status, and the answer's bytes.
    static grpc::Status listServices(const std::shared_ptr<grpc::Channel> &channel, std::string *bytes)
    {
        class ListServices final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
        public:
            explicit ListServices(const std::string &request) : m_slice(request), m_request(&m_slice, 1) {}
            void start()
            {
                StartWrite(&m_request);
                StartWritesDone();
                StartRead(&m_response);
                StartCall();
            }
            void OnReadDone(bool ok) override
            {
                if (ok) {
                    std::vector<grpc::Slice> slices;
                    if (m_response.Dump(&slices).ok()) {
                        for (const auto &slice : slices)
                            m_bytes.append(reinterpret_cast<const char *>(slice.begin()), slice.size());
                    }
                    StartRead(&m_response);
                }
            }
            void OnDone(const grpc::Status &status) override { m_done.set_value(status); }
            grpc::Status wait() { return m_done.get_future().get(); }
            const std::string &bytes() const { return m_bytes; }

        private:
            grpc::Slice m_slice;
            grpc::ByteBuffer m_request;
            grpc::ByteBuffer m_response;
            std::string m_bytes;
            std::promise<grpc::Status> m_done;
        };

        grpc::GenericStub generic(channel);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + 5s);
        ListServices call(std::string("\x3a\x00", 2));
        generic.PrepareBidiStreamingCall(&context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                         grpc::StubOptions(), &call);
        call.start();
        const grpc::Status status = call.wait();
        *bytes = call.bytes();
        return status;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<Backend> m_backend;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    std::map<std::string, std::int64_t> m_prices;
};

QTEST_GUILESS_MAIN(TestGrpcBackend)
#include "tst_grpcbackend.moc"
