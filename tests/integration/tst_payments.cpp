// Payment channels end to end: a backend with its callback listener on 127.0.0.1, and
// WeChat Pay sandboxes (real HTTP, keys generated at start) as its providers. An order
// is paid only by a verified notification or query whose amount equals the order's;
// the same notification delivered twice or concurrently changes the order once; stale,
// tampered and mismatched notifications are refused, recorded and listed; the query
// schedule settles payments whose notification never came and expires unpaid ones;
// routing falls back when a provider is down; refunds go through the paying channel
// and move the order only when the provider confirms; PayOrder is refused once a real
// channel is enabled; and every RPC refuses bad input precisely.

#include "TestSupport.h"

#include "payments/CurlHttpClient.h"
#include "payments/PaymentManager.h"
#include "payments/sandbox/Sandbox.h"

#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/payments.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <barrier>
#include <thread>

using namespace flywheel;
using namespace std::chrono_literals;
namespace sandbox = payments::sandbox;

namespace {

const std::string kSku = "ELE-1001";

template <typename F>
bool eventually(F condition, std::chrono::milliseconds limit = 10s)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

std::unique_ptr<grpc::ClientContext> ctx()
{
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + 20s);
    return c;
}

} // namespace

class TestPayments final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock = std::make_unique<ManualClock>(SystemClock::instance().now());
        m_wechat = sandbox::startSandbox("wechatpay", *m_clock);
        m_backup = sandbox::startSandbox("wechatpay", *m_clock);
        QVERIFY(m_wechat && m_backup);
        BackendOptions options;
        options.databasePath = m_dir->filePath(QStringLiteral("test.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 10;
        options.demoUsers = 2000;
        options.clock = m_clock.get();
        options.manualHousekeeping = true;
        options.payments.callbackListen = "127.0.0.1:0";
        m_backend = Backend::start(options);
        QVERIFY(m_backend->paymentCallbackPort() > 0);
        m_callback = "http://127.0.0.1:" + std::to_string(m_backend->paymentCallbackPort());
        m_channel = m_backend->inProcessChannel();
        m_orders = v1::OrderService::NewStub(m_channel);
        m_payments = v1::PaymentService::NewStub(m_channel);
        QVERIFY(test::receiveStock(m_channel, kSku, 5000).ok());
        saveChannels(channels());
    }

    void cleanup()
    {
        m_backend.reset();
        m_wechat.reset();
        m_backup.reset();
        m_dir.reset();
    }

    void initialConfigHasNoChannels()
    {
        // A fresh daemon database without sandboxes starts with no channels (version 1),
        // then the test's save is version 2.
        const v1::ChannelConfigVersion first = config(1);
        QCOMPARE(first.source(), std::string("initial"));
        QCOMPARE(first.config().channels_size(), 0);
        const v1::ChannelConfigVersion now = config(0);
        QCOMPARE(now.version(), std::int64_t(2));
        QCOMPARE(now.config().channels_size(), 2);
        // Credentials: set, with their paths for the (local) admin.
        for (const v1::Credential &c : now.config().channels(0).credentials()) {
            QCOMPARE(c.status(), std::string("set"));
            QVERIFY(!c.path().empty());
        }
    }

    void paysThroughTheProvider()
    {
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        QCOMPARE(payment.channel_id(), std::string("wechat"));
        QCOMPARE(payment.provider(), std::string("wechatpay"));
        QCOMPARE(payment.state(), v1::PAYMENT_STATE_PENDING);
        QCOMPARE(payment.amount().minor_units(), order.total().minor_units());
        QVERIFY(!payment.pay_url().empty());
        QVERIFY2(payment.route_reason().find("wechat") != std::string::npos, payment.route_reason().c_str());
        // Not paid until the provider says so.
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_CREATED);
        QVERIFY(m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Normal));
        QVERIFY(eventually([&] { return status(order.order_id()) == v1::ORDER_STATUS_PAID; }));
        const v1::OrderPayments listed = orderPayments(order.order_id());
        QCOMPARE(listed.payments_size(), 1);
        QCOMPARE(listed.payments(0).state(), v1::PAYMENT_STATE_SUCCEEDED);
        QVERIFY(!listed.payments(0).provider_payment_id().empty());
        // Reserved once, sold once.
        QCOMPARE(inventoryEvents(order.order_id()), 2);
        // A retry of CreatePayment with the same key returns the same payment.
        QCOMPARE(create(order.order_id(), "key-" + std::to_string(order.order_id())).payment_id(), payment.payment_id());
    }

    void duplicateAndConcurrentNotificationsChangeTheOrderOnce()
    {
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        QVERIFY(m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Never));
        const std::optional<payments::HttpRequest> notification = m_wechat->notificationFor(payment.out_trade_no());
        QVERIFY(notification.has_value());
        const auto before = m_backend->payments().counters();
        constexpr int kSenders = 16;
        std::vector<int> answers(kSenders, 0);
        std::barrier go(kSenders);
        std::vector<std::thread> senders;
        for (int i = 0; i < kSenders; ++i) {
            senders.emplace_back([&, i] {
                payments::CurlHttpClient http;
                go.arrive_and_wait();
                const auto sent = http.send(m_callback + "/notify/wechat", *notification, 10s);
                answers[static_cast<std::size_t>(i)] = sent.ok() ? sent.value().status : -1;
            });
        }
        for (std::thread &t : senders)
            t.join();
        for (int a : answers)
            QCOMPARE(a, 204);
        const auto after = m_backend->payments().counters();
        QCOMPARE(after.applied - before.applied, std::int64_t(1));
        QCOMPARE(after.duplicates - before.duplicates, std::int64_t(kSenders - 1));
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_PAID);
        QCOMPARE(inventoryEvents(order.order_id()), 2);
        // Twice more, later: still one payment, one paid order.
        QVERIFY(send(*notification) == 204);
        QCOMPARE(m_backend->payments().counters().applied - before.applied, std::int64_t(1));
    }

    void staleTamperedAndMismatchedNotificationsAreRefused()
    {
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        QVERIFY(m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Never));
        const payments::HttpRequest good = *m_wechat->notificationFor(payment.out_trade_no());

        payments::HttpRequest tampered = good;
        tampered.body[tampered.body.size() / 2] ^= 0x01;
        QVERIFY(send(tampered) >= 400);
        QCOMPARE(lastRefusal().reason(), std::string("bad_signature"));

        // Six minutes later the same notification is a replay.
        m_clock->advance(6min);
        QVERIFY(send(good) >= 400);
        QCOMPARE(lastRefusal().reason(), std::string("stale"));
        QVERIFY2(lastRefusal().detail().find("300") != std::string::npos, lastRefusal().detail().c_str());
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_CREATED);

        // A verified notification for a different amount: refused and counted, unpaid.
        const v1::Order other = newOrder();
        const v1::Payment second = create(other.order_id());
        QVERIFY(m_wechat->pay(second.out_trade_no(), sandbox::Delivery::Never, other.total().minor_units() - 1));
        QVERIFY(send(*m_wechat->notificationFor(second.out_trade_no())) >= 400);
        const v1::RefusedNotification mismatch = lastRefusal();
        QCOMPARE(mismatch.reason(), std::string("amount_mismatch"));
        QCOMPARE(mismatch.order_id(), other.order_id());
        QCOMPARE(mismatch.channel_id(), std::string("wechat"));
        QVERIFY(!mismatch.peer().empty());
        QCOMPARE(status(other.order_id()), v1::ORDER_STATUS_CREATED);
        QCOMPARE(paymentState(second.payment_id()), v1::PAYMENT_STATE_PENDING);

        // An unknown channel and an unknown path.
        QCOMPARE(send(good, "/notify/nope"), 404);
        QCOMPARE(lastRefusal().reason(), std::string("unknown_channel"));
        QCOMPARE(send(good, "/elsewhere"), 404);

        // The figures: refused notifications and mismatches per channel.
        const v1::ChannelStatsSnapshot stats = m_backend ? snapshot() : v1::ChannelStatsSnapshot();
        const v1::ChannelStats *wechat = nullptr;
        for (const v1::ChannelStats &c : stats.channels())
            wechat = c.channel_id() == "wechat" ? &c : wechat;
        QVERIFY(wechat != nullptr);
        QCOMPARE(wechat->refused_notifications(), std::int64_t(3));
        QCOMPARE(wechat->amount_mismatches(), std::int64_t(1));
    }

    void queriesSettleWhenNoNotificationComes()
    {
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        QVERIFY(m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Never));
        // Not yet due.
        m_backend->housekeep();
        m_backend->payments().drain();
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_CREATED);
        m_clock->advance(61s);
        m_backend->housekeep();
        m_backend->payments().drain();
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_PAID);
        QCOMPARE(paymentState(payment.payment_id()), v1::PAYMENT_STATE_SUCCEEDED);
    }

    void unpaidPaymentsExpireWithTheirOrder()
    {
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        m_clock->advance(16min);
        m_backend->housekeep();
        m_backend->payments().drain();
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_EXPIRED);
        QCOMPARE(paymentState(payment.payment_id()), v1::PAYMENT_STATE_EXPIRED);
        // Paying it now cannot pay the order.
        QVERIFY(!m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Normal));
        // A new payment for an expired order is refused.
        grpc::Status refused = createStatus(order.order_id(), "late");
        QCOMPARE(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    }

    void fallsBackWhenTheProviderIsDown()
    {
        sandbox::Behaviour down;
        down.failCreate = true;
        m_wechat->setBehaviour(down);
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        QCOMPARE(payment.channel_id(), std::string("backup"));
        QCOMPARE(payment.state(), v1::PAYMENT_STATE_PENDING);
        QVERIFY2(payment.route_reason().find("fell back to backup") != std::string::npos, payment.route_reason().c_str());
        QVERIFY(m_backup->pay(payment.out_trade_no(), sandbox::Delivery::Normal));
        QVERIFY(eventually([&] { return status(order.order_id()) == v1::ORDER_STATUS_PAID; }));
        // Both down: UNAVAILABLE naming each, and the payment recorded as failed.
        m_backup->setBehaviour(down);
        const v1::Order second = newOrder();
        const grpc::Status none = createStatus(second.order_id(), "both-down");
        QCOMPARE(none.error_code(), grpc::StatusCode::UNAVAILABLE);
        QVERIFY2(none.error_message().find("wechat") != std::string::npos, none.error_message().c_str());
        QCOMPARE(orderPayments(second.order_id()).payments(0).state(), v1::PAYMENT_STATE_FAILED);
    }

    void refundsGoThroughThePayingChannel()
    {
        const v1::Order order = paidOrder();
        // The shortcut refund is refused for a channel-paid order.
        v1::RefundOrderRequest shortcut;
        shortcut.set_order_id(order.order_id());
        v1::Order ignored;
        const grpc::Status refused = m_orders->RefundOrder(ctx().get(), shortcut, &ignored);
        QCOMPARE(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY(refused.error_message().find("RefundOrderPayment") != std::string::npos);

        const v1::Refund refund = refundOrder(order.order_id(), "customer returned the goods");
        QCOMPARE(refund.state(), v1::REFUND_STATE_SUCCEEDED);
        QCOMPARE(refund.amount().minor_units(), order.total().minor_units());
        QVERIFY(!refund.provider_refund_id().empty());
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_REFUNDED);
        // Once.
        v1::RefundOrderPaymentRequest again;
        again.set_order_id(order.order_id());
        again.set_reason("again");
        v1::Refund out;
        QCOMPARE(m_payments->RefundOrderPayment(ctx().get(), again, &out).error_code(),
                 grpc::StatusCode::FAILED_PRECONDITION);
    }

    void asyncRefundMovesTheOrderOnlyWhenConfirmed()
    {
        sandbox::Behaviour slow;
        slow.asyncRefund = true;
        slow.lateDelay = 200ms;
        m_wechat->setBehaviour(slow);
        const v1::Order order = paidOrder();
        const v1::Refund refund = refundOrder(order.order_id(), "damaged");
        QCOMPARE(refund.state(), v1::REFUND_STATE_PENDING);
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_PAID);
        // The provider's REFUND.SUCCESS notification arrives a little later.
        QVERIFY(eventually([&] { return status(order.order_id()) == v1::ORDER_STATUS_REFUNDED; }));
        QCOMPARE(orderPayments(order.order_id()).refunds(0).state(), v1::REFUND_STATE_SUCCEEDED);
    }

    void strayMoneyIsRefundedOnItsOwn()
    {
        // The buyer pays twice (two payments of one order, both paid before either is
        // closed): the first pays the order, the second's money is owed back.
        const v1::Order order = newOrder();
        const v1::Payment first = create(order.order_id(), "first");
        const v1::Payment second = create(order.order_id(), "second");
        QVERIFY(m_wechat->pay(first.out_trade_no(), sandbox::Delivery::Never));
        QVERIFY(m_wechat->pay(second.out_trade_no(), sandbox::Delivery::Never));
        QCOMPARE(send(*m_wechat->notificationFor(first.out_trade_no())), 204);
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_PAID);
        // The second is recorded as succeeded (the provider is told it arrived), as money
        // that did not pay the order.
        QCOMPARE(send(*m_wechat->notificationFor(second.out_trade_no())), 204);
        v1::OrderPayments listed = orderPayments(order.order_id());
        QCOMPARE(listed.payments_size(), 2);
        const v1::Payment &strayed = listed.payments(0); // newest first
        QCOMPARE(strayed.payment_id(), second.payment_id());
        QCOMPARE(strayed.state(), v1::PAYMENT_STATE_SUCCEEDED);
        QVERIFY(!strayed.paid_order());
        QCOMPARE(strayed.refundable().minor_units(), order.total().minor_units());
        QVERIFY(listed.payments(1).paid_order());
        QCOMPARE(listed.payments(1).refundable().minor_units(), std::int64_t(0));
        QCOMPARE(dbScalar("SELECT COUNT(*) FROM payments WHERE paid_order = 1 AND order_id = " +
                          std::to_string(order.order_id())),
                 std::int64_t(1));

        // The paying payment is refunded with the order, not on its own.
        v1::RefundOrderPaymentRequest request;
        request.set_order_id(order.order_id());
        request.set_payment_id(first.payment_id());
        request.set_reason("on its own");
        v1::Refund out;
        grpc::Status s = m_payments->RefundOrderPayment(ctx().get(), request, &out);
        QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(s.error_message().find("refund the order instead") != std::string::npos, s.error_message().c_str());

        // The stray money goes back; the order stays paid.
        request.set_payment_id(second.payment_id());
        request.set_reason("paid twice");
        QVERIFY(m_payments->RefundOrderPayment(ctx().get(), request, &out).ok());
        QCOMPARE(out.payment_id(), second.payment_id());
        QCOMPARE(out.state(), v1::REFUND_STATE_SUCCEEDED);
        QCOMPARE(out.amount().minor_units(), order.total().minor_units());
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_PAID);
        // Once.
        s = m_payments->RefundOrderPayment(ctx().get(), request, &out);
        QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(s.error_message().find("already has refund") != std::string::npos, s.error_message().c_str());
        // The order itself can still be refunded, through its own payment.
        const v1::Refund whole = refundOrder(order.order_id(), "returned");
        QCOMPARE(whole.payment_id(), first.payment_id());
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_REFUNDED);
        listed = orderPayments(order.order_id());
        QCOMPARE(listed.refunds_size(), 2);
    }

    void cancelledAndReplacedPaymentsAreClosed()
    {
        // A cancelled order's open payment is closed at the provider at the next tick.
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        v1::CancelOrderRequest cancel;
        cancel.set_order_id(order.order_id());
        v1::Order cancelled;
        QVERIFY(m_orders->CancelOrder(ctx().get(), cancel, &cancelled).ok());
        m_backend->housekeep();
        m_backend->payments().drain();
        v1::OrderPayments listed = orderPayments(order.order_id());
        QCOMPARE(listed.payments(0).state(), v1::PAYMENT_STATE_EXPIRED);
        QVERIFY2(listed.payments(0).detail().find("cancelled") != std::string::npos, listed.payments(0).detail().c_str());
        QVERIFY(!m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Normal));

        // A payment replaced by a newer one of the same order (the buyer chose again) is
        // closed; the newer one stays open and pays the order.
        const v1::Order again = newOrder();
        const v1::Payment earlier = create(again.order_id(), "earlier");
        const v1::Payment later = create(again.order_id(), "later");
        m_backend->housekeep();
        m_backend->payments().drain();
        QCOMPARE(paymentState(earlier.payment_id()), v1::PAYMENT_STATE_EXPIRED);
        listed = orderPayments(again.order_id());
        QVERIFY2(listed.payments(1).detail().find("replaced by payment " + std::to_string(later.payment_id())) !=
                     std::string::npos,
                 listed.payments(1).detail().c_str());
        QCOMPARE(paymentState(later.payment_id()), v1::PAYMENT_STATE_PENDING);
        QVERIFY(!m_wechat->pay(earlier.out_trade_no(), sandbox::Delivery::Normal));
        QVERIFY(m_wechat->pay(later.out_trade_no(), sandbox::Delivery::Normal));
        QVERIFY(eventually([&] { return status(again.order_id()) == v1::ORDER_STATUS_PAID; }));
    }

    void lostRefundIsAskedForAgain()
    {
        const v1::Order order = paidOrder();
        sandbox::Behaviour lossy;
        lossy.loseRefund = true;
        m_wechat->setBehaviour(lossy);
        const v1::Refund refund = refundOrder(order.order_id(), "lost on its way");
        QCOMPARE(refund.state(), v1::REFUND_STATE_PENDING);
        QVERIFY2(refund.detail().find("did not answer") != std::string::npos, refund.detail().c_str());
        m_wechat->setBehaviour({});
        // Soon after, the provider not knowing it is no reason to ask again.
        m_backend->housekeep();
        m_backend->payments().drain();
        QCOMPARE(orderPayments(order.order_id()).refunds(0).state(), v1::REFUND_STATE_PENDING);
        // Minutes later it is asked for again, with the same refund number, and confirmed.
        m_clock->advance(3min);
        m_backend->housekeep();
        m_backend->payments().drain();
        const v1::Refund done = orderPayments(order.order_id()).refunds(0);
        QCOMPARE(done.state(), v1::REFUND_STATE_SUCCEEDED);
        QCOMPARE(done.out_refund_no(), refund.out_refund_no());
        QCOMPARE(status(order.order_id()), v1::ORDER_STATUS_REFUNDED);
    }

    void aFailedCommitIsStoredWithTheRetry()
    {
        // The database refuses the paid order once (as a full disk would): the
        // notification is answered with a failure and the order stays unpaid in the
        // database. The provider's retry pays it, rather than recording the payment as
        // money to give back.
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        QVERIFY(m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Never));
        const payments::HttpRequest notification = *m_wechat->notificationFor(payment.out_trade_no());
        QVERIFY(dbExec("CREATE TRIGGER refuse_paid BEFORE UPDATE OF status ON orders WHEN NEW.status = 1 "
                       "BEGIN SELECT RAISE(ABORT, 'the test refuses paid orders'); END"));
        const int refused = send(notification);
        QVERIFY2(refused >= 500, std::to_string(refused).c_str());
        QCOMPARE(dbScalar("SELECT status FROM orders WHERE order_id = " + std::to_string(order.order_id())),
                 std::int64_t(0));
        QVERIFY(dbExec("DROP TRIGGER refuse_paid"));
        QCOMPARE(send(notification), 204);
        QCOMPARE(dbScalar("SELECT status FROM orders WHERE order_id = " + std::to_string(order.order_id())),
                 std::int64_t(1));
        const v1::OrderPayments listed = orderPayments(order.order_id());
        QCOMPARE(listed.payments(0).state(), v1::PAYMENT_STATE_SUCCEEDED);
        QVERIFY(listed.payments(0).paid_order());
        QCOMPARE(listed.payments(0).refundable().minor_units(), std::int64_t(0));
        QCOMPARE(inventoryEvents(order.order_id()), 2);
    }

    void payOrderShortcutIsRefusedWithARealChannel()
    {
        const v1::Order order = newOrder();
        v1::Order paid;
        const grpc::Status refused = test::payOrder(*m_orders, order.order_id(), &paid);
        QCOMPARE(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(refused.error_message().find("CreatePayment") != std::string::npos, refused.error_message().c_str());
    }

    void previewExplainsTheRoute()
    {
        v1::PreviewRouteRequest request;
        request.mutable_amount()->set_minor_units(128'000);
        request.mutable_amount()->set_currency("CNY");
        v1::RouteDecision decision;
        QVERIFY(m_payments->PreviewRoute(ctx().get(), request, &decision).ok());
        QCOMPARE(decision.channel_id(), std::string("wechat"));
        QCOMPARE(decision.candidates_size(), 2);
        // Above wechat's maximum: backup.
        request.mutable_amount()->set_minor_units(600'000);
        QVERIFY(m_payments->PreviewRoute(ctx().get(), request, &decision).ok());
        QCOMPARE(decision.channel_id(), std::string("backup"));
        bool named = false;
        for (const v1::RouteCandidate &c : decision.candidates())
            named = named || (c.channel_id() == "wechat" && !c.eligible() && c.reason().find("maximum") != std::string::npos);
        QVERIFY(named);
        // A draft with wechat disabled.
        *request.mutable_config() = config(0).config();
        request.mutable_config()->mutable_channels(0)->set_enabled(false);
        request.mutable_amount()->set_minor_units(1000);
        QVERIFY(m_payments->PreviewRoute(ctx().get(), request, &decision).ok());
        QCOMPARE(decision.channel_id(), std::string("backup"));
    }

    void versionsAreAuditedAndRestorable()
    {
        v1::ChannelConfig edited = config(0).config();
        edited.mutable_channels(0)->set_fee_bp(75);
        // Paths left empty keep the stored ones.
        for (v1::Credential &c : *edited.mutable_channels(0)->mutable_credentials())
            c.clear_path();
        const v1::ChannelConfigVersion saved = saveChannels(edited, 2);
        QCOMPARE(saved.version(), std::int64_t(3));
        QCOMPARE(saved.config().channels(0).fee_bp(), 75);
        for (const v1::Credential &c : saved.config().channels(0).credentials())
            QCOMPARE(c.status(), std::string("set"));
        // A stale base is ABORTED.
        v1::SaveChannelConfigRequest stale;
        stale.set_base_version(2);
        *stale.mutable_config() = edited;
        stale.set_reason("stale");
        v1::ChannelConfigVersion out;
        QCOMPARE(m_payments->SaveChannelConfig(ctx().get(), stale, &out).error_code(), grpc::StatusCode::ABORTED);
        // Roll back to 2.
        v1::RollbackChannelConfigRequest back;
        back.set_to_version(2);
        back.set_base_version(3);
        back.set_reason("fee change was a mistake");
        QVERIFY(m_payments->RollbackChannelConfig(ctx().get(), back, &out).ok());
        QCOMPARE(out.version(), std::int64_t(4));
        QCOMPARE(out.config().channels(0).fee_bp(), 60);
        v1::ListChannelConfigVersionsRequest list;
        v1::ListChannelConfigVersionsResponse versions;
        QVERIFY(m_payments->ListChannelConfigVersions(ctx().get(), list, &versions).ok());
        QCOMPARE(versions.versions_size(), 4);
        QCOMPARE(versions.versions(0).actor(), std::string("local"));
    }

    void badInputIsRefusedPrecisely()
    {
        const auto expect = [](const grpc::Status &s, grpc::StatusCode code, const std::string &words) {
            QVERIFY2(s.error_code() == code, (std::to_string(s.error_code()) + " " + s.error_message()).c_str());
            QVERIFY2(s.error_message().find(words) != std::string::npos, s.error_message().c_str());
        };
        v1::Payment payment;
        v1::CreatePaymentRequest create;
        expect(m_payments->CreatePayment(ctx().get(), create, &payment), grpc::StatusCode::INVALID_ARGUMENT, "order_id");
        create.set_order_id(1);
        expect(m_payments->CreatePayment(ctx().get(), create, &payment), grpc::StatusCode::INVALID_ARGUMENT,
               "idempotency_key");
        create.set_idempotency_key("k");
        create.set_channel_id("nope");
        expect(m_payments->CreatePayment(ctx().get(), create, &payment), grpc::StatusCode::INVALID_ARGUMENT, "nope");
        create.set_channel_id("");
        create.set_order_id(99'999'999);
        expect(m_payments->CreatePayment(ctx().get(), create, &payment), grpc::StatusCode::NOT_FOUND, "99999999");

        v1::GetPaymentRequest get;
        expect(m_payments->GetPayment(ctx().get(), get, &payment), grpc::StatusCode::INVALID_ARGUMENT, "payment_id");
        get.set_payment_id(424242);
        expect(m_payments->GetPayment(ctx().get(), get, &payment), grpc::StatusCode::NOT_FOUND, "424242");

        v1::OrderPayments listed;
        v1::ListOrderPaymentsRequest list;
        expect(m_payments->ListOrderPayments(ctx().get(), list, &listed), grpc::StatusCode::INVALID_ARGUMENT,
               "order_id");
        list.set_order_id(99'999'999);
        expect(m_payments->ListOrderPayments(ctx().get(), list, &listed), grpc::StatusCode::NOT_FOUND, "99999999");

        v1::Refund refund;
        v1::RefundOrderPaymentRequest r;
        expect(m_payments->RefundOrderPayment(ctx().get(), r, &refund), grpc::StatusCode::INVALID_ARGUMENT, "order_id");
        const v1::Order unpaid = newOrder();
        r.set_order_id(unpaid.order_id());
        expect(m_payments->RefundOrderPayment(ctx().get(), r, &refund), grpc::StatusCode::INVALID_ARGUMENT, "reason");
        r.set_reason("why not");
        expect(m_payments->RefundOrderPayment(ctx().get(), r, &refund), grpc::StatusCode::FAILED_PRECONDITION,
               "not paid through a payment channel");
        r.set_payment_id(-3);
        expect(m_payments->RefundOrderPayment(ctx().get(), r, &refund), grpc::StatusCode::INVALID_ARGUMENT,
               "payment_id");
        r.set_payment_id(777'777);
        expect(m_payments->RefundOrderPayment(ctx().get(), r, &refund), grpc::StatusCode::NOT_FOUND, "777777");
        // A payment still waiting holds no money to give back.
        v1::Payment waiting;
        QVERIFY(createStatus(unpaid.order_id(), "waiting", &waiting).ok());
        r.set_payment_id(waiting.payment_id());
        expect(m_payments->RefundOrderPayment(ctx().get(), r, &refund), grpc::StatusCode::FAILED_PRECONDITION,
               "no money");

        v1::ChannelConfigVersion version;
        v1::GetChannelConfigRequest g;
        g.set_version(-1);
        expect(m_payments->GetChannelConfig(ctx().get(), g, &version), grpc::StatusCode::INVALID_ARGUMENT, "version");
        g.set_version(99);
        expect(m_payments->GetChannelConfig(ctx().get(), g, &version), grpc::StatusCode::NOT_FOUND, "99");

        v1::ListChannelConfigVersionsRequest lv;
        lv.set_limit(501);
        v1::ListChannelConfigVersionsResponse versions;
        expect(m_payments->ListChannelConfigVersions(ctx().get(), lv, &versions), grpc::StatusCode::INVALID_ARGUMENT,
               "limit");

        v1::SaveChannelConfigRequest save;
        save.set_base_version(-1);
        expect(m_payments->SaveChannelConfig(ctx().get(), save, &version), grpc::StatusCode::INVALID_ARGUMENT,
               "base_version");
        save.set_base_version(2);
        expect(m_payments->SaveChannelConfig(ctx().get(), save, &version), grpc::StatusCode::INVALID_ARGUMENT, "config");
        *save.mutable_config() = config(0).config();
        save.mutable_config()->mutable_channels(1)->set_fee_bp(20000);
        save.set_reason("too dear");
        expect(m_payments->SaveChannelConfig(ctx().get(), save, &version), grpc::StatusCode::INVALID_ARGUMENT,
               "fee_bp");
        save.mutable_config()->mutable_channels(1)->set_fee_bp(10);
        save.set_reason("");
        expect(m_payments->SaveChannelConfig(ctx().get(), save, &version), grpc::StatusCode::INVALID_ARGUMENT,
               "reason");

        v1::RollbackChannelConfigRequest back;
        expect(m_payments->RollbackChannelConfig(ctx().get(), back, &version), grpc::StatusCode::INVALID_ARGUMENT,
               "to_version");
        back.set_to_version(1);
        expect(m_payments->RollbackChannelConfig(ctx().get(), back, &version), grpc::StatusCode::INVALID_ARGUMENT,
               "base_version");

        v1::PreviewRouteRequest preview;
        v1::RouteDecision decision;
        expect(m_payments->PreviewRoute(ctx().get(), preview, &decision), grpc::StatusCode::INVALID_ARGUMENT, "amount");
        preview.mutable_amount()->set_minor_units(100);
        preview.mutable_amount()->set_currency("yuan");
        expect(m_payments->PreviewRoute(ctx().get(), preview, &decision), grpc::StatusCode::INVALID_ARGUMENT, "yuan");

        v1::ListRefusedNotificationsRequest refused;
        refused.set_limit(1001);
        v1::ListRefusedNotificationsResponse notes;
        expect(m_payments->ListRefusedNotifications(ctx().get(), refused, &notes), grpc::StatusCode::INVALID_ARGUMENT,
               "limit");
    }

private:
    v1::ChannelConfig channels()
    {
        v1::ChannelConfig c;
        c.set_success_window_minutes(15);
        c.set_query_after_seconds(60);
        const auto add = [&](const std::string &id, sandbox::Sandbox &box, int priority, std::int64_t max) {
            const payments::AdapterSettings ids = box.settings();
            v1::Channel *ch = c.add_channels();
            ch->set_id(id);
            ch->set_provider("wechatpay");
            ch->set_display_name(id);
            ch->set_enabled(true);
            ch->set_priority(priority);
            ch->set_fee_bp(60);
            ch->set_min_amount_minor(1);
            ch->set_max_amount_minor(max);
            ch->add_currencies("CNY");
            ch->set_min_attempts(20);
            ch->set_endpoint(box.endpoint());
            ch->set_merchant_id(ids.merchantId);
            ch->set_app_id(ids.appId);
            ch->set_merchant_serial(ids.merchantSerial);
            ch->set_platform_serial(ids.platformSerial);
            ch->set_confirmations(1);
            ch->set_invoice_expiry_minutes(15);
            for (const auto &[name, path] : box.writeCredentials(m_dir->filePath(QString::fromStdString(id)).toStdString())) {
                v1::Credential *cred = ch->add_credentials();
                cred->set_name(name);
                cred->set_path(path);
            }
        };
        add("wechat", *m_wechat, 1, 500'000);
        add("backup", *m_backup, 2, 0);
        return c;
    }

    v1::ChannelConfigVersion saveChannels(const v1::ChannelConfig &c, std::int64_t base = 1)
    {
        v1::SaveChannelConfigRequest request;
        request.set_base_version(base);
        *request.mutable_config() = c;
        request.set_reason("the test's channels");
        v1::ChannelConfigVersion out;
        const grpc::Status s = m_payments->SaveChannelConfig(ctx().get(), request, &out);
        if (!s.ok())
            qFatal("SaveChannelConfig: %s", s.error_message().c_str());
        return out;
    }

    v1::ChannelConfigVersion config(std::int64_t version)
    {
        v1::GetChannelConfigRequest request;
        request.set_version(version);
        v1::ChannelConfigVersion out;
        const grpc::Status s = m_payments->GetChannelConfig(ctx().get(), request, &out);
        if (!s.ok())
            qFatal("GetChannelConfig: %s", s.error_message().c_str());
        return out;
    }

    v1::Order newOrder()
    {
        v1::CreateOrderRequest request;
        request.set_uid(100000 + ++m_users);
        v1::OrderItem *item = request.add_items();
        item->set_sku(kSku);
        item->set_quantity(1);
        v1::Order order;
        const grpc::Status s = test::createOrder(*m_orders, request, &order);
        if (!s.ok())
            qFatal("CreateOrder: %s", s.error_message().c_str());
        return order;
    }

    grpc::Status createStatus(std::int64_t orderId, const std::string &key, v1::Payment *out = nullptr)
    {
        v1::CreatePaymentRequest request;
        request.set_order_id(orderId);
        request.set_idempotency_key(key);
        v1::Payment ignored;
        return m_payments->CreatePayment(ctx().get(), request, out != nullptr ? out : &ignored);
    }

    v1::Payment create(std::int64_t orderId, std::string key = {})
    {
        if (key.empty())
            key = "key-" + std::to_string(orderId);
        v1::Payment payment;
        const grpc::Status s = createStatus(orderId, key, &payment);
        if (!s.ok())
            qFatal("CreatePayment: %s", s.error_message().c_str());
        return payment;
    }

    v1::Order paidOrder()
    {
        const v1::Order order = newOrder();
        const v1::Payment payment = create(order.order_id());
        m_wechat->pay(payment.out_trade_no(), sandbox::Delivery::Normal);
        if (!eventually([&] { return status(order.order_id()) == v1::ORDER_STATUS_PAID; }))
            qFatal("order %lld was not paid", static_cast<long long>(order.order_id()));
        return order;
    }

    v1::Refund refundOrder(std::int64_t orderId, const std::string &reason)
    {
        v1::RefundOrderPaymentRequest request;
        request.set_order_id(orderId);
        request.set_reason(reason);
        v1::Refund out;
        const grpc::Status s = m_payments->RefundOrderPayment(ctx().get(), request, &out);
        if (!s.ok())
            qFatal("RefundOrderPayment: %s", s.error_message().c_str());
        return out;
    }

    v1::OrderStatus status(std::int64_t orderId)
    {
        v1::GetOrderRequest request;
        request.set_order_id(orderId);
        v1::Order order;
        m_orders->GetOrder(ctx().get(), request, &order);
        return order.status();
    }

    v1::PaymentState paymentState(std::int64_t paymentId)
    {
        v1::GetPaymentRequest request;
        request.set_payment_id(paymentId);
        v1::Payment out;
        m_payments->GetPayment(ctx().get(), request, &out);
        return out.state();
    }

    v1::OrderPayments orderPayments(std::int64_t orderId)
    {
        v1::ListOrderPaymentsRequest request;
        request.set_order_id(orderId);
        v1::OrderPayments out;
        m_payments->ListOrderPayments(ctx().get(), request, &out);
        return out;
    }

    v1::RefusedNotification lastRefusal()
    {
        v1::ListRefusedNotificationsRequest request;
        request.set_limit(1);
        v1::ListRefusedNotificationsResponse out;
        m_payments->ListRefusedNotifications(ctx().get(), request, &out);
        return out.notifications_size() > 0 ? out.notifications(0) : v1::RefusedNotification();
    }

    v1::ChannelStatsSnapshot snapshot()
    {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + 10s);
        v1::StreamChannelStatsRequest request;
        auto reader = m_payments->StreamChannelStats(&context, request);
        v1::ChannelStatsSnapshot out;
        reader->Read(&out);
        context.TryCancel();
        return out;
    }

    int send(const payments::HttpRequest &request, const std::string &path = "/notify/wechat")
    {
        payments::CurlHttpClient http;
        const auto sent = http.send(m_callback + path, request, 10s);
        return sent.ok() ? sent.value().status : -1;
    }

    bool dbExec(const std::string &sql)
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(m_backend->databasePath().c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_busy_timeout(db, 5000);
        char *error = nullptr;
        const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
        if (!ok)
            qWarning("%s: %s", sql.c_str(), error != nullptr ? error : "?");
        sqlite3_free(error);
        sqlite3_close(db);
        return ok;
    }

    std::int64_t dbScalar(const std::string &sql)
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(m_backend->databasePath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *stmt = nullptr;
        std::int64_t value = -1;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return value;
    }

    int inventoryEvents(std::int64_t orderId)
    {
        sqlite3 *db = nullptr;
        sqlite3_open_v2(m_backend->databasePath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *stmt = nullptr;
        int count = -1;
        const std::string sql = "SELECT COUNT(*) FROM inventory_events WHERE order_id = " + std::to_string(orderId);
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            count = sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return count;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<sandbox::Sandbox> m_wechat;
    std::unique_ptr<sandbox::Sandbox> m_backup;
    std::unique_ptr<Backend> m_backend;
    std::string m_callback;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    std::unique_ptr<v1::PaymentService::Stub> m_payments;
    int m_users = 0;
};

QTEST_GUILESS_MAIN(TestPayments)
#include "tst_payments.moc"
