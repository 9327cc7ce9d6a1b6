#include "domain/payments/Decimal.h"
#include "payments/AlipayAdapter.h"
#include "payments/AlipayProtocol.h"
#include "payments/Crypto.h"
#include "payments/CurlHttpClient.h"
#include "payments/sandbox/AlipaySandbox.h"

#include <QTemporaryDir>
#include <QTest>

#include <httplib.h>

#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace flywheel;
using namespace flywheel::payments;
using alipay::Params;
using alipay::SignFor;

namespace {

/// 2026-12-07 10:00:00 UTC (18:00:00 in Beijing).
TimePoint start()
{
    return TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 12 / 7) + std::chrono::hours(10));
}

std::unique_ptr<PaymentAdapter> adapterFor(const AdapterSettings &settings, HttpClient &http, const Clock &clock)
{
    auto made = makeAdapter("alipay", settings, http, clock);
    if (!made.ok())
        qFatal("makeAdapter: %s", made.error().message.c_str());
    return std::move(made).value();
}

/// A form body signed like an Alipay notification with `key`.
HttpRequest signedNotification(Params params, const crypto::RsaKey &key)
{
    params.emplace_back("sign", key.signSha256Base64(alipay::signContent(params, SignFor::Notification)));
    params.emplace_back("sign_type", "RSA2");
    HttpRequest request;
    request.method = "POST";
    request.target = "/notify/ali";
    request.headers["Content-Type"] = "application/x-www-form-urlencoded";
    request.body = alipay::formEncode(params);
    return request;
}

/// Replaces the first occurrence of `from` in the body (which must be there).
HttpRequest tampered(HttpRequest request, const std::string &from, const std::string &to)
{
    const auto at = request.body.find(from);
    if (at == std::string::npos)
        qFatal("tampered: \"%s\" not in the body", from.c_str());
    request.body.replace(at, from.size(), to);
    return request;
}

/// Refuses with `reason`, or fails the test.
#define QCOMPARE_REFUSAL(outcome, expectedReason)                                                                      \
    do {                                                                                                               \
        const auto &o_ = (outcome);                                                                                    \
        QVERIFY2(std::holds_alternative<NotificationRefusal>(o_), "expected a refusal");                               \
        QCOMPARE(static_cast<int>(std::get<NotificationRefusal>(o_).reason), static_cast<int>(expectedReason));        \
    } while (false)

/// An HttpClient that must not be used (adapters built only to verify notifications).
class NoHttp final : public HttpClient {
public:
    Result<HttpResponse> send(const std::string &url, const HttpRequest &, std::chrono::milliseconds) override
    {
        return Error{ErrorCode::Unavailable, "no network in this test: " + url};
    }
};

/// A stand-in for flywheeld's callback listener: records the notifications POSTed to it.
class NotifyReceiver {
public:
    NotifyReceiver()
    {
        m_server.Post("/notify/ali", [this](const httplib::Request &request, httplib::Response &response) {
            {
                std::lock_guard lock(m_mutex);
                HttpRequest copy;
                copy.method = request.method;
                copy.target = request.target;
                for (const auto &[name, value] : request.headers)
                    copy.headers[name] = value;
                copy.body = request.body;
                m_received.push_back(copy);
            }
            m_changed.notify_all();
            response.set_content("success", "text/plain");
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        // stop() is a no-op until listening has begun.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!m_server.is_running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
    }
    ~NotifyReceiver()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/notify/ali"; }
    /// Waits (up to 10 s) until `count` notifications arrived; what arrived.
    std::vector<HttpRequest> waitFor(std::size_t count)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, std::chrono::seconds(10), [&] { return m_received.size() >= count; });
        return m_received;
    }

private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<HttpRequest> m_received;
};

} // namespace

class TestAlipay final : public QObject {
    Q_OBJECT

private:
    ManualClock m_clock{start()};
    crypto::RsaKey m_alipayKey = crypto::RsaKey::generate();
    crypto::RsaKey m_appKey = crypto::RsaKey::generate();
    NoHttp m_noHttp;

