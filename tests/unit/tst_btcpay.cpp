#include "payments/BtcpayAdapter.h"
#include "payments/Crypto.h"
#include "payments/CurlHttpClient.h"
#include "payments/sandbox/BtcpaySandbox.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

using namespace flywheel;
using namespace flywheel::payments;
using flywheel::payments::sandbox::BtcpaySandbox;
using flywheel::payments::sandbox::Delivery;
using nlohmann::json;

namespace {

constexpr std::int64_t T0 = 1733560000; // 2024-12-07T08:26:40Z

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

/// Forwards to libcurl and keeps what the adapter sent.
class RecordingClient final : public HttpClient {
public:
    Result<HttpResponse> send(const std::string &url, const HttpRequest &request,
                              std::chrono::milliseconds timeout) override
    {
        {
            std::lock_guard lock(m_mutex);
            m_sent.push_back(request);
        }
        return m_curl.send(url, request, timeout);
    }
    HttpRequest last()
    {
        std::lock_guard lock(m_mutex);
        return m_sent.back();
    }

private:
    CurlHttpClient m_curl;
    std::mutex m_mutex;
    std::vector<HttpRequest> m_sent;
};

/// The callback listener's stand-in: keeps every webhook as it came.
class Receiver {
public:
    Receiver()
    {
        m_server.Post("/notify/btc", [this](const httplib::Request &req, httplib::Response &res) {
            HttpRequest got;
            got.method = req.method;
            got.target = req.path;
            for (const auto &[name, value] : req.headers)
                got.headers[name] = value;
            got.body = req.body;
            {
                std::lock_guard lock(m_mutex);
                m_got.push_back(std::move(got));
            }
            m_cv.notify_all();
            res.status = 200;
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running())
            std::this_thread::yield();
    }
    ~Receiver()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/notify/btc"; }
    /// Waits (10 s at most) for `n` webhooks; all of them.
    std::vector<HttpRequest> waitFor(std::size_t n)
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, std::chrono::seconds(10), [&] { return m_got.size() >= n; });
        return m_got;
    }

private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<HttpRequest> m_got;
};

using Verdict = std::variant<Notification, NotificationRefusal>;

} // namespace

class TestBtcpay final : public QObject {
    Q_OBJECT

private:
    ManualClock m_clock{fromEpochMs(T0 * 1000)};
    std::unique_ptr<BtcpaySandbox> m_sandbox;
    RecordingClient m_http;

    std::unique_ptr<PaymentAdapter> adapter(int confirmations = 0, int toleranceBp = 0,
                                            std::optional<AdapterSettings> given = std::nullopt)
    {
        AdapterSettings settings = given ? *given : m_sandbox->settings();
        settings.confirmations = confirmations;
        settings.paymentToleranceBp = toleranceBp;
        auto made = makeAdapter("btcpay", settings, m_http, m_clock);
        if (!made.ok())
            qFatal("makeAdapter: %s", made.error().message.c_str());
        return std::move(made).value();
    }

    /// An envelope as BTCPay signs it (indented), with the sandbox's secret.
    HttpRequest webhook(std::int64_t timestamp, bool redelivery = false, std::string storeId = {},
                        bool withTimestamp = true)
    {
        nlohmann::ordered_json body;
        body["deliveryId"] = "Dlv1";
        body["webhookId"] = "Wh1";
        body["originalDeliveryId"] = "Dlv0";
        body["isRedelivery"] = redelivery;
        body["type"] = "InvoiceSettled";
        if (withTimestamp)
            body["timestamp"] = timestamp;
        body["storeId"] = storeId.empty() ? m_sandbox->storeId() : storeId;
        body["invoiceId"] = "Inv1";
        body["metadata"] = {{"orderId", "42-1"}};
        body["manuallyMarked"] = false;
        body["overPaid"] = false;
        HttpRequest request;
        request.method = "POST";
        request.target = "/notify/btc";
        request.body = body.dump(2);
        request.headers["BTCPay-Sig"] =
            "sha256=" + crypto::hexEncode(crypto::hmacSha256(m_sandbox->settings().webhookSecret, request.body));
        return request;
    }

