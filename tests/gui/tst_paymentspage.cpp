// The Payment channels page against a fake PaymentService (a callback service on an
// in-process server answering with canned data or errors): the channels with their
// credential status, a viewer (and an operator) reading only, an admin's save with its
// reason and base version, someone else's save (ABORTED) keeping the draft, the routing
// preview on the draft as a sentence (English and Simplified Chinese), the statistics
// stream drawn on the charts, the refused notifications, an order's payments and a
// refund shown pending, and a backend without payment channels or out of reach.

#include "client/BackendConnection.h"
#include "client/PaymentClient.h"
#include "common/Format.h"
#include "common/MessageBar.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "MainWindow.h"
#include "payments/ChannelEditor.h"
#include "payments/ChannelMinuteChart.h"
#include "payments/ChannelsTab.h"
#include "payments/OrderLookupTab.h"
#include "payments/PaymentsPage.h"
#include "payments/PerformanceTab.h"
#include "payments/RefusedTab.h"
#include "payments/RoutePreviewTab.h"
#include "Translations.h"

#include "flywheel/v1/audit.grpc.pb.h"
#include "flywheel/v1/payments.grpc.pb.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/channel_arguments.h>

#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTranslator>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

using namespace flywheel;
using namespace flywheel::ui;

namespace {

v1::Credential credential(const char *name, const char *status, const char *detail = "")
{
    v1::Credential c;
    c.set_name(name);
    c.set_status(status);
    c.set_detail(detail);
    return c;
}

v1::ChannelConfig firstConfig()
{
    v1::ChannelConfig config;
    config.set_success_window_minutes(15);
    config.set_query_after_seconds(60);
    v1::Channel *wechat = config.add_channels();
    wechat->set_id("wechat_main");
    wechat->set_provider("wechatpay");
    wechat->set_display_name("WeChat Pay");
    wechat->set_enabled(true);
    wechat->set_priority(1);
    wechat->set_fee_bp(60);
    wechat->set_min_amount_minor(100);
    wechat->set_max_amount_minor(0);
    wechat->add_currencies("CNY");
    wechat->set_success_floor_bp(8000);
    wechat->set_min_attempts(20);
    wechat->set_endpoint("https://api.mch.weixin.qq.com");
    wechat->set_merchant_id("1900000109");
    wechat->set_confirmations(1);
    wechat->set_invoice_expiry_minutes(15);
    *wechat->add_credentials() = credential("merchant_private_key", "set");
    *wechat->add_credentials() = credential("platform_public_key", "set");
    *wechat->add_credentials() =
        credential("apiv3_key", "missing", "no such file /etc/flywheel/wx/apiv3.key");
    v1::Channel *alipay = config.add_channels();
    alipay->set_id("alipay_main");
    alipay->set_provider("alipay");
    alipay->set_display_name("Alipay");
    alipay->set_enabled(true);
    alipay->set_priority(2);
    alipay->set_fee_bp(55);
    alipay->set_min_amount_minor(1);
    alipay->set_max_amount_minor(100'000);
    alipay->add_currencies("CNY");
    alipay->set_min_attempts(20);
    alipay->set_endpoint("https://openapi.alipay.com/gateway.do");
    alipay->set_confirmations(1);
    alipay->set_invoice_expiry_minutes(15);
    *alipay->add_credentials() = credential("app_private_key", "set");
    *alipay->add_credentials() = credential("alipay_public_key", "set");
    return config;
}

/// Sends its snapshot, then keeps the stream open until the client cancels it.
class StatsWriter final : public grpc::ServerWriteReactor<v1::ChannelStatsSnapshot> {
public:
    explicit StatsWriter(const v1::ChannelStatsSnapshot &snapshot) : m_snapshot(snapshot) { StartWrite(&m_snapshot); }
    void OnWriteDone(bool) override {}
    void OnCancel() override { Finish(grpc::Status::CANCELLED); }
    void OnDone() override { delete this; }

private:
    v1::ChannelStatsSnapshot m_snapshot;
};

/// PaymentService with one channel configuration (version 1), answering as the proto
/// says; records saves, previews, look-ups and refunds.
class FakePayments final : public v1::PaymentService::CallbackService {
public:
    FakePayments()
    {
        v1::ChannelConfigVersion first;
        first.set_version(1);
        *first.mutable_config() = firstConfig();
        first.set_reason("initial channels");
        first.set_source("initial");
        first.mutable_created_at()->set_seconds(1'760'000'000);
        first.set_actor("system");
        versions.push_back(first);
    }

    void saveBehindTheConsole(const v1::ChannelConfig &config)
    {
        const std::lock_guard lock(mutex);
        append(config, "someone else");
    }

    grpc::ServerUnaryReactor *GetChannelConfig(grpc::CallbackServerContext *context,
                                               const v1::GetChannelConfigRequest *request,
                                               v1::ChannelConfigVersion *response) override
    {
        const std::lock_guard lock(mutex);
        if (loadError)
            return finish(context, *loadError);
        if (request->version() == 0)
            *response = versions.back();
        else if (request->version() <= qint64(versions.size()))
            *response = versions[std::size_t(request->version() - 1)];
        else
            return finish(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "no such version"));
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *ListChannelConfigVersions(grpc::CallbackServerContext *context,
                                                        const v1::ListChannelConfigVersionsRequest *,
                                                        v1::ListChannelConfigVersionsResponse *response) override
    {
        const std::lock_guard lock(mutex);
        for (auto it = versions.rbegin(); it != versions.rend(); ++it)
            *response->add_versions() = *it;
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *SaveChannelConfig(grpc::CallbackServerContext *context,
                                                const v1::SaveChannelConfigRequest *request,
                                                v1::ChannelConfigVersion *response) override
    {
        const std::lock_guard lock(mutex);
        saves.push_back(*request);
        if (saveError)
            return finish(context, *saveError);
        if (request->base_version() != versions.back().version())
            return finish(context, grpc::Status(grpc::StatusCode::ABORTED, "base_version is not current"));
        *response = append(request->config(), request->reason());
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *RollbackChannelConfig(grpc::CallbackServerContext *context,
                                                    const v1::RollbackChannelConfigRequest *request,
                                                    v1::ChannelConfigVersion *response) override
    {
        const std::lock_guard lock(mutex);
        rollbacks.push_back(*request);
        if (request->base_version() != versions.back().version())
            return finish(context, grpc::Status(grpc::StatusCode::ABORTED, "base_version is not current"));
        *response = append(versions[std::size_t(request->to_version() - 1)].config(), request->reason());
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *PreviewRoute(grpc::CallbackServerContext *context,
                                           const v1::PreviewRouteRequest *request,
                                           v1::RouteDecision *response) override
    {
        const std::lock_guard lock(mutex);
        previews.push_back(*request);
        if (request->amount().minor_units() == 0)
            return finish(context, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "amount must be above 0"));
        // ¥1,280.00: over Alipay's maximum (¥1,000.00) in the config sent.
        response->set_channel_id("wechat_main");
        response->set_explanation("an order of 1280.00 CNY goes to wechat_main because ...");
        v1::RouteCandidate *wechat = response->add_candidates();
        wechat->set_channel_id("wechat_main");
        wechat->set_eligible(true);
        wechat->set_reason("priority 1");
        wechat->set_success_rate_bp(9500);
        wechat->set_fee_minor(request->amount().minor_units() * 60 / 10000);
        v1::RouteCandidate *alipay = response->add_candidates();
        alipay->set_channel_id("alipay_main");
        alipay->set_eligible(false);
        alipay->set_reason("above its maximum 1000.00");
        alipay->set_success_rate_bp(-1);
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *ListRefusedNotifications(grpc::CallbackServerContext *context,
                                                       const v1::ListRefusedNotificationsRequest *,
                                                       v1::ListRefusedNotificationsResponse *response) override
    {
        const std::lock_guard lock(mutex);
        v1::RefusedNotification *stale = response->add_notifications();
        stale->mutable_at()->set_seconds(1'760'000'600);
        stale->set_channel_id("wechat_main");
        stale->set_provider("wechatpay");
        stale->set_reason("stale");
        stale->set_detail("Wechatpay-Timestamp 1733560000 is 412 s away from now (the limit is 300 s)");
        stale->set_notification_id("EV-2018022511223320873");
        stale->set_order_id(100234);
        stale->set_peer("ipv4:127.0.0.1:50122");
        v1::RefusedNotification *signature = response->add_notifications();
        signature->mutable_at()->set_seconds(1'760'000'500);
        signature->set_channel_id("alipay_main");
        signature->set_provider("alipay");
        signature->set_reason("bad_signature");
        signature->set_detail("sign does not verify with the Alipay public key");
        signature->set_peer("ipv4:127.0.0.1:50123");
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *ListOrderPayments(grpc::CallbackServerContext *context,
                                                const v1::ListOrderPaymentsRequest *request,
                                                v1::OrderPayments *response) override
    {
        const std::lock_guard lock(mutex);
        lookups.push_back(*request);
        if (request->order_id() == 404)
            return finish(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "order 404 does not exist"));
        response->set_order_id(request->order_id());
        v1::Payment *paid = response->add_payments();
        paid->set_payment_id(7);
        paid->set_order_id(request->order_id());
        paid->set_channel_id("wechat_main");
        paid->set_provider("wechatpay");
        paid->mutable_amount()->set_minor_units(128'000);
        paid->mutable_amount()->set_currency("CNY");
        paid->set_state(v1::PAYMENT_STATE_SUCCEEDED);
        paid->set_out_trade_no("FW100234-7");
        paid->set_provider_payment_id("4200001234202412071234567890");
        paid->set_pay_url("weixin://wxpay/bizpayurl?pr=abc");
        paid->set_route_reason("priority 1 of 2 eligible");
        paid->set_paid_order(true);
        v1::Payment *crypto = response->add_payments();
        crypto->set_payment_id(6);
        crypto->set_order_id(request->order_id());
        crypto->set_channel_id("crypto");
        crypto->set_provider("btcpay");
        crypto->mutable_amount()->set_minor_units(128'000);
        crypto->mutable_amount()->set_currency("CNY");
        crypto->set_state(v1::PAYMENT_STATE_EXPIRED);
        crypto->set_difference_minor(-12'800);
        crypto->set_detail("paid 0.0009 BTC of 0.0010");
        crypto->mutable_refundable()->set_minor_units(115'200);
        crypto->mutable_refundable()->set_currency("CNY");
        for (const v1::Refund &refund : refunds)
            *response->add_refunds() = refund;
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *RefundOrderPayment(grpc::CallbackServerContext *context,
                                                 const v1::RefundOrderPaymentRequest *request,
                                                 v1::Refund *response) override
    {
        const std::lock_guard lock(mutex);
        refundRequests.push_back(*request);
        response->set_refund_id(static_cast<std::int64_t>(refunds.size()) + 3);
        response->set_payment_id(request->payment_id() == 0 ? 7 : request->payment_id());
        response->set_order_id(request->order_id());
        response->mutable_amount()->set_minor_units(request->payment_id() == 0 ? 128'000 : 115'200);
        response->mutable_amount()->set_currency("CNY");
        response->set_state(v1::REFUND_STATE_PENDING);
        response->set_out_refund_no("RF100234-3");
        response->set_reason(request->reason());
        refunds.push_back(*response);
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerWriteReactor<v1::ChannelStatsSnapshot> *StreamChannelStats(grpc::CallbackServerContext *,
                                                                          const v1::StreamChannelStatsRequest *) override
    {
        const std::lock_guard lock(mutex);
        return new StatsWriter(snapshot);
    }

    std::mutex mutex;
    std::vector<v1::ChannelConfigVersion> versions;
    std::vector<v1::SaveChannelConfigRequest> saves;
    std::vector<v1::RollbackChannelConfigRequest> rollbacks;
    std::vector<v1::PreviewRouteRequest> previews;
    std::vector<v1::ListOrderPaymentsRequest> lookups;
    std::vector<v1::RefundOrderPaymentRequest> refundRequests;
    std::vector<v1::Refund> refunds;
    std::optional<grpc::Status> saveError;
    std::optional<grpc::Status> loadError;
    v1::ChannelStatsSnapshot snapshot;

private:
    v1::ChannelConfigVersion append(const v1::ChannelConfig &config, const std::string &reason)
    {
        v1::ChannelConfigVersion next;
        next.set_version(versions.back().version() + 1);
        *next.mutable_config() = config;
        next.set_reason(reason);
        next.set_source("console");
        next.mutable_created_at()->set_seconds(versions.back().created_at().seconds() + 3600);
        next.set_actor("console-admin");
        versions.push_back(next);
        return next;
    }

    static grpc::ServerUnaryReactor *finish(grpc::CallbackServerContext *context, const grpc::Status &status)
    {
        grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        reactor->Finish(status);
        return reactor;
    }
};

/// Three minutes of wechat_main (the middle one without an outcome) and a quiet alipay_main.
///   minute      succeeded  failed  volume   p50   p95
///   0           3          1       ¥30.00   800   1500
///   1           0          0       0        -     -
///   2           1          1       ¥12.80   600   900
v1::ChannelStatsSnapshot statsSnapshot()
{
    v1::ChannelStatsSnapshot s;
    s.mutable_at()->set_seconds(1'760'000'000);
    s.set_currency("CNY");
    s.set_duplicate_notifications(2);
    v1::ChannelStats *wechat = s.add_channels();
    wechat->set_channel_id("wechat_main");
    wechat->set_provider("wechatpay");
    wechat->set_enabled(true);
    wechat->set_success_rate_bp(6667);
    wechat->set_demoted(true);
    wechat->set_succeeded_total(4);
    wechat->set_failed_total(2);
    wechat->set_volume_total_minor(4280);
    wechat->set_refused_notifications(5);
    wechat->set_amount_mismatches(1);
    struct Minute {
        int succeeded;
        int failed;
        qint64 volume;
        double p50;
        double p95;
    };
    const Minute minutes[] = {{3, 1, 3000, 800, 1500}, {0, 0, 0, 0, 0}, {1, 1, 1280, 600, 900}};
    for (int i = 0; i < 3; ++i) {
        v1::ChannelMinute *m = wechat->add_minutes();
        m->mutable_minute()->set_seconds(1'760'000'000 - (3 - i) * 60);
        m->set_attempts(minutes[i].succeeded + minutes[i].failed);
        m->set_succeeded(minutes[i].succeeded);
        m->set_failed(minutes[i].failed);
        m->set_volume_minor(minutes[i].volume);
        m->set_latency_p50_ms(minutes[i].p50);
        m->set_latency_p95_ms(minutes[i].p95);
    }
    v1::ChannelStats *alipay = s.add_channels();
    alipay->set_channel_id("alipay_main");
    alipay->set_provider("alipay");
    alipay->set_enabled(true);
    alipay->set_success_rate_bp(-1);
    for (int i = 0; i < 3; ++i)
        alipay->add_minutes()->mutable_minute()->set_seconds(1'760'000'000 - (3 - i) * 60);
    return s;
}

google::protobuf::Timestamp at(qint64 seconds)
{
    google::protobuf::Timestamp t;
    t.set_seconds(seconds);
    return t;
}

QList<double> ys(const QList<QPointF> &points)
{
    QList<double> out;
    for (const QPointF &p : points)
        out.append(p.y());
    return out;
}

/// The fake on an in-process server, a connection to it, and a main window on the page.
struct Fixture {
    FakePayments service;
    std::unique_ptr<grpc::Server> server;
    BackendConnection connection{QStringLiteral("fake payments backend")};
    std::unique_ptr<MainWindow> window;
    PaymentsPage *page = nullptr;
    ChannelsTab *tab = nullptr;

    Fixture()
    {
        service.snapshot = statsSnapshot();
        grpc::ServerBuilder builder;
        builder.RegisterService(&service);
        server = builder.BuildAndStart();
        window = std::make_unique<MainWindow>(&connection);
        page = window->paymentsPage();
        tab = page->channelsTab();
        window->showPage(QStringLiteral("payments"));
    }
    ~Fixture()
    {
        window.reset();
        server->Shutdown();
    }
    void connect()
    {
        connection.setChannel(server->InProcessChannel(grpc::ChannelArguments()));
        window->show();
    }
    void load()
    {
        connect();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(tab->history()->versionCount() >= 1, 5000);
    }
    void setRole(EnvironmentPolicy::Role role)
    {
        window->environmentPolicy()->setCaller(QStringLiteral("console-%1").arg(EnvironmentPolicy::roleName(role)),
                                               role);
    }
    void type(const QString &key, const QString &text)
    {
        QLineEdit *input = tab->editor()->input(key);
        QVERIFY2(input, qPrintable(key));
        input->selectAll();
        QTest::keyClicks(input, text);
    }
};

} // namespace

class TestPaymentsPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void init() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void registeredAfterSubsidy()
    {
        const QStringList names = MainWindow::pageNames();
        QCOMPARE(names.indexOf(QStringLiteral("payments")), names.indexOf(QStringLiteral("subsidy")) + 1);
        Fixture f;
        QCOMPARE(f.window->currentPageName(), QStringLiteral("payments"));
        QSignalSpy shown(f.window.get(), &MainWindow::pageDataShown);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(shown.contains(QVariantList{QStringLiteral("payments")}), 5000);
        QVERIFY(f.window->currentPageHasData());
    }

    void showsChannelsAndCredentialStatus()
    {
        Fixture f;
        f.load();
        ChannelsTab *tab = f.tab;
        QCOMPARE(tab->table()->rowCount(), 2);
        QCOMPARE(tab->cell(0, ChannelsTab::Id), QStringLiteral("wechat_main"));
        QCOMPARE(tab->cell(0, ChannelsTab::Provider), QStringLiteral("WeChat Pay"));
        QCOMPARE(tab->cell(0, ChannelsTab::Enabled), QStringLiteral("yes"));
        QCOMPARE(tab->cell(0, ChannelsTab::Priority), QStringLiteral("1"));
        QCOMPARE(tab->cell(0, ChannelsTab::Fee), QStringLiteral("0.60%"));
        QCOMPARE(tab->cell(0, ChannelsTab::MinAmount), QStringLiteral("¥1.00"));
        QCOMPARE(tab->cell(0, ChannelsTab::MaxAmount), QStringLiteral("no maximum"));
        QCOMPARE(tab->cell(1, ChannelsTab::MaxAmount), QStringLiteral("¥1,000.00"));
        QCOMPARE(tab->cell(0, ChannelsTab::Currencies), QStringLiteral("CNY"));
        QCOMPARE(tab->cell(0, ChannelsTab::SuccessFloor), QStringLiteral("80.00%"));
        QCOMPARE(tab->cell(1, ChannelsTab::SuccessFloor), QStringLiteral("off"));
        QCOMPARE(tab->cell(0, ChannelsTab::Credentials),
                 QStringLiteral("Merchant private key: set · Platform public key: set · APIv3 key: missing"));
        QCOMPARE(tab->cellToolTip(0, ChannelsTab::Credentials),
                 QStringLiteral("APIv3 key: no such file /etc/flywheel/wx/apiv3.key"));
        QCOMPARE(tab->cell(1, ChannelsTab::Credentials),
                 QStringLiteral("App private key: set · Alipay public key: set"));
        // The editor shows the selected channel, each credential's status with its detail.
        tab->selectChannel(0);
        ChannelEditor *editor = tab->editor();
        QCOMPARE(editor->input(QStringLiteral("fee"))->text(), QStringLiteral("0.60"));
        QCOMPARE(editor->input(QStringLiteral("min_amount"))->text(), QStringLiteral("1.00"));
        QCOMPARE(editor->credentialStatus(QStringLiteral("apiv3_key"))->text(), QStringLiteral("missing"));
        QCOMPARE(editor->credentialStatus(QStringLiteral("apiv3_key"))->toolTip(),
                 QStringLiteral("no such file /etc/flywheel/wx/apiv3.key"));
        QCOMPARE(editor->credentialStatus(QStringLiteral("merchant_private_key"))->text(), QStringLiteral("set"));
        // What the form gives back is what was loaded.
        QCOMPARE(editor->channel().SerializeAsString(), firstConfig().channels(0).SerializeAsString());
        QVERIFY(!tab->isModified());
        QVERIFY2(f.page->headerText().startsWith(QStringLiteral("Channels version 1")), qPrintable(f.page->headerText()));
        QVERIFY(f.page->headerText().contains(QStringLiteral("1 credentials missing")));
    }

    void viewerAndOperatorReadOnly()
    {
        Fixture f;
        f.load();
        for (const EnvironmentPolicy::Role role : {EnvironmentPolicy::Role::Viewer, EnvironmentPolicy::Role::Operator}) {
            f.setRole(role);
            QVERIFY(!f.tab->canEdit());
            QVERIFY(f.tab->editor()->isReadOnly());
            QVERIFY(f.tab->editor()->input(QStringLiteral("fee"))->isReadOnly());
            QVERIFY(f.tab->editor()->input(QStringLiteral("credential.apiv3_key"))->isReadOnly());
            QVERIFY(!f.tab->editor()->prioritySpin()->isEnabled());
            QVERIFY2(f.tab->editor()->noteText().startsWith(QStringLiteral("Read only: only admins change payment "
                                                                           "channels.")),
                     qPrintable(f.tab->editor()->noteText()));
            QVERIFY(f.tab->editor()->noteText().contains(QStringLiteral("admin")));
            QVERIFY(!f.tab->addButton()->isEnabled());
            QVERIFY(!f.tab->removeButton()->isEnabled());
            QVERIFY(!f.tab->saveButton()->isEnabled());
            QVERIFY(f.tab->saveButton()->toolTip().contains(QStringLiteral("admin")));
            QVERIFY(!f.tab->save(QStringLiteral("sneaky")));
        }
        {
            const std::lock_guard lock(f.service.mutex);
            QVERIFY(f.service.saves.empty());
        }
        f.setRole(EnvironmentPolicy::Role::Admin);
        QVERIFY(f.tab->canEdit());
        QVERIFY(!f.tab->editor()->isReadOnly());
        QVERIFY(f.tab->addButton()->isEnabled());
    }

    void adminSavesWithReasonAndBaseVersion()
    {
        Fixture f;
        f.load();
        f.setRole(EnvironmentPolicy::Role::Admin);
        QString askedTitle;
        f.tab->setAskReason([&](const QString &title, const QString &, const QString &, const QString &) {
            askedTitle = title;
            return std::optional<QString>(QStringLiteral("Alipay first for large orders"));
        });
        f.tab->selectChannel(1);
        f.tab->editor()->prioritySpin()->setValue(0);
        f.type(QStringLiteral("fee"), QStringLiteral("0.38"));
        f.type(QStringLiteral("credential.app_private_key"), QStringLiteral("/etc/flywheel/ali/app.pem"));
        QVERIFY(f.tab->isModified());
        QCOMPARE(f.tab->cell(1, ChannelsTab::Priority), QStringLiteral("0"));
        QCOMPARE(f.tab->cell(1, ChannelsTab::Fee), QStringLiteral("0.38%"));
        QVERIFY(f.tab->saveButton()->isEnabled());
        QSignalSpy finished(f.tab, &ChannelsTab::actionFinished);
        QTest::mouseClick(f.tab->saveButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Save the payment channels"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.saves.size(), std::size_t(1));
            const v1::SaveChannelConfigRequest &save = f.service.saves[0];
            QCOMPARE(save.base_version(), 1);
            QCOMPARE(save.reason(), "Alipay first for large orders");
            QCOMPARE(save.config().channels_size(), 2);
            QCOMPARE(save.config().channels(1).priority(), 0);
            QCOMPARE(save.config().channels(1).fee_bp(), 38);
            QCOMPARE(save.config().channels(1).credentials(0).name(), "app_private_key");
            QCOMPARE(save.config().channels(1).credentials(0).path(), "/etc/flywheel/ali/app.pem");
            // Nothing else changed.
            v1::ChannelConfig expected = firstConfig();
            expected.mutable_channels(1)->set_priority(0);
            expected.mutable_channels(1)->set_fee_bp(38);
            expected.mutable_channels(1)->mutable_credentials(0)->set_path("/etc/flywheel/ali/app.pem");
            QCOMPARE(save.config().SerializeAsString(), expected.SerializeAsString());
        }
        QCOMPARE(f.tab->messageText(), QStringLiteral("Saved as version 2: payments are routed by it from now on."));
        QCOMPARE(f.tab->baseVersion(), 2);
        QVERIFY(!f.tab->isModified());
        QTRY_COMPARE_WITH_TIMEOUT(f.tab->history()->versionCount(), 2, 5000);
        f.tab->history()->selectRow(0);
        QVERIFY2(f.tab->history()->diffText().contains(QStringLiteral("alipay_main: priority 2 → 0, fee 0.55% → 0.38%")),
                 qPrintable(f.tab->history()->diffText()));

        // Roll back to version 1.
        f.tab->history()->selectRow(1);
        QVERIFY(f.tab->history()->rollbackButton()->isEnabled());
        QTest::mouseClick(f.tab->history()->rollbackButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Roll back the payment channels"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.rollbacks.size(), std::size_t(1));
            QCOMPARE(f.service.rollbacks[0].to_version(), 1);
            QCOMPARE(f.service.rollbacks[0].base_version(), 2);
        }
        QCOMPARE(f.tab->cell(1, ChannelsTab::Priority), QStringLiteral("2"));
    }

    void addsAndRemovesChannelsCheckingTheDraft()
    {
        Fixture f;
        f.load();
        f.setRole(EnvironmentPolicy::Role::Admin);
        QTest::mouseClick(f.tab->addButton(), Qt::LeftButton);
        QCOMPARE(f.tab->table()->rowCount(), 3);
        QCOMPARE(f.tab->cell(2, ChannelsTab::Id), QStringLiteral("new_channel"));
        QCOMPARE(f.tab->cell(2, ChannelsTab::Enabled), QStringLiteral("no"));
        QCOMPARE(f.tab->cell(2, ChannelsTab::Credentials),
                 QStringLiteral("Merchant private key: missing · Platform public key: missing · APIv3 key: missing"));
        // A duplicate id and a bad fee keep Save disabled, each said.
        f.type(QStringLiteral("id"), QStringLiteral("wechat_main"));
        f.type(QStringLiteral("fee"), QStringLiteral("abc"));
        QCOMPARE(f.tab->editor()->problem(QStringLiteral("fee")),
                 QStringLiteral("The fee must be a percentage from 0 to 100 with at most two decimals, such as 0.6."));
        QVERIFY(!f.tab->saveButton()->isEnabled());
        QVERIFY2(f.tab->editingText().contains(QStringLiteral("Two channels have the id “wechat_main”")),
                 qPrintable(f.tab->editingText()));
        f.type(QStringLiteral("id"), QStringLiteral("wechat_backup"));
        f.type(QStringLiteral("fee"), QStringLiteral("0.6"));
        QVERIFY(f.tab->saveButton()->isEnabled());
        QCOMPARE(f.tab->draft().channels(2).id(), "wechat_backup");
        QCOMPARE(f.tab->draft().channels(2).fee_bp(), 60);
        QTest::mouseClick(f.tab->removeButton(), Qt::LeftButton);
        QCOMPARE(f.tab->table()->rowCount(), 2);
        QVERIFY(!f.tab->isModified());
    }

    void someoneElsesSaveKeepsTheDraft()
    {
        Fixture f;
        f.load();
        f.setRole(EnvironmentPolicy::Role::Admin);
        f.tab->selectChannel(0);
        f.type(QStringLiteral("fee"), QStringLiteral("0.7"));
        v1::ChannelConfig theirs = firstConfig();
        theirs.mutable_channels(0)->set_enabled(false);
        f.service.saveBehindTheConsole(theirs);
        QSignalSpy finished(f.tab, &ChannelsTab::actionFinished);
        QVERIFY(f.tab->save(QStringLiteral("cheaper")));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QCOMPARE(f.tab->messageText(),
                 QStringLiteral("The channels were not saved: someone else saved a newer version while you were "
                                "editing. Your draft is kept: compare with the newest version in the history, then "
                                "discard your draft or make your changes again on top of it."));
        QCOMPARE(f.tab->draft().channels(0).fee_bp(), 70);
        QCOMPARE(f.tab->baseVersion(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(f.tab->editingText().contains(QStringLiteral("Version 2 has been saved since")), 5000);
        // INVALID_ARGUMENT: the backend's message.
        f.tab->discardEdits();
        QCOMPARE(f.tab->baseVersion(), 2);
        f.tab->selectChannel(0);
        f.type(QStringLiteral("fee"), QStringLiteral("0.7"));
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.saveError =
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "channel \"wechat_main\": endpoint is not reachable");
        }
        QVERIFY(f.tab->save(QStringLiteral("cheaper")));
        QVERIFY(finished.wait(5000));
        QCOMPARE(f.tab->messageText(),
                 QStringLiteral("The channels were not saved: the backend refused it: channel \"wechat_main\": "
                                "endpoint is not reachable. Your draft is kept: correct it and save again."));
    }

    void previewsTheDraftAsASentence()
    {
        Fixture f;
        f.load();
        f.setRole(EnvironmentPolicy::Role::Admin);
        // The draft: Alipay's priority edited, not saved; the preview sends it.
        f.tab->selectChannel(1);
        f.tab->editor()->prioritySpin()->setValue(5);
        f.page->showTab(PaymentsPage::Preview);
        RoutePreviewTab *preview = f.page->previewTab();
        preview->amountField()->setText(QStringLiteral("1280.00"));
        preview->currencyField()->setText(QStringLiteral("CNY"));
        QSignalSpy finished(preview, &RoutePreviewTab::previewFinished);
        QTest::mouseClick(preview->previewButton(), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.previews.size(), std::size_t(1));
            QCOMPARE(f.service.previews[0].amount().minor_units(), 128'000);
            QCOMPARE(f.service.previews[0].amount().currency(), "CNY");
            QCOMPARE(f.service.previews[0].config().channels(1).priority(), 5);
        }
        QCOMPARE(preview->sentence(),
                 QStringLiteral("An order of ¥1,280.00 in CNY goes to WeChat Pay because it is the first eligible by "
                                "priority; Alipay is passed over: above its maximum ¥1,000.00."));
        QCOMPARE(preview->candidateText(0, RoutePreviewTab::Channel), QStringLiteral("wechat_main · WeChat Pay"));
        QCOMPARE(preview->candidateText(0, RoutePreviewTab::Reason), QStringLiteral("priority 1"));
        QCOMPARE(preview->candidateText(0, RoutePreviewTab::SuccessRate), QStringLiteral("95.00%"));
        QCOMPARE(preview->candidateText(0, RoutePreviewTab::Fee), QStringLiteral("¥7.68"));
        QCOMPARE(preview->candidateText(1, RoutePreviewTab::Eligible), QStringLiteral("no"));
        QCOMPARE(preview->candidateText(1, RoutePreviewTab::Reason), QStringLiteral("above its maximum ¥1,000.00"));
        QCOMPARE(preview->candidateText(1, RoutePreviewTab::SuccessRate), QStringLiteral("too few payments"));

        // The backend's refusal is said with its message; a bad amount before any call.
        preview->amountField()->setText(QStringLiteral("0"));
        QVERIFY(preview->preview());
        QVERIFY(finished.wait(5000));
        QCOMPARE(preview->sentence(), QStringLiteral("The backend refused to preview: amount must be above 0"));
        preview->amountField()->setText(QStringLiteral("12,80"));
        QVERIFY(!preview->preview());
        QCOMPARE(preview->sentence(), QStringLiteral("Type the amount as a number such as 1280.00."));
    }

    void previewSentenceInChinese()
    {
        const QLocale chinese(QLocale::Chinese, QLocale::SimplifiedHanScript, QLocale::China);
        QCOMPARE(app::installTranslations(chinese), QStringLiteral("zh_CN"));
        QLocale::setDefault(chinese);
        Fixture f;
        f.load();
        RoutePreviewTab *preview = f.page->previewTab();
        preview->amountField()->setText(QStringLiteral("1280.00"));
        QSignalSpy finished(preview, &RoutePreviewTab::previewFinished);
        QVERIFY(preview->preview());
        QVERIFY(finished.wait(5000));
        const QString sentence = preview->sentence();
        // Remove the translators again (they belong to the application).
        for (QTranslator *translator : QCoreApplication::instance()->findChildren<QTranslator *>())
            delete translator;
        // The channels' display names are the operator's own data, shown as typed.
        QCOMPARE(sentence, QStringLiteral("CNY 计价、金额 ¥1,280.00 的订单将交由WeChat Pay处理，因为按优先级它是第一个"
                                          "符合条件的渠道；跳过Alipay：高于其最高金额 ¥1,000.00。"));
    }

    void statsFillTheCharts()
    {
        Fixture f;
        f.load();
        f.page->showTab(PaymentsPage::Performance);
        PerformanceTab *performance = f.page->performanceTab();
        QTRY_VERIFY_WITH_TIMEOUT(performance->hasSnapshot(), 5000);
        performance->redraw();
        QCOMPARE(performance->channelSelector()->count(), 2);
        QCOMPARE(performance->channelSelector()->itemText(0), QStringLiteral("wechat_main · WeChat Pay"));
        // Success rate for minutes with an outcome: 3 of 4, then 1 of 2.
        QCOMPARE(ys(performance->successChart()->points()), (QList<double>{75.0, 50.0}));
        QCOMPARE(performance->successChart()->points().front().x(), (1'760'000'000.0 - 180) * 1000.0);
        QCOMPARE(ys(performance->latencyChart()->points(0)), (QList<double>{800.0, 600.0}));
        QCOMPARE(ys(performance->latencyChart()->points(1)), (QList<double>{1500.0, 900.0}));
        QCOMPARE(ys(performance->volumeChart()->points()), (QList<double>{30.0, 0.0, 12.8}));
        QVERIFY(!performance->successChart()->isShowingEmptyMessage());
        QCOMPARE(performance->totalsText(),
                 QStringLiteral("enabled · success rate 66.67% · succeeded 4 · failed 2 · volume ¥42.80 · refused "
                                "notifications 5 · amount mismatches 1"));
        QVERIFY(performance->isDemotedShown());
        QCOMPARE(performance->demotedText(), QStringLiteral("Demoted: below its success floor, tried after the others"));
        QVERIFY(performance->statusText().startsWith(QStringLiteral("Live:")));
        QVERIFY(performance->statusText().contains(QStringLiteral("twice so far (no effect): 2")));

        // The quiet channel says so on every chart.
        QVERIFY(performance->selectChannel(QStringLiteral("alipay_main")));
        QVERIFY(!performance->isDemotedShown());
        QVERIFY(performance->successChart()->isShowingEmptyMessage());
        QCOMPARE(performance->successChart()->emptyMessage(),
                 QStringLiteral("No payment finished on this channel in the last hour."));
        QVERIFY(performance->volumeChart()->points().isEmpty());
        QVERIFY(performance->totalsText().contains(QStringLiteral("success rate — (too few payments)")));
        // The choice survives the next snapshot.
        performance->setSnapshot(statsSnapshot());
        performance->redraw();
        QCOMPARE(performance->channelSelector()->currentData().toString(), QStringLiteral("alipay_main"));
        // Hiding the page closes the stream.
        f.window->showPage(QStringLiteral("dashboard"));
        QVERIFY(!f.page->client()->isStatsOpen());
    }

    void listsRefusedNotifications()
    {
        Fixture f;
        f.load();
        RefusedTab *refused = f.page->refusedTab();
        QSignalSpy refreshed(refused, &RefusedTab::refreshed);
        f.page->showTab(PaymentsPage::Refused);
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(refreshed.at(0).at(0).toBool(), true);
        QCOMPARE(refused->rowCount(), 2);
        QCOMPARE(refused->text(0, RefusedTab::Channel), QStringLiteral("wechat_main · WeChat Pay"));
        QCOMPARE(refused->text(0, RefusedTab::Reason), QStringLiteral("Stale (outside the 5-minute window)"));
        QCOMPARE(refused->text(0, RefusedTab::Detail),
                 QStringLiteral("Wechatpay-Timestamp 1733560000 is 412 s away from now (the limit is 300 s)"));
        QCOMPARE(refused->text(0, RefusedTab::NotificationId), QStringLiteral("EV-2018022511223320873"));
        QCOMPARE(refused->text(0, RefusedTab::Order), QStringLiteral("100234"));
        QCOMPARE(refused->text(0, RefusedTab::Peer), QStringLiteral("ipv4:127.0.0.1:50122"));
        QCOMPARE(refused->text(0, RefusedTab::Time),
                 TimeText::timestamp(at(1'760'000'600)));
        QCOMPARE(refused->text(1, RefusedTab::Reason), QStringLiteral("Bad signature"));
        QCOMPARE(refused->text(1, RefusedTab::Order), QStringLiteral("—"));
        QVERIFY(refused->statusText().startsWith(QStringLiteral("2 refused notifications")));
        QTest::mouseClick(refused->refreshButton(), Qt::LeftButton);
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(refused->rowCount(), 2);
    }

    void looksUpAnOrderAndRefundsIt()
    {
        Fixture f;
        f.load();
        f.setRole(EnvironmentPolicy::Role::Operator);
        f.page->showTab(PaymentsPage::Orders);
        OrderLookupTab *orders = f.page->ordersTab();
        QString askedTitle;
        orders->setAskReason([&](const QString &title, const QString &, const QString &, const QString &) {
            askedTitle = title;
            return std::optional<QString>(QStringLiteral("customer returned the item"));
        });
        QVERIFY(!orders->refundButton()->isEnabled());
        QSignalSpy looked(orders, &OrderLookupTab::lookedUp);
        QTest::keyClicks(orders->orderField(), QStringLiteral("100234"));
        QTest::mouseClick(orders->lookUpButton(), Qt::LeftButton);
        QVERIFY(looked.wait(5000));
        QCOMPARE(looked.at(0).at(0).toBool(), true);
        QCOMPARE(orders->paymentCount(), 2);
        QCOMPARE(orders->paymentText(0, OrderLookupTab::State), QStringLiteral("succeeded, paid the order"));
        QCOMPARE(orders->paymentText(0, OrderLookupTab::Channel), QStringLiteral("wechat_main · WeChat Pay"));
        QCOMPARE(orders->paymentText(0, OrderLookupTab::Amount), QStringLiteral("¥1,280.00"));
        QCOMPARE(orders->paymentText(0, OrderLookupTab::ProviderIds),
                 QStringLiteral("ours FW100234-7 · theirs 4200001234202412071234567890"));
        QCOMPARE(orders->paymentText(0, OrderLookupTab::PayUrl), QStringLiteral("weixin://wxpay/bizpayurl?pr=abc"));
        QCOMPARE(orders->paymentText(0, OrderLookupTab::RouteReason), QStringLiteral("priority 1 of 2 eligible"));
        QCOMPARE(orders->paymentText(1, OrderLookupTab::State),
                 QStringLiteral("expired, underpaid by ¥128.00, ¥1,152.00 to give back"));
        QCOMPARE(orders->paymentText(1, OrderLookupTab::Detail), QStringLiteral("paid 0.0009 BTC of 0.0010"));
        QCOMPARE(orders->refundCount(), 0);
        QCOMPARE(orders->summaryText(),
                 QStringLiteral("Order 100234: 2 payments, 0 refunds. Payment 6 took ¥1,152.00 that did not pay the "
                                "order: select it and choose Refund payment… to give it back."));
        QVERIFY(orders->refundPaymentButton()->isVisibleTo(orders));
        QVERIFY(!orders->refundPaymentButton()->isEnabled()); // no payment selected

        QVERIFY(orders->refundButton()->isEnabled());
        QSignalSpy refunded(orders, &OrderLookupTab::refundFinished);
        QTest::mouseClick(orders->refundButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Refund order 100234"));
        QVERIFY(refunded.wait(5000));
        QCOMPARE(refunded.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.refundRequests.size(), std::size_t(1));
            QCOMPARE(f.service.refundRequests[0].order_id(), 100234);
            QCOMPARE(f.service.refundRequests[0].reason(), "customer returned the item");
        }
        QCOMPARE(orders->messageText(), QStringLiteral("Refund 3 of ¥1,280.00 is pending: order 100234 becomes "
                                                       "refunded when the provider confirms it."));
        QCOMPARE(orders->refundCount(), 1);
        QCOMPARE(orders->refundText(0, OrderLookupTab::RefundState),
                 QStringLiteral("pending: waiting for the provider to confirm"));
        QVERIFY(!orders->refundButton()->isEnabled()); // already being refunded
        // Looked up again, the backend's record says the same.
        QTest::mouseClick(orders->lookUpButton(), Qt::LeftButton);
        QVERIFY(looked.wait(5000));
        QCOMPARE(orders->refundCount(), 1);
        QCOMPARE(orders->refundText(0, OrderLookupTab::RefundNumbers), QStringLiteral("ours RF100234-3 · theirs —"));

        // The underpaid crypto payment's money goes back on its own; the order does not change.
        QVERIFY(!orders->selectPayment(99));
        QVERIFY(orders->selectPayment(7));
        QVERIFY(!orders->refundPaymentButton()->isEnabled()); // it paid the order
        QVERIFY(orders->selectPayment(6));
        QVERIFY(orders->refundPaymentButton()->isEnabled());
        QVERIFY(orders->refundPaymentButton()->toolTip().contains(QStringLiteral("¥1,152.00")));
        QTest::mouseClick(orders->refundPaymentButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Refund payment 6 of order 100234"));
        QVERIFY(refunded.wait(5000));
        QCOMPARE(refunded.at(1).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.refundRequests.size(), std::size_t(2));
            QCOMPARE(f.service.refundRequests[1].payment_id(), 6);
        }
        QCOMPARE(orders->messageText(), QStringLiteral("Refund 4 of ¥1,152.00 is pending: payment 6's money goes back "
                                                       "when the provider confirms it."));
        QCOMPARE(orders->refundCount(), 2);
        QCOMPARE(orders->refundText(0, OrderLookupTab::RefundPayment), QStringLiteral("6"));
        QCOMPARE(orders->refundText(1, OrderLookupTab::RefundPayment), QStringLiteral("7"));
        QVERIFY(orders->selectPayment(6));
        QVERIFY(!orders->refundPaymentButton()->isEnabled()); // being refunded
        QVERIFY(!orders->summaryText().contains(QStringLiteral("did not pay")));
        QCOMPARE(orders->paymentText(1, OrderLookupTab::State),
                 QStringLiteral("expired, underpaid by ¥128.00, ¥1,152.00 being given back"));

        // An unknown order: the backend's message.
        orders->orderField()->setText(QStringLiteral("404"));
        QVERIFY(orders->lookUp());
        QVERIFY(looked.wait(5000));
        QCOMPARE(orders->messageText(), QStringLiteral("Could not look up order 404: order 404 does not exist"));

        // A viewer may look but not refund.
        f.setRole(EnvironmentPolicy::Role::Viewer);
        orders->orderField()->setText(QStringLiteral("100235"));
        QVERIFY(orders->lookUp());
        QVERIFY(looked.wait(5000));
        QVERIFY(!orders->refundButton()->isEnabled());
        QVERIFY(orders->refundButton()->toolTip().contains(QStringLiteral("operator")));
    }

    void saysWhenTheBackendHasNoPaymentChannels()
    {
        // A backend without PaymentService (here: one with only another service).
        v1::AuditService::Service other;
        grpc::ServerBuilder builder;
        builder.RegisterService(&other);
        std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
        BackendConnection connection(QStringLiteral("older backend"));
        {
            // The page alone, so that only its calls tell the connection how they went.
            PaymentsPage page(&connection);
            connection.setChannel(server->InProcessChannel(grpc::ChannelArguments()));
            page.show();
            QTRY_VERIFY_WITH_TIMEOUT(page.hasData(), 5000);
            QVERIFY(page.isUnimplemented());
            QVERIFY2(page.problemText().startsWith(QStringLiteral("This backend has no payment channels (it is an "
                                                                  "older version)")),
                     qPrintable(page.problemText()));
            QTRY_VERIFY_WITH_TIMEOUT(page.performanceTab()->statusText().startsWith(
                                         QStringLiteral("This backend has no payment channels")),
                                     5000);
            // The backend is there: the page does not call it unreachable.
            QVERIFY2(connection.state() != BackendConnection::State::Unreachable, qPrintable(connection.detail()));
            QVERIFY(!page.channelsTab()->saveButton()->isEnabled());
            QVERIFY(page.channelsTab()->editingText().startsWith(QStringLiteral("This backend has no payment channels")));
            // The other tabs say so too.
            page.ordersTab()->orderField()->setText(QStringLiteral("100234"));
            QSignalSpy looked(page.ordersTab(), &OrderLookupTab::lookedUp);
            QVERIFY(page.ordersTab()->lookUp());
            QVERIFY(looked.wait(5000));
            QVERIFY2(page.ordersTab()->messageText().contains(QStringLiteral("This backend has no payment channels")),
                     qPrintable(page.ordersTab()->messageText()));
            QVERIFY(connection.state() != BackendConnection::State::Unreachable);
        }
        server->Shutdown();
    }

    void saysWhenTheBackendIsUnreachable()
    {
        Fixture f;
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.loadError = grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused");
        }
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(!f.page->problemText().isEmpty(), 5000);
        QCOMPARE(f.page->problemText(),
                 QStringLiteral("Could not load the payment channels. The backend is not reachable (connection "
                                "refused). The page tries again every 5 s."));
        QVERIFY(!f.page->hasData());
        QVERIFY(!f.page->isUnimplemented());
        QCOMPARE(f.page->headerText(), QStringLiteral("The payment channels are not loaded."));
    }
};

QTEST_MAIN(TestPaymentsPage)
#include "tst_paymentspage.moc"