    AdapterSettings offlineSettings() const
    {
        AdapterSettings settings;
        settings.channelId = "ali";
        settings.endpoint = "https://openapi.alipay.com";
        settings.appId = "2021000000000007";
        settings.merchantId = "2088000000000007";
        settings.merchantPrivateKeyPem = m_appKey.privatePem();
        settings.providerPublicKeyPem = m_alipayKey.publicPem();
        return settings;
    }

    /// A genuine-looking payment notification for offlineSettings(), sent now.
    Params paymentParams(const std::string &amount = "12.30") const
    {
        return Params{{"notify_time", alipay::formatBeijingTime(m_clock.now())},
                      {"notify_type", "trade_status_sync"},
                      {"notify_id", "ac05099524730693a8b330c5ecf72da9786"},
                      {"app_id", "2021000000000007"},
                      {"charset", "utf-8"},
                      {"version", "1.0"},
                      {"trade_no", "2026120722001400000001"},
                      {"out_trade_no", "42-7"},
                      {"seller_id", "2088000000000007"},
                      {"trade_status", "TRADE_SUCCESS"},
                      {"total_amount", amount},
                      {"subject", "Tea + cake, 2 cups"},
                      {"gmt_payment", alipay::formatBeijingTime(m_clock.now())}};
    }

private Q_SLOTS:
    void init() { m_clock.set(start()); }

    void signContentIgnoresOrderAndEmptyValues()
    {
        const Params a{{"b", "2"}, {"a", "1"}, {"empty", ""}, {"sign", "xyz"}, {"sign_type", "RSA2"}, {"c", "x y"}};
        const Params b{{"c", "x y"}, {"sign_type", "RSA2"}, {"sign", "xyz"}, {"a", "1"}, {"empty", ""}, {"b", "2"}};
        QCOMPARE(alipay::signContent(a, SignFor::Request), std::string("a=1&b=2&c=x y&sign_type=RSA2"));
        QCOMPARE(alipay::signContent(b, SignFor::Request), alipay::signContent(a, SignFor::Request));
        QCOMPARE(alipay::signContent(a, SignFor::Notification), std::string("a=1&b=2&c=x y"));
        QCOMPARE(alipay::signContent(b, SignFor::Notification), alipay::signContent(a, SignFor::Notification));
        // Byte order: upper case before lower case, "app_id" before "appid".
        QCOMPARE(alipay::signContent({{"appid", "2"}, {"app_id", "1"}, {"Z", "0"}}, SignFor::Request),
                 std::string("Z=0&app_id=1&appid=2"));
        // Values raw, not URL-encoded.
        QCOMPARE(alipay::signContent({{"biz_content", "{\"a\":\"1+1\"}"}}, SignFor::Request),
                 std::string("biz_content={\"a\":\"1+1\"}"));
    }