    static NotificationRefusal refused(const Verdict &verdict)
    {
        if (!std::holds_alternative<NotificationRefusal>(verdict))
            qFatal("the notification was accepted");
        return std::get<NotificationRefusal>(verdict);
    }

    /// Creates an invoice for `outTradeNo` and returns its id.
    std::string create(PaymentAdapter &btc, const std::string &outTradeNo, std::int64_t amount,
                       const std::string &currency = "USD")
    {
        auto made = btc.create(CreateRequest{outTradeNo, amount, currency, "order", m_clock.now()});
        if (!made.ok())
            qFatal("create: %s", made.error().message.c_str());
        return made.value().providerPaymentId;
    }

    PaymentReport query(PaymentAdapter &btc, const std::string &outTradeNo, const std::string &id)
    {
        auto report = btc.query(outTradeNo, id);
        if (!report.ok())
            qFatal("query: %s", report.error().message.c_str());
        return report.value();
    }

private Q_SLOTS:
    void init()
    {
        m_clock.set(fromEpochMs(T0 * 1000));
        m_sandbox = std::make_unique<BtcpaySandbox>(m_clock);
        QVERIFY(m_sandbox->running());
        m_sandbox->setAutoConfirm(false);
    }
    void cleanup() { m_sandbox.reset(); }

