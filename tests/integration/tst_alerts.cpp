// The business alerts end to end, in-process with a manual clock: an illegal order
// transition and a broken pricing file make their alerts fire through the real paths,
// the stream and the metrics show it, the history survives a restart, and the
// thresholds are a versioned document whose bad input is refused with a precise status.

#include "TestSupport.h"

#include "domain/Clock.h"
#include "server/Backend.h"

#include "flywheel/v1/alerts.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

namespace v1 = flywheel::v1;
using namespace std::chrono_literals;
using flywheel::Backend;
using flywheel::BackendOptions;
using flywheel::ManualClock;

namespace {

const flywheel::TimePoint kStart = flywheel::fromEpochMs(1'800'000'000'000);

BackendOptions options(const QTemporaryDir &dir, const flywheel::Clock &clock)
{
    BackendOptions o;
    o.databasePath = dir.filePath(QStringLiteral("alerts.sqlite")).toStdString();
    o.seedDemoData = true;
    o.demoHistoryOrdersPerHour = 0;
    o.demoUsers = 12000;
    o.clock = &clock;
    o.manualHousekeeping = true;
    return o;
}

v1::AlertsSnapshot alerts(const std::shared_ptr<grpc::Channel> &channel, int historyLimit = 0)
{
    auto stub = v1::AlertService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::ListAlertsRequest request;
    request.set_history_limit(historyLimit);
    v1::AlertsSnapshot snapshot;
    const grpc::Status status = stub->ListAlerts(&context, request, &snapshot);
    if (!status.ok())
        qFatal("ListAlerts: %s", status.error_message().c_str());
    return snapshot;
}

const v1::Alert &alert(const v1::AlertsSnapshot &snapshot, const std::string &id)
{
    for (const v1::Alert &a : snapshot.alerts()) {
        if (a.id() == id)
            return a;
    }
    qFatal("no alert %s", id.c_str());
}

void writeFile(const QString &path, const QByteArray &text)
{
    QSaveFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    QVERIFY(file.commit());
}

/// A paid order, then a second PayOrder on it (refused, a repeat: no alert) and a
/// CancelOrder (refused: paid -> cancelled, an illegal transition).
void payThenCancel(const std::shared_ptr<grpc::Channel> &channel)
{
    QVERIFY(flywheel::test::receiveStock(channel, "ELE-1001", 5).ok());
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
    QCOMPARE(flywheel::test::payOrder(*orders, order.order_id(), &order).error_code(),
             grpc::StatusCode::FAILED_PRECONDITION);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::CancelOrderRequest cancel;
    cancel.set_order_id(order.order_id());
    v1::Order cancelled;
    QCOMPARE(orders->CancelOrder(&context, cancel, &cancelled).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

grpc::Status saveThresholds(v1::AlertService::Stub &stub, std::int64_t base, const v1::AlertThresholds &thresholds,
                            const std::string &reason, v1::AlertThresholdsVersion *saved)
{
    grpc::ClientContext context;
    v1::SaveAlertThresholdsRequest request;
    request.set_base_version(base);
    *request.mutable_thresholds() = thresholds;
    request.set_reason(reason);
    return stub.SaveAlertThresholds(&context, request, saved);
}

} // namespace

class TestAlerts final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void anIllegalTransitionFiresAndResolvesAndIsKept()
    {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        {
            auto backend = Backend::start(options(dir, clock));
            const auto channel = backend->inProcessChannel();
            backend->housekeep();
            QCOMPARE(alert(alerts(channel), "illegal_transition").state(), v1::ALERT_STATE_OK);

            payThenCancel(channel);
            clock.advance(1s);
            backend->housekeep();
            v1::AlertsSnapshot snapshot = alerts(channel);
            const v1::Alert &fired = alert(snapshot, "illegal_transition");
            QCOMPARE(fired.state(), v1::ALERT_STATE_FIRING);
            QCOMPARE(fired.count(), 1); // the cancellation; the repeated payment is no illegal move
            QCOMPARE(fired.from_state(), std::string("paid"));
            QCOMPARE(fired.to_state(), std::string("cancelled"));
            QVERIFY(fired.order_id() > 0);
            QVERIFY2(fired.explanation().find("paid") != std::string::npos, fired.explanation().c_str());
            QCOMPARE(snapshot.history_size(), 1);
            QVERIFY(snapshot.history(0).fired());
            QVERIFY(!snapshot.demo());

            // The stream says it too, at once.
            auto stub = v1::AlertService::NewStub(channel);
            grpc::ClientContext context;
            auto reader = stub->StreamAlerts(&context, {});
            v1::AlertsSnapshot streamed;
            QVERIFY(reader->Read(&streamed));
            QCOMPARE(alert(streamed, "illegal_transition").state(), v1::ALERT_STATE_FIRING);
            context.TryCancel();
            reader->Finish();

            // Still firing within its window, resolved once the attempt has left it.
            clock.advance(4min);
            backend->housekeep();
            QCOMPARE(alert(alerts(channel), "illegal_transition").state(), v1::ALERT_STATE_FIRING);
            clock.advance(2min);
            backend->housekeep();
            snapshot = alerts(channel);
            QCOMPARE(alert(snapshot, "illegal_transition").state(), v1::ALERT_STATE_OK);
            QCOMPARE(snapshot.history_size(), 2);
            QVERIFY(!snapshot.history(0).fired());
            backend->shutdown();
        }
        // The history is stored: a restart shows it again.
        auto backend = Backend::start(options(dir, clock));
        const v1::AlertsSnapshot after = alerts(backend->inProcessChannel());
        QCOMPARE(after.history_size(), 2);
        QCOMPARE(after.history(1).alert().id(), std::string("illegal_transition"));
        QVERIFY(after.history(1).fired());
        QCOMPARE(alert(after, "illegal_transition").state(), v1::ALERT_STATE_OK);
    }

    void aBrokenPricingFileFiresUntilItIsFixed()
    {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        const QString file = dir.filePath(QStringLiteral("pricing.yaml"));
        writeFile(file, "rules: []\n");
        BackendOptions o = options(dir, clock);
        o.pricingFile = file.toStdString();
        auto backend = Backend::start(o);
        const auto channel = backend->inProcessChannel();
        backend->housekeep();
        QCOMPARE(alert(alerts(channel), "pricing_reload_failed").state(), v1::ALERT_STATE_OK);

        writeFile(file, "rules: [this is not a rule\n");
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                backend->housekeep();
                return alert(alerts(channel), "pricing_reload_failed").state() == v1::ALERT_STATE_FIRING;
            }(),
            10000);
        const v1::Alert failed = alert(alerts(channel), "pricing_reload_failed");
        QVERIFY2(!failed.error().empty(), failed.explanation().c_str());