    void decimals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("minor");
        QTest::newRow("one fen") << "0.01" << true << qint64(1);
        QTest::newRow("1280.00") << "1280.00" << true << qint64(128000);
        QTest::newRow("12.3") << "12.3" << true << qint64(1230);
        QTest::newRow("three decimals") << "1.005" << false << qint64(0);
        QTest::newRow("negative") << "-1" << false << qint64(0);
        QTest::newRow("exponent") << "1e3" << false << qint64(0);
        QTest::newRow("leading zero") << "01.00" << false << qint64(0);
        QTest::newRow("leading space") << " 1.00" << false << qint64(0);
        QTest::newRow("empty") << "" << false << qint64(0);
    }
    void decimals()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, minor);
        const auto parsed = parseDecimalMinor(text.toStdString(), 2);
        QCOMPARE(parsed.ok(), valid);
        if (valid)
            QCOMPARE(parsed.value(), minor);

        // The same amount in a signed notification: exact, or refused as malformed.
        auto adapter = adapterFor(offlineSettings(), m_noHttp, m_clock);
        const auto outcome = adapter->verifyNotification(
            signedNotification(paymentParams(text.toStdString()), m_alipayKey), m_clock.now());
        if (valid) {
            QVERIFY(std::holds_alternative<Notification>(outcome));
            QCOMPARE(std::get<Notification>(outcome).payment->amountMinor, minor);
        } else {
            QCOMPARE_REFUSAL(outcome, RefusalReason::Malformed);
        }
    }

    void plusSurvivesOneDecode()
    {
        const std::string subject = "1+1 = 2 & more%";
        const std::string sign = "ab+/cd+ef==";
        const std::string body = alipay::formEncode({{"subject", subject}, {"sign", sign}});
        QVERIFY(body.find('+') == std::string::npos); // '+' travels as %2B, a space as %20
        std::string error;
        const auto once = alipay::formDecode(body, &error);
        QVERIFY(once.has_value());
        QCOMPARE(alipay::valueOf(*once, "subject"), subject);
        QCOMPARE(alipay::valueOf(*once, "sign"), sign);
        // Decoding twice (the classic bug) turns the '+' into a space.
        const auto twice = alipay::formDecode(alipay::formEncode({{"sign", sign}}), &error);
        const auto again = alipay::formDecode(alipay::valueOf(*twice, "sign"), &error);
        QVERIFY(again.has_value());
        QVERIFY(again->front().first != sign);
        // A '+' on the wire is a space; bad escapes are refused with their place.
        QCOMPARE(alipay::valueOf(*alipay::formDecode("a=x+y", &error), "a"), std::string("x y"));
        QVERIFY(!alipay::formDecode("a=%2", &error));
        QCOMPARE(error, std::string("bad %-escape at byte 2"));
        QVERIFY(!alipay::formDecode("a=1&b=%zz", &error));
        QCOMPARE(error, std::string("bad %-escape at byte 6"));
    }

    void beijingTime()
    {
        QCOMPARE(alipay::formatBeijingTime(start()), std::string("2026-12-07 18:00:00"));
        QCOMPARE(*alipay::parseBeijingTime("2026-12-07 18:00:00"), start());
        QCOMPARE(*alipay::parseBeijingTime("2026-12-08 07:59:59"),
                 start() + std::chrono::hours(14) - std::chrono::seconds(1));
        QVERIFY(!alipay::parseBeijingTime("2026-12-07T18:00:00"));
        QVERIFY(!alipay::parseBeijingTime("2026-02-30 18:00:00"));
        QVERIFY(!alipay::parseBeijingTime("2026-12-07 24:00:00"));
        QVERIFY(!alipay::parseBeijingTime(""));
    }

    void responseMembersKeepRawText()
    {
        const std::string body = "{\"alipay_trade_query_response\" : "
                                 "{\"code\":\"10000\",\"x\":\"a\\\"}b\",\"n\":[1,{\"y\":2}]} ,\"sign\":\"s+/=\"}";
        const auto members = alipay::topLevelMembers(body);
        QVERIFY(members.has_value());
        QCOMPARE(members->size(), std::size_t(2));
        QCOMPARE(members->at(0).first, std::string("alipay_trade_query_response"));
        QCOMPARE(std::string(members->at(0).second),
                 std::string("{\"code\":\"10000\",\"x\":\"a\\\"}b\",\"n\":[1,{\"y\":2}]}"));
        QCOMPARE(std::string(members->at(1).second), std::string("\"s+/=\""));
        QVERIFY(!alipay::topLevelMembers("{\"a\":{\"b\":1}"));
        QVERIFY(!alipay::topLevelMembers("{\"a\":1} trailing"));
        QCOMPARE(alipay::responseKey("alipay.trade.fastpay.refund.query"),
                 std::string("alipay_trade_fastpay_refund_query_response"));
    }

    void notificationsVerified()
    {
        auto adapter = adapterFor(offlineSettings(), m_noHttp, m_clock);
        const HttpRequest valid = signedNotification(paymentParams("1280.00"), m_alipayKey);
        const auto outcome = adapter->verifyNotification(valid, m_clock.now());
        QVERIFY(std::holds_alternative<Notification>(outcome));
        const Notification &n = std::get<Notification>(outcome);
        QCOMPARE(n.notificationId, std::string("ac05099524730693a8b330c5ecf72da9786"));
        QVERIFY(n.payment.has_value());
        QCOMPARE(n.payment->outTradeNo, std::string("42-7"));
        QCOMPARE(n.payment->providerPaymentId, std::string("2026120722001400000001"));
        QCOMPARE(n.payment->state, PaymentState::Succeeded);
        QCOMPARE(n.payment->amountMinor, std::int64_t(128000));
        QCOMPARE(n.payment->currency, std::string("CNY"));

        // A flipped byte in a value, in the sign, or a missing sign.
        QCOMPARE_REFUSAL(adapter->verifyNotification(tampered(valid, "1280.00", "1280.01"), m_clock.now()),
                         RefusalReason::BadSignature);
        QCOMPARE_REFUSAL(adapter->verifyNotification(tampered(valid, "Tea", "Tee"), m_clock.now()),
                         RefusalReason::BadSignature);
        const auto signAt = valid.body.find("&sign=") + 6;
        HttpRequest badSign = valid;
        badSign.body[signAt + 3] = badSign.body[signAt + 3] == 'A' ? 'B' : 'A';
        QCOMPARE_REFUSAL(adapter->verifyNotification(badSign, m_clock.now()), RefusalReason::BadSignature);
        Params unsignedParams = paymentParams();
        HttpRequest noSign;
        noSign.body = alipay::formEncode(unsignedParams);
        const auto refusal = adapter->verifyNotification(noSign, m_clock.now());
        QCOMPARE_REFUSAL(refusal, RefusalReason::BadSignature);
        QCOMPARE(std::get<NotificationRefusal>(refusal).detail, std::string("no sign parameter"));
        // Signed by someone else (the app key, not Alipay's).
        QCOMPARE_REFUSAL(adapter->verifyNotification(signedNotification(paymentParams(), m_appKey), m_clock.now()),
                         RefusalReason::BadSignature);
        // sign_type is not signed (added after, changed freely) but must be RSA2.
        QCOMPARE_REFUSAL(adapter->verifyNotification(tampered(valid, "sign_type=RSA2", "sign_type=RSA"), m_clock.now()),
                         RefusalReason::BadSignature);
        // A parameter twice (the second could be what a reader picks up).
        HttpRequest twice = valid;
        twice.body += "&total_amount=0.01";
        const auto duplicate = adapter->verifyNotification(twice, m_clock.now());
        QCOMPARE_REFUSAL(duplicate, RefusalReason::Malformed);
        QCOMPARE(std::get<NotificationRefusal>(duplicate).detail, std::string("parameter total_amount appears twice"));
        // Undecodable body.
        QCOMPARE_REFUSAL(adapter->verifyNotification(tampered(valid, "notify_type=", "notify_type=%G1"), m_clock.now()),
                         RefusalReason::Malformed);
    }

    void notificationsForSomeoneElse()
    {
        AdapterSettings otherApp = offlineSettings();
        otherApp.appId = "2021000000000008";
        auto adapter = adapterFor(otherApp, m_noHttp, m_clock);
        const HttpRequest valid = signedNotification(paymentParams(), m_alipayKey);
        auto outcome = adapter->verifyNotification(valid, m_clock.now());
        QCOMPARE_REFUSAL(outcome, RefusalReason::WrongMerchant);
        QCOMPARE(std::get<NotificationRefusal>(outcome).detail,
                 std::string("app_id \"2021000000000007\" is not this channel's \"2021000000000008\""));
        QCOMPARE(std::get<NotificationRefusal>(outcome).outTradeNo, std::string("42-7"));

        AdapterSettings otherSeller = offlineSettings();
        otherSeller.merchantId = "2088000000000008";
        adapter = adapterFor(otherSeller, m_noHttp, m_clock);
        outcome = adapter->verifyNotification(valid, m_clock.now());
        QCOMPARE_REFUSAL(outcome, RefusalReason::WrongMerchant);
        QVERIFY(std::get<NotificationRefusal>(outcome).detail.find("seller_id") == 0);
    }

    void staleNotificationsRefused()
    {
        auto adapter = adapterFor(offlineSettings(), m_noHttp, m_clock);
        const HttpRequest valid = signedNotification(paymentParams(), m_alipayKey);
        const TimePoint sent = m_clock.now();
        // Alipay resends for ~25 h: its last retry is still accepted...
        QVERIFY(std::holds_alternative<Notification>(
            adapter->verifyNotification(valid, sent + AlipayAdapter::kMaxNotificationAge)));
        // ...anything older is a replay.
        const auto old =
            adapter->verifyNotification(valid, sent + AlipayAdapter::kMaxNotificationAge + std::chrono::seconds(1));
        QCOMPARE_REFUSAL(old, RefusalReason::Stale);
        QCOMPARE(std::get<NotificationRefusal>(old).detail,
                 std::string("notify_time 2026-12-07 18:00:00 is 90301 s old (the limit is 90300 s)"));
        // From the future beyond the skew allowed.
        QVERIFY(
            std::holds_alternative<Notification>(adapter->verifyNotification(valid, sent - std::chrono::seconds(300))));
        QCOMPARE_REFUSAL(adapter->verifyNotification(valid, sent - std::chrono::seconds(301)), RefusalReason::Stale);
        // Without notify_time (signed so): refused, not taken as time 0.
        Params noTime = paymentParams();
        noTime.erase(noTime.begin());
        QCOMPARE_REFUSAL(adapter->verifyNotification(signedNotification(noTime, m_alipayKey), sent),
                         RefusalReason::Stale);
    }

    void refundNotificationReportsTheRefund()
    {
        auto adapter = adapterFor(offlineSettings(), m_noHttp, m_clock);
        Params params = paymentParams();
        params.emplace_back("out_biz_no", "R42-1");
        params.emplace_back("refund_fee", "5.00");
        params.emplace_back("gmt_refund", alipay::formatBeijingTime(m_clock.now()));
        const auto outcome = adapter->verifyNotification(signedNotification(params, m_alipayKey), m_clock.now());
        QVERIFY(std::holds_alternative<Notification>(outcome));
        const Notification &n = std::get<Notification>(outcome);
        QVERIFY(!n.payment.has_value());
        QVERIFY(n.refund.has_value());
        QCOMPARE(n.refund->outRefundNo, std::string("R42-1"));
        QCOMPARE(n.refund->amountMinor, std::int64_t(500));
        QCOMPARE(n.queryOutTradeNo, std::string("42-7"));
    }

    void acknowledgement()
    {
        auto adapter = adapterFor(offlineSettings(), m_noHttp, m_clock);
        QCOMPARE(adapter->acknowledge(true, false).status, 200);
        QCOMPARE(adapter->acknowledge(true, false).body, std::string("success"));
        QCOMPARE(adapter->acknowledge(false, true).status, 200);
        QCOMPARE(adapter->acknowledge(false, true).body, std::string("failure"));
        QCOMPARE(adapter->acknowledge(false, false).body, std::string("failure"));
    }

    void makeAdapterRefusesWhatItCannotUse()
    {
        auto unknown = makeAdapter("paypal", offlineSettings(), m_noHttp, m_clock);
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(unknown.error().message, std::string("unknown provider \"paypal\""));
        AdapterSettings badKey = offlineSettings();
        badKey.merchantPrivateKeyPem = "not a key";
        auto made = makeAdapter("alipay", badKey, m_noHttp, m_clock);
        QVERIFY(!made.ok());
        QCOMPARE(made.error().code, ErrorCode::InvalidArgument);
        QVERIFY(made.error().message.find("app_private_key") != std::string::npos);
        AdapterSettings publicOnly = offlineSettings();
        publicOnly.merchantPrivateKeyPem = m_appKey.publicPem();
        QVERIFY(!makeAdapter("alipay", publicOnly, m_noHttp, m_clock).ok());
        AdapterSettings noApp = offlineSettings();
        noApp.appId.clear();
        QVERIFY(!makeAdapter("alipay", noApp, m_noHttp, m_clock).ok());
    }

    void fullFlowAgainstTheSandbox()
    {
        sandbox::AlipaySandbox box(m_clock);
        CurlHttpClient http;
        AdapterSettings settings = box.settings();
        settings.notifyUrl = "http://127.0.0.1:9/notify/ali";
        auto adapter = adapterFor(settings, http, m_clock);

        CreateRequest create{"42-1", 128000, "CNY", "Tea + cake", m_clock.now() + std::chrono::minutes(15)};
        const auto created = adapter->create(create);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QVERIFY(created.value().payUrl.rfind("https://qr.alipay.com/", 0) == 0);
        QCOMPARE(box.created(), std::int64_t(1));

        auto queried = adapter->query("42-1", "");
        QVERIFY2(queried.ok(), queried.ok() ? "" : queried.error().message.c_str());
        QCOMPARE(queried.value().state, PaymentState::Pending);
        QCOMPARE(queried.value().amountMinor, std::int64_t(128000));

        QVERIFY(box.pay("42-1", sandbox::Delivery::Never));
        QVERIFY(!box.pay("42-1", sandbox::Delivery::Never)); // paid already
        queried = adapter->query("42-1", "");
        QVERIFY(queried.ok());
        QCOMPARE(queried.value().state, PaymentState::Succeeded);
        QCOMPARE(queried.value().amountMinor, std::int64_t(128000));
        QCOMPARE(queried.value().currency, std::string("CNY"));
        QVERIFY(!queried.value().providerPaymentId.empty());
        QCOMPARE(box.notificationsSent(), std::int64_t(0));

        // Closing a paid trade is refused with Alipay's own code.
        const auto closed = adapter->close("42-1", "");
        QVERIFY(!closed.ok());
        QCOMPARE(closed.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(closed.error().message.find("ACQ.TRADE_STATUS_ERROR") != std::string::npos);

        RefundRequest refund{"42-1", queried.value().providerPaymentId, "R42-1", 30000, 128000, "CNY", "broken cup"};
        auto refunded = adapter->refund(refund);
        QVERIFY2(refunded.ok(), refunded.ok() ? "" : refunded.error().message.c_str());
        QCOMPARE(refunded.value().state, RefundState::Succeeded);
        QCOMPARE(refunded.value().amountMinor, std::int64_t(30000));
        // The same out_request_no again: no second refund, still reported done.
        refunded = adapter->refund(refund);
        QVERIFY(refunded.ok());
        QCOMPARE(refunded.value().state, RefundState::Succeeded);
        QVERIFY(refunded.value().detail.find("fund_change N") == 0);
        auto refundQuery = adapter->queryRefund("R42-1", "42-1");
        QVERIFY(refundQuery.ok());
        QCOMPARE(refundQuery.value().state, RefundState::Succeeded);
        QCOMPARE(refundQuery.value().amountMinor, std::int64_t(30000));
        QCOMPARE(adapter->queryRefund("R42-9", "42-1").error().code, ErrorCode::NotFound);
        // More than what is left.
        const auto tooMuch = adapter->refund(RefundRequest{"42-1", "", "R42-2", 98001, 128000, "CNY", ""});
        QVERIFY(!tooMuch.ok());
        QCOMPARE(tooMuch.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(tooMuch.error().message.find("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL") != std::string::npos);

        // Unknown trade; closing an unpaid one.
        const auto unknown = adapter->query("42-404", "");
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QVERIFY(
            adapter->create(CreateRequest{"42-2", 1, "CNY", "one fen", m_clock.now() + std::chrono::minutes(15)}).ok());
        const auto closedUnpaid = adapter->close("42-2", "");
        QVERIFY(closedUnpaid.ok());
        QVERIFY(closedUnpaid.value());
        QCOMPARE(adapter->query("42-2", "").value().state, PaymentState::Failed);
        QVERIFY(!box.pay("42-2", sandbox::Delivery::Never));
        QCOMPARE(adapter->close("42-404", "").value(), false);
    }

    void sandboxChecksRequestSignatures()
    {
        sandbox::AlipaySandbox box(m_clock);
        CurlHttpClient http;
        AdapterSettings wrongKey = box.settings();
        wrongKey.merchantPrivateKeyPem = m_appKey.privatePem(); // not the app key the sandbox knows
        auto adapter = adapterFor(wrongKey, http, m_clock);
        const auto refused = adapter->create(CreateRequest{"43-1", 100, "CNY", "x", m_clock.now()});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
        QVERIFY2(refused.error().message.find("code 40002") != std::string::npos, refused.error().message.c_str());
        QVERIFY(refused.error().message.find("isv.invalid-signature") != std::string::npos);
        QCOMPARE(box.created(), std::int64_t(0));
    }

    void responsesMustCarryAlipaysSign()
    {
        sandbox::AlipaySandbox box(m_clock);
        CurlHttpClient http;
        AdapterSettings wrongAlipayKey = box.settings();
        wrongAlipayKey.providerPublicKeyPem = m_alipayKey.publicPem();
        auto adapter = adapterFor(wrongAlipayKey, http, m_clock);
        const auto created = adapter->create(CreateRequest{"44-1", 100, "CNY", "x", m_clock.now()});
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, ErrorCode::Unavailable);
        QVERIFY(created.error().message.find("sign does not verify") != std::string::npos);
    }

    void providerDownIsUnavailable()
    {
        sandbox::AlipaySandbox box(m_clock);
        CurlHttpClient http;
        auto adapter = adapterFor(box.settings(), http, m_clock);
        sandbox::Behaviour behaviour;
        behaviour.failCreate = true;
        box.setBehaviour(behaviour);
        const auto created = adapter->create(CreateRequest{"45-1", 100, "CNY", "x", m_clock.now()});
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, ErrorCode::Unavailable);
        QVERIFY(created.error().message.find("HTTP 500") != std::string::npos);

        behaviour.failCreate = false;
        behaviour.failRefund = true;
        box.setBehaviour(behaviour);
        QVERIFY(adapter->create(CreateRequest{"45-2", 100, "CNY", "x", m_clock.now() + std::chrono::minutes(15)}).ok());
        QVERIFY(box.pay("45-2", sandbox::Delivery::Never));
        const auto refused = adapter->refund(RefundRequest{"45-2", "", "R45-1", 100, 100, "CNY", ""});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);

        behaviour.failRefund = false;
        behaviour.asyncRefund = true;
        box.setBehaviour(behaviour);
        const auto pending = adapter->refund(RefundRequest{"45-2", "", "R45-1", 100, 100, "CNY", ""});
        QVERIFY(pending.ok());
        QCOMPARE(pending.value().state, RefundState::Pending);
        const auto later = adapter->queryRefund("R45-1", "45-2");
        QVERIFY(later.ok());
        QCOMPARE(later.value().state, RefundState::Succeeded);

        QCOMPARE(adapter->create(CreateRequest{"45-3", 100, "USD", "x", m_clock.now()}).error().code,
                 ErrorCode::InvalidArgument);

        // time_expire is honoured: past it the trade is closed and cannot be paid.
        QVERIFY(adapter->create(CreateRequest{"45-4", 100, "CNY", "x", m_clock.now() + std::chrono::minutes(1)}).ok());
        m_clock.advance(std::chrono::minutes(2));
        QVERIFY(!box.pay("45-4", sandbox::Delivery::Never));
        QCOMPARE(adapter->query("45-4", "").value().state, PaymentState::Failed);
        QCOMPARE(adapter->query("45-4", "").value().detail, std::string("TRADE_CLOSED"));
    }

    void paidAmountDifferentFromTheOrder()
    {
        sandbox::AlipaySandbox box(m_clock);
        CurlHttpClient http;
        auto adapter = adapterFor(box.settings(), http, m_clock);
        QVERIFY(
            adapter->create(CreateRequest{"47-1", 1000, "CNY", "x", m_clock.now() + std::chrono::minutes(15)}).ok());
        QVERIFY(box.pay("47-1", sandbox::Delivery::Never, 999));
        const auto outcome = adapter->verifyNotification(*box.notificationFor("47-1"), m_clock.now());
        QVERIFY(std::holds_alternative<Notification>(outcome));
        // Verified and reported as it is: the manager compares it with the order.
        QCOMPARE(std::get<Notification>(outcome).payment->amountMinor, std::int64_t(999));
        QCOMPARE(adapter->query("47-1", "").value().amountMinor, std::int64_t(999));
    }

    void sandboxNotificationsVerify()
    {
        sandbox::AlipaySandbox box(m_clock);
        CurlHttpClient http;
        NotifyReceiver receiver;
        AdapterSettings settings = box.settings();
        settings.notifyUrl = receiver.url();
        auto adapter = adapterFor(settings, http, m_clock);
        const std::string subject = "Milk tea + 2 toppings (50% sugar)";
        QVERIFY(adapter->create(CreateRequest{"46-1", 1230, "CNY", subject, m_clock.now() + std::chrono::minutes(15)})
                    .ok());

        // Built without sending: verifies, and a tampered copy does not.
        const auto built = box.notificationFor("46-1");
        QVERIFY(built.has_value());
        QCOMPARE(built->target, std::string("/notify/ali"));
        QVERIFY(std::holds_alternative<Notification>(adapter->verifyNotification(*built, m_clock.now())));
        QCOMPARE_REFUSAL(
            adapter->verifyNotification(tampered(*built, "total_amount=12.30", "total_amount=12.31"), m_clock.now()),
            RefusalReason::BadSignature);
        QVERIFY(!box.notificationFor("46-404").has_value());

        // Sent over HTTP twice (Alipay resending): the same notify_id both times.
        QVERIFY(box.pay("46-1", sandbox::Delivery::Twice));
        const auto received = receiver.waitFor(2);
        QCOMPARE(received.size(), std::size_t(2));
        QCOMPARE(received[0].target, std::string("/notify/ali"));
        std::string ids[2];
        for (int i = 0; i < 2; ++i) {
            const auto outcome = adapter->verifyNotification(received[i], m_clock.now());
            QVERIFY(std::holds_alternative<Notification>(outcome));
            const Notification &n = std::get<Notification>(outcome);
            QCOMPARE(n.payment->outTradeNo, std::string("46-1"));
            QCOMPARE(n.payment->state, PaymentState::Succeeded);
            QCOMPARE(n.payment->amountMinor, std::int64_t(1230));
            ids[i] = n.notificationId;
            std::string error;
            QCOMPARE(alipay::valueOf(*alipay::formDecode(received[i].body, &error), "subject"), subject);
        }
        QVERIFY(!ids[0].empty());
        QCOMPARE(ids[0], ids[1]);
        QCOMPARE(box.notificationsSent(), std::int64_t(2));

        // Late delivery is cancelled (and joined) by the destructor, never sent.
        QVERIFY(adapter->create(CreateRequest{"46-2", 100, "CNY", "x", m_clock.now() + std::chrono::minutes(15)}).ok());
        sandbox::Behaviour behaviour;
        behaviour.lateDelay = std::chrono::hours(1);
        box.setBehaviour(behaviour);
        QVERIFY(box.pay("46-2", sandbox::Delivery::Late));
    }

    void credentialsWritten()
    {
        sandbox::AlipaySandbox box(m_clock);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto credentials = box.writeCredentials(dir.path().toStdString());
        QCOMPARE(credentials.size(), std::size_t(2));
        QCOMPARE(credentials[0].first, std::string("app_private_key"));
        QCOMPARE(credentials[1].first, std::string("alipay_public_key"));
        for (const auto &[name, path] : credentials) {
            struct stat info {};
            QCOMPARE(::stat(path.c_str(), &info), 0);
            QCOMPARE(info.st_mode & 0777, 0600u);
            QVERIFY2(crypto::RsaKey::fromPemFile(path).ok(), name.c_str());
        }
        const auto alipayPublic = crypto::readSecretFile(credentials[1].second);
        QVERIFY(alipayPublic.ok());
        QVERIFY(alipayPublic.value().find("-----BEGIN") == std::string::npos); // bare Base64, as Alipay hands it out
    }
};

QTEST_GUILESS_MAIN(TestAlipay)
#include "tst_alipay.moc"