    void validWebhookAccepted()
    {
        auto btc = adapter();
        const Verdict verdict = btc->verifyNotification(webhook(T0), m_clock.now());
        QVERIFY(std::holds_alternative<Notification>(verdict));
        const auto &notification = std::get<Notification>(verdict);
        QCOMPARE(q(notification.notificationId), QStringLiteral("Dlv1"));
        QCOMPARE(q(notification.queryProviderId), QStringLiteral("Inv1"));
        QCOMPARE(q(notification.queryOutTradeNo), QStringLiteral("42-1"));
        // No amount in a BTCPay webhook: the manager must query.
        QVERIFY(!notification.payment);
        QVERIFY(!notification.refund);
        // Upper-case hex is the same HMAC.
        HttpRequest upper = webhook(T0);
        std::string sig = upper.headers["BTCPay-Sig"];
        std::transform(sig.begin() + 7, sig.end(), sig.begin() + 7, [](unsigned char c) { return std::toupper(c); });
        upper.headers["BTCPay-Sig"] = sig;
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(upper, m_clock.now())));
    }

    void flippedBytesRefused()
    {
        auto btc = adapter();
        HttpRequest body = webhook(T0);
        body.body[body.body.size() / 2] ^= 0x01;
        auto refusal = refused(btc->verifyNotification(body, m_clock.now()));
        QCOMPARE(refusal.reason, RefusalReason::BadSignature);
        QVERIFY(refusal.detail.find("does not match") != std::string::npos);

        HttpRequest sig = webhook(T0);
        std::string &header = sig.headers["BTCPay-Sig"];
        header.back() = header.back() == '0' ? '1' : '0';
        QCOMPARE(refused(btc->verifyNotification(sig, m_clock.now())).reason, RefusalReason::BadSignature);

        // Another secret signs another HMAC.
        HttpRequest other = webhook(T0);
        other.headers["BTCPay-Sig"] = "sha256=" + crypto::hexEncode(crypto::hmacSha256("not the secret", other.body));
        QCOMPARE(refused(btc->verifyNotification(other, m_clock.now())).reason, RefusalReason::BadSignature);
    }

    void missingOrOddHeaderRefused()
    {
        auto btc = adapter();
        HttpRequest missing = webhook(T0);
        missing.headers.erase("BTCPay-Sig");
        auto refusal = refused(btc->verifyNotification(missing, m_clock.now()));
        QCOMPARE(refusal.reason, RefusalReason::BadSignature);
        QCOMPARE(q(refusal.detail), QStringLiteral("BTCPay-Sig header missing"));

        HttpRequest sha1 = webhook(T0);
        sha1.headers["BTCPay-Sig"] = "sha1=" + sha1.headers["BTCPay-Sig"].substr(7);
        QCOMPARE(refused(btc->verifyNotification(sha1, m_clock.now())).reason, RefusalReason::Malformed);

        HttpRequest notHex = webhook(T0);
        notHex.headers["BTCPay-Sig"] = "sha256=" + std::string(64, 'z');
        QCOMPARE(refused(btc->verifyNotification(notHex, m_clock.now())).reason, RefusalReason::Malformed);

        // Signed garbage is authentic but malformed.
        HttpRequest garbage = webhook(T0);
        garbage.body = "not json";
        garbage.headers["BTCPay-Sig"] =
            "sha256=" + crypto::hexEncode(crypto::hmacSha256(m_sandbox->settings().webhookSecret, garbage.body));
        QCOMPARE(refused(btc->verifyNotification(garbage, m_clock.now())).reason, RefusalReason::Malformed);
    }

    void otherStoreRefused()
    {
        auto btc = adapter();
        auto refusal = refused(btc->verifyNotification(webhook(T0, false, "SomeoneElse"), m_clock.now()));
        QCOMPARE(refusal.reason, RefusalReason::WrongMerchant);
        QVERIFY(refusal.detail.find("SomeoneElse") != std::string::npos);
        QCOMPARE(q(refusal.notificationId), QStringLiteral("Dlv1"));
    }

    void freshnessWindows()
    {
        auto btc = adapter();
        const auto now = m_clock.now();
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(webhook(T0 - 300), now)));
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(webhook(T0 + 300), now)));

        auto stale = refused(btc->verifyNotification(webhook(T0 - 301), now));
        QCOMPARE(stale.reason, RefusalReason::Stale);
        QCOMPARE(q(stale.detail),
                 QStringLiteral("BTCPay webhook timestamp 1733559699 is 301 s away from now (the limit is 300 s)"));
        QCOMPARE(refused(btc->verifyNotification(webhook(T0 + 301), now)).reason, RefusalReason::Stale);

        // BTCPay's last automatic retry comes ~61 min after the event, with its timestamp.
        const std::int64_t lastRetry = 10 + 60 + 6 * 600;
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(webhook(T0 - lastRetry, true), now)));
        QCOMPARE(refused(btc->verifyNotification(webhook(T0 - lastRetry, false), now)).reason, RefusalReason::Stale);
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(webhook(T0 - 86400, true), now)));
        auto old = refused(btc->verifyNotification(webhook(T0 - 86401, true), now));
        QCOMPARE(old.reason, RefusalReason::Stale);
        QVERIFY(old.detail.find("the limit is 86400 s") != std::string::npos);
        // A redelivery from the future is no more acceptable than a first delivery.
        QCOMPARE(refused(btc->verifyNotification(webhook(T0 + 301, true), now)).reason, RefusalReason::Stale);

        auto missing = refused(btc->verifyNotification(webhook(0, false, {}, false), now));
        QCOMPARE(missing.reason, RefusalReason::Stale);
        QCOMPARE(q(missing.detail), QStringLiteral("webhook without an integer timestamp"));
    }

    void exactPaymentSettles()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "7-1", 1230);
        QCOMPARE(query(*btc, "7-1", id).state, PaymentState::Pending);
        QVERIFY(m_sandbox->pay("7-1", Delivery::Never));
        const auto report = query(*btc, "7-1", id);
        QCOMPARE(report.state, PaymentState::Succeeded);
        QCOMPARE(report.amountMinor, std::int64_t(1230));
        QCOMPARE(q(report.currency), QStringLiteral("USD"));
        QCOMPARE(report.differenceMinor, std::int64_t(0));
        QCOMPARE(q(report.outTradeNo), QStringLiteral("7-1"));
        QVERIFY(!report.confirming);
        // Without the invoice id (create's answer lost), found by order id.
        QCOMPARE(q(query(*btc, "7-1", {}).providerPaymentId), q(id));
        QCOMPARE(btc->query("8-1", {}).error().code, ErrorCode::NotFound);
        // Settled cannot be paid again.
        QVERIFY(!m_sandbox->pay("7-1", Delivery::Never));
    }

    void processingWhileConfirming()
    {
        auto btc = adapter(2);
        const auto id = create(*btc, "7-2", 1230);
        QCOMPARE(q(json::parse(m_http.last().body)["checkout"]["speedPolicy"].get<std::string>()),
                 QStringLiteral("LowMediumSpeed"));
        QVERIFY(m_sandbox->pay("7-2", Delivery::Never));
        auto report = query(*btc, "7-2", id);
        QCOMPARE(report.state, PaymentState::Pending);
        QVERIFY(report.confirming);
        QVERIFY(report.detail.find("awaiting confirmations") != std::string::npos);
        QVERIFY(m_sandbox->confirm("7-2", 1));
        QVERIFY(query(*btc, "7-2", id).confirming);
        QVERIFY(m_sandbox->confirm("7-2", 2));
        report = query(*btc, "7-2", id);
        QCOMPARE(report.state, PaymentState::Succeeded);
        QVERIFY(!report.confirming);
    }

    void speedPolicies()
    {
        QCOMPARE(q(BtcpayAdapter::speedPolicy(0)), QStringLiteral("HighSpeed"));
        QCOMPARE(q(BtcpayAdapter::speedPolicy(1)), QStringLiteral("MediumSpeed"));
        QCOMPARE(q(BtcpayAdapter::speedPolicy(2)), QStringLiteral("LowMediumSpeed"));
        QCOMPARE(q(BtcpayAdapter::speedPolicy(3)), QStringLiteral("LowSpeed"));
        QCOMPARE(q(BtcpayAdapter::speedPolicy(6)), QStringLiteral("LowSpeed"));
    }

    void underpaymentIsPartial()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "7-3", 1230);
        QVERIFY(m_sandbox->pay("7-3", Delivery::Never, 500));
        const auto report = query(*btc, "7-3", id);
        QCOMPARE(report.state, PaymentState::Pending);
        QCOMPARE(report.differenceMinor, std::int64_t(-730));
        QCOMPARE(q(report.detail), QStringLiteral("New, partially paid: 5.00 USD of 12.30 USD"));
        // The rest completes it.
        QVERIFY(m_sandbox->pay("7-3", Delivery::Never));
        QCOMPARE(query(*btc, "7-3", id).state, PaymentState::Succeeded);
        QCOMPARE(query(*btc, "7-3", id).differenceMinor, std::int64_t(0));
    }

    void toleranceAcceptsSmallUnderpayment()
    {
        auto btc = adapter(0, 100); // 1 %
        const auto id = create(*btc, "7-4", 1230);
        QCOMPARE(json::parse(m_http.last().body)["checkout"]["paymentTolerance"].get<double>(), 1.0);
        QVERIFY(m_sandbox->pay("7-4", Delivery::Never, 1217)); // 1230 x 0.99 = 1217.7: short
        QCOMPARE(query(*btc, "7-4", id).state, PaymentState::Pending);
        QVERIFY(m_sandbox->pay("7-4", Delivery::Never, 1)); // 1218: within the tolerance
        const auto report = query(*btc, "7-4", id);
        QCOMPARE(report.state, PaymentState::Succeeded);
        QCOMPARE(report.differenceMinor, std::int64_t(-12));
    }

    void overpaymentIsVisible()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "7-5", 1230);
        QVERIFY(m_sandbox->pay("7-5", Delivery::Never, 1500));
        const auto report = query(*btc, "7-5", id);
        QCOMPARE(report.state, PaymentState::Succeeded);
        QCOMPARE(report.amountMinor, std::int64_t(1230));
        QCOMPARE(report.differenceMinor, std::int64_t(270));
        QCOMPARE(q(report.detail), QStringLiteral("Settled, overpaid by 2.70 USD"));
    }

    void expiry()
    {
        auto btc = adapter(0);
        const auto plain = create(*btc, "7-6", 1230);
        const auto partial = create(*btc, "7-7", 1230);
        QVERIFY(m_sandbox->pay("7-7", Delivery::Never, 200));
        m_clock.advance(std::chrono::minutes(15) - Milliseconds(1));
        QCOMPARE(query(*btc, "7-6", plain).state, PaymentState::Pending);
        m_clock.advance(Milliseconds(1));
        auto report = query(*btc, "7-6", plain);
        QCOMPARE(report.state, PaymentState::Expired);
        QCOMPARE(q(report.detail), QStringLiteral("Expired"));
        QVERIFY(!report.paidLate);
        report = query(*btc, "7-7", partial);
        QCOMPARE(report.state, PaymentState::Expired);
        QCOMPARE(report.differenceMinor, std::int64_t(-1030));
        QCOMPARE(q(report.detail), QStringLiteral("Expired, partially paid: 2.00 USD of 12.30 USD (refund due)"));
    }

    void paidLateHeldForOperator()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "7-8", 1230);
        m_clock.advance(std::chrono::minutes(16));
        QVERIFY(m_sandbox->pay("7-8", Delivery::Never));
        const auto report = query(*btc, "7-8", id);
        QCOMPARE(report.state, PaymentState::Expired);
        QVERIFY(report.paidLate);
        QCOMPARE(report.differenceMinor, std::int64_t(0));
        QVERIFY(report.detail.find("paid late") != std::string::npos);
    }

    void unconfirmedBecomesInvalid()
    {
        auto btc = adapter(1);
        const auto id = create(*btc, "7-13", 1230);
        QVERIFY(m_sandbox->pay("7-13", Delivery::Never));
        m_clock.advance(std::chrono::minutes(15 + 1440) - Milliseconds(1));
        QVERIFY(query(*btc, "7-13", id).confirming);
        m_clock.advance(Milliseconds(1));
        const auto report = query(*btc, "7-13", id);
        QCOMPARE(report.state, PaymentState::Failed);
        QCOMPARE(q(report.detail), QStringLiteral("Invalid"));
    }

    void closeMarksInvalid()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "7-9", 1230);
        auto closed = btc->close("7-9", id);
        QVERIFY(closed.ok());
        QVERIFY(closed.value());
        const auto report = query(*btc, "7-9", id);
        QCOMPARE(report.state, PaymentState::Failed);
        QCOMPARE(q(report.detail), QStringLiteral("Invalid (marked by an operator)"));
        QVERIFY(!m_sandbox->pay("7-9", Delivery::Never));
        // A settled invoice cannot be closed: the provider's refusal comes back.
        const auto settled = create(*btc, "7-10", 100);
        QVERIFY(m_sandbox->pay("7-10", Delivery::Never));
        auto again = btc->close("7-10", settled);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(again.error().message.find("invoice-not-markable") != std::string::npos);
    }

    void invoiceOfAnotherOrderRefused()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "7-11", 1230);
        auto wrong = btc->query("7-12", id);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.find("not for 7-12") != std::string::npos);
        QCOMPARE(btc->query("7-11", "NoSuchInvoice").error().code, ErrorCode::NotFound);
    }

    void webhooksDelivered()
    {
        Receiver receiver;
        m_sandbox->setWebhookUrl(receiver.url());
        auto btc = adapter(0);
        const auto id = create(*btc, "9-1", 1230);
        QVERIFY(m_sandbox->pay("9-1", Delivery::Normal));
        // HighSpeed: received payment, processing, settled.
        const auto got = receiver.waitFor(3);
        QCOMPARE(got.size(), std::size_t(3));
        QStringList types;
        for (const auto &request : got) {
            QVERIFY(request.body.find("\n  \"deliveryId\"") != std::string::npos); // indented, like BTCPay
            const Verdict verdict = btc->verifyNotification(request, m_clock.now());
            QVERIFY(std::holds_alternative<Notification>(verdict));
            QCOMPARE(q(std::get<Notification>(verdict).queryProviderId), q(id));
            QCOMPARE(q(std::get<Notification>(verdict).queryOutTradeNo), QStringLiteral("9-1"));
            types << q(json::parse(request.body)["type"].get<std::string>());
        }
        QCOMPARE(types, QStringList({QStringLiteral("InvoiceReceivedPayment"), QStringLiteral("InvoiceProcessing"),
                                     QStringLiteral("InvoiceSettled")}));
        QCOMPARE(m_sandbox->notificationsSent(), std::int64_t(3));

        // Twice: the second is a redelivery with its own deliveryId.
        create(*btc, "9-2", 100);
        QVERIFY(m_sandbox->pay("9-2", Delivery::Twice, 50));
        const auto twice = receiver.waitFor(5);
        QCOMPARE(twice.size(), std::size_t(5));
        const auto first = json::parse(twice[3].body);
        const auto second = json::parse(twice[4].body);
        QCOMPARE(first["isRedelivery"].get<bool>(), false);
        QCOMPARE(second["isRedelivery"].get<bool>(), true);
        QVERIFY(first["deliveryId"] != second["deliveryId"]);
        QVERIFY(first["timestamp"] == second["timestamp"]);
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(twice[4], m_clock.now())));

        // Processing -> Settled on confirmation sends InvoiceSettled.
        auto slow = adapter(1);
        create(*slow, "9-3", 100);
        QVERIFY(m_sandbox->pay("9-3", Delivery::Normal));
        QCOMPARE(receiver.waitFor(7).size(), std::size_t(7));
        QVERIFY(m_sandbox->confirm("9-3", 1));
        const auto settled = receiver.waitFor(8);
        QCOMPARE(settled.size(), std::size_t(8));
        QCOMPARE(q(json::parse(settled[7].body)["type"].get<std::string>()), QStringLiteral("InvoiceSettled"));
    }

    void lateDeliveryAndAutoConfirm()
    {
        Receiver receiver;
        m_sandbox->setWebhookUrl(receiver.url());
        sandbox::Behaviour behaviour;
        behaviour.lateDelay = Milliseconds(20);
        m_sandbox->setBehaviour(behaviour);
        m_sandbox->setAutoConfirm(true);
        auto btc = adapter(1);
        const auto id = create(*btc, "9-4", 100);
        QVERIFY(m_sandbox->pay("9-4", Delivery::Late));
        // Received payment and processing (late), then the automatic confirmation's settled.
        const auto got = receiver.waitFor(3);
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(query(*btc, "9-4", id).state, PaymentState::Succeeded);
    }

    void notificationForVerifies()
    {
        auto btc = adapter(0);
        create(*btc, "9-5", 100);
        m_sandbox->pay("9-5", Delivery::Never);
        const auto request = m_sandbox->notificationFor("9-5");
        QVERIFY(request.has_value());
        QCOMPARE(q(json::parse(request->body)["type"].get<std::string>()), QStringLiteral("InvoiceSettled"));
        QVERIFY(std::holds_alternative<Notification>(btc->verifyNotification(*request, m_clock.now())));
        // Replayed an hour later as a first delivery: refused.
        m_clock.advance(std::chrono::hours(1));
        QCOMPARE(refused(btc->verifyNotification(*request, m_clock.now())).reason, RefusalReason::Stale);
        QVERIFY(!m_sandbox->notificationFor("no-such-order"));
    }

    void refundAsPullPayment()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "10-1", 1230);
        QVERIFY(m_sandbox->pay("10-1", Delivery::Never));
        auto refund = btc->refund(RefundRequest{"10-1", id, "R10-1", 500, 1230, "USD", "damaged"});
        QVERIFY2(refund.ok(), refund.ok() ? "" : refund.error().message.c_str());
        QCOMPARE(refund.value().state, RefundState::Pending);
        QVERIFY(!refund.value().providerRefundId.empty());
        const auto sent = json::parse(m_http.last().body);
        QCOMPARE(q(sent["customAmount"].get<std::string>()), QStringLiteral("5.00"));
        QCOMPARE(q(sent["refundVariant"].get<std::string>()), QStringLiteral("Custom"));
        auto confirmed = btc->queryRefund("R10-1", "10-1");
        QVERIFY(confirmed.ok());
        QCOMPARE(confirmed.value().state, RefundState::Succeeded);
        QCOMPARE(confirmed.value().amountMinor, std::int64_t(500));
        QCOMPARE(q(confirmed.value().providerRefundId), q(refund.value().providerRefundId));
        QCOMPARE(btc->queryRefund("R10-9", "10-1").error().code, ErrorCode::NotFound);
    }

    void asyncAndRefusedRefunds()
    {
        auto btc = adapter(0);
        const auto id = create(*btc, "10-2", 1230);
        QVERIFY(m_sandbox->pay("10-2", Delivery::Never));
        sandbox::Behaviour behaviour;
        behaviour.asyncRefund = true;
        m_sandbox->setBehaviour(behaviour);
        QVERIFY(btc->refund(RefundRequest{"10-2", id, "R10-2", 1230, 1230, "USD", ""}).ok());
        auto pending = btc->queryRefund("R10-2", "10-2");
        QCOMPARE(pending.value().state, RefundState::Pending);
        QVERIFY(pending.value().detail.find("AwaitingPayment") != std::string::npos);
        m_sandbox->completePayouts();
        QCOMPARE(btc->queryRefund("R10-2", "10-2").value().state, RefundState::Succeeded);

        QCOMPARE(btc->refund(RefundRequest{"10-2", id, "R10-3", 1231, 1230, "USD", ""}).error().code,
                 ErrorCode::InvalidArgument);
        behaviour.failRefund = true;
        m_sandbox->setBehaviour(behaviour);
        auto refused = btc->refund(RefundRequest{"10-2", id, "R10-4", 100, 1230, "USD", ""});
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(refused.error().message.find("refund-failed") != std::string::npos);
        // An unpaid invoice has nothing to refund.
        const auto unpaid = create(*btc, "10-3", 100);
        behaviour.failRefund = false;
        m_sandbox->setBehaviour(behaviour);
        auto nothing = btc->refund(RefundRequest{"10-3", unpaid, "R10-5", 100, 100, "USD", ""});
        QVERIFY(nothing.error().message.find("non-refundable") != std::string::npos);
    }

    void wrongTokenRefused()
    {
        AdapterSettings settings = m_sandbox->settings();
        settings.apiKey = "NotTheKey123";
        auto btc = adapter(0, 0, settings);
        auto made = btc->create(CreateRequest{"11-1", 100, "USD", "", m_clock.now()});
        QVERIFY(!made.ok());
        QCOMPARE(made.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(made.error().message.find("HTTP 401") != std::string::npos);
        QVERIFY(made.error().message.find("NotTheKey123") == std::string::npos); // never the key
        QCOMPARE(m_sandbox->created(), std::int64_t(0));

        settings = m_sandbox->settings();
        settings.merchantId = "OtherStore";
        QCOMPARE(adapter(0, 0, settings)->create(CreateRequest{"11-1", 100, "USD", "", m_clock.now()}).error().code,
                 ErrorCode::FailedPrecondition);
    }

    void providerDownIsUnavailable()
    {
        auto btc = adapter(0);
        sandbox::Behaviour behaviour;
        behaviour.failCreate = true;
        m_sandbox->setBehaviour(behaviour);
        QCOMPARE(btc->create(CreateRequest{"12-1", 100, "USD", "", m_clock.now()}).error().code,
                 ErrorCode::Unavailable);
        AdapterSettings gone = m_sandbox->settings();
        m_sandbox.reset();
        QCOMPARE(adapter(0, 0, gone)->query("12-1", "x").error().code, ErrorCode::Unavailable);
        m_sandbox = std::make_unique<BtcpaySandbox>(m_clock);
    }

    void amountsExact_data()
    {
        QTest::addColumn<qint64>("minor");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<QString>("decimal");
        QTest::newRow("ten cents") << qint64(10) << QStringLiteral("USD") << QStringLiteral("0.10");
        QTest::newRow("yuan") << qint64(128000) << QStringLiteral("CNY") << QStringLiteral("1280.00");
        QTest::newRow("yen") << qint64(1280) << QStringLiteral("JPY") << QStringLiteral("1280");
        QTest::newRow("satoshis") << qint64(12345) << QStringLiteral("BTC") << QStringLiteral("0.00012345");
        QTest::newRow("one bitcoin") << qint64(100000000) << QStringLiteral("BTC") << QStringLiteral("1.00000000");
    }
    void amountsExact()
    {
        QFETCH(qint64, minor);
        QFETCH(QString, currency);
        QFETCH(QString, decimal);
        auto btc = adapter(0);
        const auto id = create(*btc, "13-1", minor, currency.toStdString());
        const auto sent = json::parse(m_http.last().body);
        QCOMPARE(q(sent["amount"].get<std::string>()), decimal);
        QCOMPARE(q(sent["currency"].get<std::string>()), currency);
        QCOMPARE(q(sent["metadata"]["orderId"].get<std::string>()), QStringLiteral("13-1"));
        QCOMPARE(q(m_http.last().headers["Authorization"]), q("token " + m_sandbox->settings().apiKey));
        const auto report = query(*btc, "13-1", id);
        QCOMPARE(report.amountMinor, std::int64_t(minor));
        QCOMPARE(q(report.currency), currency);
    }

    void makeAdapterRefusals()
    {
        CurlHttpClient http;
        auto unknown = makeAdapter("paypal", m_sandbox->settings(), http, m_clock);
        QCOMPARE(unknown.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(q(unknown.error().message), QStringLiteral("unknown provider \"paypal\""));
        AdapterSettings noSecret = m_sandbox->settings();
        noSecret.webhookSecret.clear();
        auto refused = makeAdapter("btcpay", noSecret, http, m_clock);
        QCOMPARE(refused.error().code, ErrorCode::InvalidArgument);
        QVERIFY(refused.error().message.find("webhook_secret") != std::string::npos);
        AdapterSettings badTolerance = m_sandbox->settings();
        badTolerance.paymentToleranceBp = -1;
        QCOMPARE(makeAdapter("btcpay", badTolerance, http, m_clock).error().code, ErrorCode::InvalidArgument);
    }

    void credentialsWritten()
    {
        QTemporaryDir dir;
        const auto files = m_sandbox->writeCredentials(dir.path().toStdString());
        QCOMPARE(files.size(), std::size_t(2));
        QCOMPARE(q(files[0].first), QStringLiteral("api_key"));
        QCOMPARE(q(files[1].first), QStringLiteral("webhook_secret"));
        for (const auto &[name, path] : files) {
            struct stat st {};
            QCOMPARE(::stat(path.c_str(), &st), 0);
            QCOMPARE(st.st_mode & 0777, 0600u);
        }
        QCOMPARE(q(crypto::readSecretFile(files[0].second).value()), q(m_sandbox->settings().apiKey));
        QCOMPARE(q(crypto::readSecretFile(files[1].second).value()), q(m_sandbox->settings().webhookSecret));
    }
};

QTEST_GUILESS_MAIN(TestBtcpay)
#include "tst_btcpay.moc"