        writeFile(file, "rules: []\n");
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                backend->housekeep();
                return alert(alerts(channel), "pricing_reload_failed").state() == v1::ALERT_STATE_OK;
            }(),
            10000);
    }

    void theMetricsSayWhichAlertFires()
    {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        BackendOptions o = options(dir, clock);
        o.metricsListen = "127.0.0.1:0";
        auto backend = Backend::start(o);
        payThenCancel(backend->inProcessChannel());
        clock.advance(1s);
        backend->housekeep();
        httplib::Client http("127.0.0.1", backend->metricsPort());
        const auto res = http.Get("/metrics");
        QVERIFY(res && res->status == 200);
        QVERIFY2(res->body.find("flywheel_alert_firing{alert=\"illegal_transition\"} 1\n") != std::string::npos,
                 res->body.c_str());
        QVERIFY(res->body.find("flywheel_alert_firing{alert=\"order_path_p99\"} 0\n") != std::string::npos);
        QVERIFY(res->body.find("flywheel_alerts_fired_total{alert=\"illegal_transition\"} 1\n") != std::string::npos);
    }

    void theThresholdsAreAVersionedDocument()
    {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        auto backend = Backend::start(options(dir, clock));
        auto stub = v1::AlertService::NewStub(backend->inProcessChannel());

        v1::AlertThresholdsVersion current;
        {
            grpc::ClientContext context;
            QVERIFY(stub->GetAlertThresholds(&context, {}, &current).ok());
        }
        QCOMPARE(current.version(), 1);
        QCOMPARE(current.source(), std::string("initial"));
        QCOMPARE(current.thresholds().order_path_p99().threshold_ms(), 250);
        QCOMPARE(current.thresholds().inventory_confirmation_slow().share(), 0.005);

        v1::AlertThresholds changed = current.thresholds();
        changed.mutable_order_path_p99()->set_threshold_ms(400);
        v1::AlertThresholdsVersion saved;
        QVERIFY(saveThresholds(*stub, 1, changed, "fewer pages at night", &saved).ok());
        QCOMPARE(saved.version(), 2);
        QCOMPARE(saved.actor(), std::string("local"));
        backend->housekeep();
        QCOMPARE(alert(alerts(backend->inProcessChannel()), "order_path_p99").threshold(), 400.0);
        QCOMPARE(alerts(backend->inProcessChannel()).thresholds_version(), 2);

        // Refusals, each naming what was wrong; nothing is stored.
        grpc::Status s = saveThresholds(*stub, 1, changed, "stale", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::ABORTED);
        QVERIFY2(s.error_message().find("version 2 is current") != std::string::npos, s.error_message().c_str());
        v1::AlertThresholds bad = changed;
        bad.mutable_inventory_confirmation_slow()->set_share(1.5);
        s = saveThresholds(*stub, 2, bad, "too much", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(s.error_message().find("inventory_confirmation_slow.share") != std::string::npos,
                 s.error_message().c_str());
        bad = changed;
        bad.mutable_order_path_p99()->set_window_seconds(0);
        s = saveThresholds(*stub, 2, bad, "no window", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(s.error_message().find("order_path_p99.window_seconds") != std::string::npos,
                 s.error_message().c_str());
        s = saveThresholds(*stub, 2, changed, "  ", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        {
            grpc::ClientContext context;
            v1::SaveAlertThresholdsRequest request;
            request.set_base_version(2);
            request.set_reason("no thresholds");
            QCOMPARE(stub->SaveAlertThresholds(&context, request, &saved).error_code(),
                     grpc::StatusCode::INVALID_ARGUMENT);
        }
        {
            grpc::ClientContext context;
            v1::GetAlertThresholdsRequest request;
            request.set_version(99);
            QCOMPARE(stub->GetAlertThresholds(&context, request, &current).error_code(), grpc::StatusCode::NOT_FOUND);
        }
        {
            grpc::ClientContext context;
            v1::ListAlertsRequest request;
            request.set_history_limit(501);
            v1::AlertsSnapshot out;
            QCOMPARE(stub->ListAlerts(&context, request, &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        }

        // Rolled back to version 1, as version 3; the list has all three, newest first.
        {
            grpc::ClientContext context;
            v1::RollbackAlertThresholdsRequest request;
            request.set_to_version(1);
            request.set_base_version(2);
            request.set_reason("back to the defaults");
            QVERIFY(stub->RollbackAlertThresholds(&context, request, &saved).ok());
            QCOMPARE(saved.version(), 3);
            QCOMPARE(saved.source(), std::string("rollback"));
            QCOMPARE(saved.thresholds().order_path_p99().threshold_ms(), 250);
        }
        {
            grpc::ClientContext context;
            v1::ListAlertThresholdsVersionsResponse versions;
            QVERIFY(stub->ListAlertThresholdsVersions(&context, {}, &versions).ok());
            QCOMPARE(versions.versions_size(), 3);
            QCOMPARE(versions.versions(0).version(), 3);
            QCOMPARE(versions.versions(1).reason(), std::string("fewer pages at night"));
        }
    }

    void theDemoTriggerIsOnlyForTheDemo()
    {
        QTemporaryDir dir;
        ManualClock clock(kStart);
        {
            auto backend = Backend::start(options(dir, clock));
            auto stub = v1::AlertService::NewStub(backend->inProcessChannel());
            grpc::ClientContext context;
            v1::TriggerDemoAlertRequest request;
            request.set_alert("illegal_transition");
            v1::TriggerDemoAlertResponse response;
            const grpc::Status s = stub->TriggerDemoAlert(&context, request, &response);
            QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
            QVERIFY2(s.error_message().find("demo") != std::string::npos, s.error_message().c_str());
            backend->shutdown();
        }
        QTemporaryDir demoDir;
        BackendOptions o = options(demoDir, clock);
        o.mode = "demo";
        auto backend = Backend::start(o);
        const auto channel = backend->inProcessChannel();
        auto stub = v1::AlertService::NewStub(channel);
        QVERIFY(alerts(channel).demo());
        for (const char *id : {"inventory_confirmation_slow", "illegal_transition", "pricing_reload_failed",
                               "order_path_p99", "budget_near_cap"}) {
            grpc::ClientContext context;
            v1::TriggerDemoAlertRequest request;
            request.set_alert(id);
            v1::TriggerDemoAlertResponse response;
            QVERIFY2(stub->TriggerDemoAlert(&context, request, &response).ok(), id);
        }
        backend->housekeep();
        const v1::AlertsSnapshot snapshot = alerts(channel);
        for (const v1::Alert &a : snapshot.alerts())
            QVERIFY2(a.state() == v1::ALERT_STATE_FIRING, a.id().c_str());
        {
            grpc::ClientContext context;
            v1::TriggerDemoAlertRequest request;
            request.set_alert("no_such_alert");
            v1::TriggerDemoAlertResponse response;
            const grpc::Status s = stub->TriggerDemoAlert(&context, request, &response);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(s.error_message().find("no_such_alert") != std::string::npos, s.error_message().c_str());
        }
        {
            grpc::ClientContext context;
            v1::TriggerDemoAlertResponse response;
            QCOMPARE(stub->TriggerDemoAlert(&context, {}, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        }
        // Every triggered alert resolves by itself.
        clock.advance(6min);
        backend->housekeep();
        const v1::AlertsSnapshot later = alerts(channel);
        for (const v1::Alert &a : later.alerts())
            QVERIFY2(a.state() == v1::ALERT_STATE_OK, a.id().c_str());
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
