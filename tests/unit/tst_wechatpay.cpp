#include "payments/Crypto.h"
#include "payments/CurlHttpClient.h"
#include "payments/PaymentAdapter.h"
#include "payments/WeChatPayAdapter.h"
#include "payments/WeChatPayProtocol.h"
#include "payments/sandbox/WeChatSandbox.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace flywheel;
using namespace flywheel::payments;
using nlohmann::json;
using sandbox::Delivery;
using sandbox::WeChatSandbox;

namespace {

const TimePoint kStart = fromEpochMs(1'765'000'000'000); // a whole second

/// A stand-in for the callback listener: records every request that arrives.
class Receiver {
public:
    Receiver()
    {
        m_server.Post(".*", [this](const httplib::Request &request, httplib::Response &response) {
            HttpRequest got;
            got.method = request.method;
            got.target = request.target;
            got.body = request.body;
            for (const auto &[name, value] : request.headers)
                got.headers[name] = value;
            {
                std::lock_guard lock(m_mutex);
                m_got.push_back(std::move(got));
            }
            m_changed.notify_all();
            response.status = 204;
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~Receiver()
    {
        m_server.stop();
        m_thread.join();
    }
    std::string url(const std::string &path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }
    /// The requests once there are at least `n` of them, or what came within 10 s.
    std::vector<HttpRequest> waitFor(std::size_t n)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, std::chrono::seconds(10), [&] { return m_got.size() >= n; });
        return m_got;
    }

private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<HttpRequest> m_got;
};

/// Answers every request with `response` and remembers the last request.
class CannedHttpClient final : public HttpClient {
public:
    HttpResponse response;
    HttpRequest last;
    std::string lastUrl;
    Result<HttpResponse> send(const std::string &url, const HttpRequest &request, std::chrono::milliseconds) override
    {
        last = request;
        lastUrl = url;
        return response;
    }
};

std::string flipByte(std::string text, std::size_t at)
{
    text[at] = static_cast<char>(text[at] ^ 0x01);
    return text;
}

std::optional<NotificationRefusal> refusalOf(const std::variant<Notification, NotificationRefusal> &result)
{
    if (const auto *refusal = std::get_if<NotificationRefusal>(&result))
        return *refusal;
    return std::nullopt;
}

} // namespace

class TestWeChatPay final : public QObject {
    Q_OBJECT

private:
    ManualClock m_clock{kStart};
    CurlHttpClient m_http;
    std::unique_ptr<WeChatSandbox> m_sandbox;
    std::unique_ptr<PaymentAdapter> m_adapter;
    int m_next = 0;

    std::string nextTradeNo() { return "T" + std::to_string(++m_next) + "-wx"; }

    AdapterSettings settings(const std::string &notifyUrl = "http://127.0.0.1:9/notify/wx") const
    {
        AdapterSettings s = m_sandbox->settings();
        s.channelId = "wx";
        s.notifyUrl = notifyUrl;
        return s;
    }

    std::unique_ptr<PaymentAdapter> adapterFor(const AdapterSettings &s)
    {
        Result<std::unique_ptr<PaymentAdapter>> made = makeAdapter("wechatpay", s, m_http, m_clock);
        if (!made.ok())
            qFatal("makeAdapter: %s", made.error().message.c_str());
        return std::move(made).value();
    }

    std::string createPayment(PaymentAdapter &adapter, std::int64_t amount = 128000)
    {
        const std::string no = nextTradeNo();
        CreateRequest request;
        request.outTradeNo = no;
        request.amountMinor = amount;
        request.currency = "CNY";
        request.description = "Flywheel 订单";
        request.expiresAt = m_clock.now() + std::chrono::minutes(15);
        Result<CreateResult> created = adapter.create(request);
        if (!created.ok())
            qFatal("create: %s", created.error().message.c_str());
        return no;
    }

    /// `notification` with a new body, signed again with the platform key (so only
    /// what was changed in the body is wrong).
    HttpRequest resigned(HttpRequest notification, const std::string &body)
    {
        notification.body = body;
        notification.headers["Wechatpay-Signature"] = m_sandbox->platformKey().signSha256Base64(
            wechatpay::responseMessage(notification.headers["Wechatpay-Timestamp"],
                                       notification.headers["Wechatpay-Nonce"], body));
        return notification;
    }

    HttpRequest withCiphertextByteFlipped(const HttpRequest &notification, bool inTag)
    {
        json envelope = json::parse(notification.body);
        std::string sealed = *crypto::base64Decode(envelope["resource"]["ciphertext"].get<std::string>());
        sealed = flipByte(sealed, inTag ? sealed.size() - 1 : 0);
        envelope["resource"]["ciphertext"] = crypto::base64Encode(sealed);
        return resigned(notification, envelope.dump());
    }

    void expectRefusal(const HttpRequest &notification, RefusalReason reason, const std::string &detailPart)
    {
        const std::optional<NotificationRefusal> refusal =
            refusalOf(m_adapter->verifyNotification(notification, m_clock.now()));
        QVERIFY2(refusal.has_value(), "the notification was accepted");
        QCOMPARE(static_cast<int>(refusal->reason), static_cast<int>(reason));
        QVERIFY2(refusal->detail.find(detailPart) != std::string::npos, refusal->detail.c_str());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_sandbox = std::make_unique<WeChatSandbox>(m_clock);
        m_adapter = adapterFor(settings());
    }

    void init()
    {
        m_clock.set(kStart);
        m_sandbox->setBehaviour(sandbox::Behaviour{});
    }

    void cleanupTestCase()
    {
        m_adapter.reset();
        m_sandbox.reset();
    }

    void createQueryPayQuery()
    {
        const std::int64_t createdBefore = m_sandbox->created();
        const std::string no = nextTradeNo();
        CreateRequest request{no, 128000, "CNY", "Flywheel order", m_clock.now() + std::chrono::minutes(15)};
        Result<CreateResult> created = m_adapter->create(request);
        QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
        QVERIFY(created.value().payUrl.rfind("weixin://wxpay/bizpayurl?pr=", 0) == 0);
        QCOMPARE(m_sandbox->created(), createdBefore + 1);

        Result<PaymentReport> pending = m_adapter->query(no, "");
        QVERIFY2(pending.ok(), pending.ok() ? "" : pending.error().message.c_str());
        QCOMPARE(pending.value().state, PaymentState::Pending);
        QVERIFY(pending.value().detail.rfind("NOTPAY", 0) == 0);
        QCOMPARE(pending.value().outTradeNo, no);

        QVERIFY(m_sandbox->pay(no, Delivery::Never, std::nullopt));
        QVERIFY(!m_sandbox->pay(no, Delivery::Never, std::nullopt)); // paid already

        Result<PaymentReport> paid = m_adapter->query(no, "");
        QVERIFY2(paid.ok(), paid.ok() ? "" : paid.error().message.c_str());
        QCOMPARE(paid.value().state, PaymentState::Succeeded);
        QCOMPARE(paid.value().amountMinor, std::int64_t(128000));
        QCOMPARE(paid.value().currency, std::string("CNY"));
        QVERIFY(paid.value().providerPaymentId.rfind("42000", 0) == 0);
    }

    void createRefusesWhatWeChatWould()
    {
        CreateRequest request{"bad/no", 100, "CNY", "", m_clock.now()};
        QCOMPARE(m_adapter->create(request).error().code, ErrorCode::InvalidArgument);
        request.outTradeNo = nextTradeNo();
        request.currency = "USD";
        Result<CreateResult> usd = m_adapter->create(request);
        QCOMPARE(usd.error().code, ErrorCode::InvalidArgument);
        QVERIFY(usd.error().message.find("CNY") != std::string::npos);
        request.currency = "CNY";
        request.amountMinor = 0;
        QCOMPARE(m_adapter->create(request).error().code, ErrorCode::InvalidArgument);
    }

    void queryUnknownIsNotFound()
    {
        Result<PaymentReport> report = m_adapter->query("never-created", "");
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::NotFound);
        QVERIFY2(report.error().message.find("ORDER_NOT_EXIST") != std::string::npos, report.error().message.c_str());
        QVERIFY(report.error().message.find("404") != std::string::npos);
    }

    void closeMakesItFailed()
    {
        const std::string no = createPayment(*m_adapter);
        Result<bool> closed = m_adapter->close(no, "");
        QVERIFY2(closed.ok(), closed.ok() ? "" : closed.error().message.c_str());
        QVERIFY(closed.value());
        Result<PaymentReport> report = m_adapter->query(no, "");
        QVERIFY(report.ok());
        QCOMPARE(report.value().state, PaymentState::Failed);
        QVERIFY(report.value().detail.rfind("CLOSED", 0) == 0);
        QVERIFY(!m_sandbox->pay(no, Delivery::Never, std::nullopt));
        QCOMPARE(m_adapter->close("never-created", "").error().code, ErrorCode::NotFound);
    }

    void failCreateIsUnavailable()
    {
        sandbox::Behaviour behaviour;
        behaviour.failCreate = true;
        m_sandbox->setBehaviour(behaviour);
        CreateRequest request{nextTradeNo(), 100, "CNY", "x", m_clock.now()};
        Result<CreateResult> created = m_adapter->create(request);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, ErrorCode::Unavailable);
        QVERIFY2(created.error().message.find("500") != std::string::npos, created.error().message.c_str());
        QVERIFY(created.error().message.find("SYSTEM_ERROR") != std::string::npos);
    }

    void requestSignedWithTheWrongKeyIsRefused()
    {
        AdapterSettings s = settings();
        s.merchantPrivateKeyPem = crypto::RsaKey::generate().privatePem();
        std::unique_ptr<PaymentAdapter> forger = adapterFor(s);
        Result<PaymentReport> report = forger->query("whatever", "");
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::FailedPrecondition);
        QVERIFY2(report.error().message.find("401") != std::string::npos, report.error().message.c_str());
        QVERIFY(report.error().message.find("SIGN_ERROR") != std::string::npos);
        CreateRequest request{nextTradeNo(), 100, "CNY", "x", m_clock.now()};
        QCOMPARE(forger->create(request).error().code, ErrorCode::FailedPrecondition);
    }

    void authorizationHeaderSignsTheRequestLine()
    {
        auto *adapter = dynamic_cast<WeChatPayAdapter *>(m_adapter.get());
        QVERIFY(adapter);
        const std::string body = R"({"mchid":"1900000109"})";
        const std::string header = adapter->authorization("POST", "/v3/pay/transactions/out-trade-no/1/close", body);
        Result<wechatpay::Authorization> parsed = wechatpay::parseAuthorization(header);
        QVERIFY2(parsed.ok(), header.c_str());
        QCOMPARE(parsed.value().mchid, m_sandbox->settings().merchantId);
        QCOMPARE(parsed.value().serial, m_sandbox->settings().merchantSerial);
        QCOMPARE(parsed.value().nonce.size(), std::size_t(32));
        QCOMPARE(parsed.value().timestamp, std::string("1765000000"));
        Result<crypto::RsaKey> merchant = crypto::RsaKey::fromPem(m_sandbox->settings().merchantPrivateKeyPem);
        QVERIFY(merchant.ok());
        const std::string expected = "POST\n/v3/pay/transactions/out-trade-no/1/close\n1765000000\n" +
                                     parsed.value().nonce + "\n" + body + "\n";
        QVERIFY(merchant.value().verifySha256Base64(expected, parsed.value().signature));
        QVERIFY(!merchant.value().verifySha256Base64("GET" + expected.substr(4), parsed.value().signature));
    }

    void responseThatDoesNotVerifyIsUnavailable()
    {
        const std::string no = createPayment(*m_adapter);
        AdapterSettings s = settings();
        s.providerPublicKeyPem = crypto::RsaKey::generate().publicPem(); // same serial, another key
        std::unique_ptr<PaymentAdapter> misconfigured = adapterFor(s);
        Result<PaymentReport> report = misconfigured->query(no, "");
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Unavailable);
        QVERIFY2(report.error().message.find("response signature did not verify") != std::string::npos,
                 report.error().message.c_str());
        // An adapter that expects another serial.
        s = settings();
        s.platformSerial = "PUB_KEY_ID_0000";
        Result<PaymentReport> other = adapterFor(s)->query(no, "");
        QVERIFY(!other.ok());
        QVERIFY2(other.error().message.find("PUB_KEY_ID_0000") != std::string::npos, other.error().message.c_str());
    }

    void answersThatAreNotSignedAndFreshAreUnavailable()
    {
        CannedHttpClient canned;
        Result<std::unique_ptr<PaymentAdapter>> made = makeAdapter("wechatpay", settings(), canned, m_clock);
        QVERIFY(made.ok());
        PaymentAdapter &adapter = *made.value();
        const std::string body = R"({"code_url":"weixin://wxpay/bizpayurl?pr=abc"})";
        auto signedAt = [&](TimePoint t) {
            HttpResponse response;
            response.status = 200;
            response.body = body;
            const std::string ts = std::to_string(wechatpay::unixSeconds(t));
            response.headers["Wechatpay-Timestamp"] = ts;
            response.headers["Wechatpay-Nonce"] = "n0nce";
            response.headers["Wechatpay-Serial"] = m_sandbox->settings().platformSerial;
            response.headers["Wechatpay-Signature"] =
                m_sandbox->platformKey().signSha256Base64(wechatpay::responseMessage(ts, "n0nce", body));
            return response;
        };
        const CreateRequest request{"T-canned", 100, "CNY", "x", kStart + std::chrono::minutes(15)};

        canned.response = signedAt(m_clock.now());
        Result<CreateResult> fine = adapter.create(request);
        QVERIFY2(fine.ok(), fine.ok() ? "" : fine.error().message.c_str());
        QCOMPARE(fine.value().payUrl, std::string("weixin://wxpay/bizpayurl?pr=abc"));
        // What went out: the URL, the signed headers and the body WeChat expects.
        QCOMPARE(canned.lastUrl, m_sandbox->endpoint() + "/v3/pay/transactions/native");
        QCOMPARE(canned.last.target, std::string("/v3/pay/transactions/native"));
        QVERIFY(canned.last.headers["Authorization"].rfind("WECHATPAY2-SHA256-RSA2048 mchid=", 0) == 0);
        const json sent = json::parse(canned.last.body);
        QCOMPARE(sent["out_trade_no"].get<std::string>(), std::string("T-canned"));
        QCOMPARE(sent["amount"]["total"].get<std::int64_t>(), std::int64_t(100));
        QCOMPARE(sent["amount"]["currency"].get<std::string>(), std::string("CNY"));
        QCOMPARE(sent["time_expire"].get<std::string>(), std::string("2025-12-06T14:01:40+08:00"));
        QCOMPARE(sent["notify_url"].get<std::string>(), std::string("http://127.0.0.1:9/notify/wx"));
        QCOMPARE(sent["appid"].get<std::string>(), m_sandbox->settings().appId);
        QCOMPARE(sent["mchid"].get<std::string>(), m_sandbox->settings().merchantId);

        canned.response = signedAt(m_clock.now() - std::chrono::seconds(400));
        Result<CreateResult> stale = adapter.create(request);
        QCOMPARE(stale.error().code, ErrorCode::Unavailable);
        QVERIFY2(stale.error().message.find("response signature did not verify") != std::string::npos &&
                     stale.error().message.find("400 s away") != std::string::npos,
                 stale.error().message.c_str());

        canned.response = signedAt(m_clock.now());
        canned.response.body = R"({"code_url":"weixin://wxpay/bizpayurl?pr=evil"})";
        Result<CreateResult> swapped = adapter.create(request);
        QCOMPARE(swapped.error().code, ErrorCode::Unavailable);
        QVERIFY(swapped.error().message.find("response signature did not verify") != std::string::npos);

        canned.response = HttpResponse{200, {}, body};
        Result<CreateResult> unsignedAnswer = adapter.create(request);
        QCOMPARE(unsignedAnswer.error().code, ErrorCode::Unavailable);
        QVERIFY2(unsignedAnswer.error().message.find("Wechatpay-Timestamp header is missing") != std::string::npos,
                 unsignedAnswer.error().message.c_str());

        canned.response = HttpResponse{503, {}, R"({"code":"SYSTEM_ERROR","message":"busy"})"};
        Result<CreateResult> down = adapter.create(request);
        QCOMPARE(down.error().code, ErrorCode::Unavailable);
        QVERIFY2(down.error().message.find("HTTP 503: SYSTEM_ERROR busy") != std::string::npos,
                 down.error().message.c_str());

        canned.response = HttpResponse{400, {}, R"({"code":"PARAM_ERROR","message":"appid mismatch"})"};
        Result<CreateResult> refused = adapter.create(request);
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(refused.error().message.find("HTTP 400: PARAM_ERROR appid mismatch") != std::string::npos);
    }

    void transportFailureIsUnavailable()
    {
        AdapterSettings s = settings();
        s.endpoint = "http://127.0.0.1:1"; // nothing listens there
        Result<PaymentReport> report = adapterFor(s)->query("T1", "");
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, ErrorCode::Unavailable);
    }

    void timesAreRfc3339()
    {
        QCOMPARE(wechatpay::rfc3339(kStart), std::string("2025-12-06T13:46:40+08:00"));
        QCOMPARE(wechatpay::parseRfc3339("2025-12-06T13:46:40+08:00").value_or(TimePoint{}), kStart);
        QCOMPARE(wechatpay::parseRfc3339("2025-12-06T05:46:40Z").value_or(TimePoint{}), kStart);
        QCOMPARE(wechatpay::parseRfc3339("2025-12-05T22:46:40-07:00").value_or(TimePoint{}), kStart);
        for (const char *bad : {"", "2025-12-06", "2025-12-06T13:46:40", "2025-12-06 13:46:40+08:00",
                                "2025-02-30T13:46:40+08:00", "2025-12-06T24:00:00+08:00", "2025-12-06T13:46:40+0800",
                                "2025-12-06T13:46:40.5+08:00", "2025-12-06T13:46:40*08:00"})
            QVERIFY2(!wechatpay::parseRfc3339(bad).has_value(), bad);
    }

    void expiredPaymentCannotBePaid()
    {
        const std::string no = createPayment(*m_adapter); // expires in 15 minutes
        m_clock.advance(std::chrono::minutes(15) + std::chrono::seconds(1));
        QVERIFY(!m_sandbox->pay(no, Delivery::Never, std::nullopt));
        m_clock.set(kStart);
        QVERIFY(m_sandbox->pay(no, Delivery::Never, std::nullopt));
    }

    void refundNotificationStates()
    {
        const json resource = {{"mchid", m_sandbox->settings().merchantId},
                               {"out_trade_no", "T9"},
                               {"transaction_id", "4200000000000000000000000009"},
                               {"refund_id", "50300000000000000000000009"},
                               {"out_refund_no", "RT9"},
                               {"refund_status", "ABNORMAL"},
                               {"amount", {{"total", 900}, {"refund", 300}}}};
        const auto result = m_adapter->verifyNotification(
            m_sandbox->buildNotification("REFUND.ABNORMAL", resource.dump(), "http://x/notify"), m_clock.now());
        const auto *parsed = std::get_if<Notification>(&result);
        QVERIFY2(parsed, refusalOf(result) ? refusalOf(result)->detail.c_str() : "");
        QCOMPARE(parsed->refund->state, RefundState::Failed);
        QCOMPARE(parsed->refund->amountMinor, std::int64_t(300));
        QCOMPARE(parsed->refund->detail, std::string("ABNORMAL"));

        json other = resource;
        other["mchid"] = "1230000109";
        expectRefusal(m_sandbox->buildNotification("REFUND.SUCCESS", other.dump(), "http://x/notify"),
                      RefusalReason::WrongMerchant, "mchid 1230000109");
        other = resource;
        other.erase("out_refund_no");
        expectRefusal(m_sandbox->buildNotification("REFUND.SUCCESS", other.dump(), "http://x/notify"),
                      RefusalReason::Malformed, "out_refund_no");
    }

    void notificationVerifiesAndParses()
    {
        const std::string no = createPayment(*m_adapter, 2599);
        std::optional<HttpRequest> notification = m_sandbox->notificationFor(no);
        QVERIFY(notification.has_value());
        QVERIFY(!m_sandbox->notificationFor("never-created").has_value());
        const auto result = m_adapter->verifyNotification(*notification, m_clock.now());
        const auto *parsed = std::get_if<Notification>(&result);
        QVERIFY2(parsed, refusalOf(result) ? refusalOf(result)->detail.c_str() : "");
        QVERIFY(parsed->notificationId.rfind("EV-", 0) == 0);
        QVERIFY(parsed->payment.has_value());
        QVERIFY(!parsed->refund.has_value());
        QCOMPARE(parsed->payment->outTradeNo, no);
        QCOMPARE(parsed->payment->state, PaymentState::Succeeded);
        QCOMPARE(parsed->payment->amountMinor, std::int64_t(2599));
        QCOMPARE(parsed->payment->currency, std::string("CNY"));
        QVERIFY(parsed->payment->providerPaymentId.rfind("42000", 0) == 0);
        // Every notification gets its own id.
        const auto again = m_adapter->verifyNotification(*m_sandbox->notificationFor(no), m_clock.now());
        QVERIFY(std::get<Notification>(again).notificationId != parsed->notificationId);
    }

    void amountsComeFromTheDecryptedResourceOnly()
    {
        const std::string no = createPayment(*m_adapter, 5000);
        HttpRequest notification = *m_sandbox->notificationFor(no);
        json envelope = json::parse(notification.body);
        // Plain-text fields beside the resource are not believed.
        envelope["amount"] = {{"total", 1}};
        envelope["out_trade_no"] = "someone-else";
        const auto result = m_adapter->verifyNotification(resigned(notification, envelope.dump()), m_clock.now());
        const auto *parsed = std::get_if<Notification>(&result);
        QVERIFY(parsed);
        QCOMPARE(parsed->payment->outTradeNo, no);
        QCOMPARE(parsed->payment->amountMinor, std::int64_t(5000));
    }

    void tamperedNotificationsAreRefused()
    {
        const std::string no = createPayment(*m_adapter);
        const HttpRequest good = *m_sandbox->notificationFor(no);

        HttpRequest body = good;
        body.body = flipByte(body.body, body.body.size() / 2);
        expectRefusal(body, RefusalReason::BadSignature, "does not verify");

        HttpRequest signature = good;
        std::string raw = *crypto::base64Decode(signature.headers["Wechatpay-Signature"]);
        signature.headers["Wechatpay-Signature"] = crypto::base64Encode(flipByte(raw, 10));
        expectRefusal(signature, RefusalReason::BadSignature, "does not verify");

        expectRefusal(withCiphertextByteFlipped(good, false), RefusalReason::BadCiphertext, "GCM tag");
        expectRefusal(withCiphertextByteFlipped(good, true), RefusalReason::BadCiphertext, "GCM tag");

        json envelope = json::parse(good.body);
        envelope["resource"]["associated_data"] = "refund";
        expectRefusal(resigned(good, envelope.dump()), RefusalReason::BadCiphertext, "GCM tag");
        envelope = json::parse(good.body);
        envelope["resource"]["nonce"] = flipByte(envelope["resource"]["nonce"].get<std::string>(), 0);
        expectRefusal(resigned(good, envelope.dump()), RefusalReason::BadCiphertext, "GCM tag");
        envelope = json::parse(good.body);
        envelope["resource"]["algorithm"] = "AEAD_AES_128_GCM";
        expectRefusal(resigned(good, envelope.dump()), RefusalReason::Malformed, "AEAD_AES_128_GCM");
        expectRefusal(resigned(good, "not json"), RefusalReason::Malformed, "not a JSON object");

        // The original is still fine.
        QVERIFY(std::holds_alternative<Notification>(m_adapter->verifyNotification(good, m_clock.now())));
    }

    void wrongSerialIsRefused()
    {
        HttpRequest notification = *m_sandbox->notificationFor(createPayment(*m_adapter));
        notification.headers["Wechatpay-Serial"] = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
        expectRefusal(notification, RefusalReason::UnknownSerial, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        expectRefusal(notification, RefusalReason::UnknownSerial, m_sandbox->settings().platformSerial);
    }

    void freshnessWindowIsFiveMinutes()
    {
        const HttpRequest notification = *m_sandbox->notificationFor(createPayment(*m_adapter));
        m_clock.advance(std::chrono::seconds(300));
        QVERIFY(std::holds_alternative<Notification>(m_adapter->verifyNotification(notification, m_clock.now())));
        m_clock.advance(std::chrono::seconds(1));
        expectRefusal(notification, RefusalReason::Stale, "is 301 s away from now (the limit is 300 s)");
        expectRefusal(notification, RefusalReason::Stale, "Wechatpay-Timestamp 1765000000");
        // From the future as well.
        m_clock.set(kStart - std::chrono::seconds(301));
        expectRefusal(notification, RefusalReason::Stale, "301 s away");
        m_clock.set(kStart - std::chrono::seconds(300));
        QVERIFY(std::holds_alternative<Notification>(m_adapter->verifyNotification(notification, m_clock.now())));
    }

    void timestampMustBeDigits()
    {
        HttpRequest notification = *m_sandbox->notificationFor(createPayment(*m_adapter));
        notification.headers["Wechatpay-Timestamp"] = "1765000000.5";
        notification = resigned(notification, notification.body);
        expectRefusal(notification, RefusalReason::Malformed, "not a Unix time");
        notification.headers["Wechatpay-Timestamp"] = "-1765000000";
        notification = resigned(notification, notification.body);
        expectRefusal(notification, RefusalReason::Malformed, "not a Unix time");
    }

    void missingHeadersAreRefused_data()
    {
        QTest::addColumn<QString>("header");
        QTest::newRow("timestamp") << "Wechatpay-Timestamp";
        QTest::newRow("nonce") << "Wechatpay-Nonce";
        QTest::newRow("signature") << "Wechatpay-Signature";
        QTest::newRow("serial") << "Wechatpay-Serial";
    }
    void missingHeadersAreRefused()
    {
        QFETCH(QString, header);
        HttpRequest notification = *m_sandbox->notificationFor(createPayment(*m_adapter));
        notification.headers.erase(header.toStdString());
        expectRefusal(notification, RefusalReason::Malformed, header.toStdString() + " header is missing");
        notification.headers[header.toLower().toStdString()] = "";
        expectRefusal(notification, RefusalReason::Malformed, header.toStdString() + " header is missing");
    }

    void signatureTypeMustBeRsa()
    {
        HttpRequest notification = *m_sandbox->notificationFor(createPayment(*m_adapter));
        notification.headers.erase("Wechatpay-Signature-Type");
        QVERIFY(std::holds_alternative<Notification>(m_adapter->verifyNotification(notification, m_clock.now())));
        notification.headers["Wechatpay-Signature-Type"] = "WECHATPAY2-SM2-WITH-SM3";
        expectRefusal(notification, RefusalReason::Malformed, "WECHATPAY2-SM2-WITH-SM3");
    }

    void signTestProbeIsRefused()
    {
        HttpRequest notification = *m_sandbox->notificationFor(createPayment(*m_adapter));
        notification.headers["Wechatpay-Signature"] =
            "WECHATPAY/SIGNTEST/" + notification.headers["Wechatpay-Signature"];
        expectRefusal(notification, RefusalReason::BadSignature, "WECHATPAY/SIGNTEST/");
    }

    void anotherMerchantIsRefused()
    {
        const std::string no = createPayment(*m_adapter);
        json resource = {{"mchid", "1230000109"},
                         {"appid", m_sandbox->settings().appId},
                         {"out_trade_no", no},
                         {"transaction_id", "4200000000000000000000000001"},
                         {"trade_state", "SUCCESS"},
                         {"amount", {{"total", 128000}, {"currency", "CNY"}}}};
        HttpRequest other = m_sandbox->buildNotification("TRANSACTION.SUCCESS", resource.dump(), "http://x/notify");
        expectRefusal(other, RefusalReason::WrongMerchant, "mchid 1230000109");
        const auto refusal = refusalOf(m_adapter->verifyNotification(other, m_clock.now()));
        QCOMPARE(refusal->outTradeNo, no);
        QVERIFY(refusal->notificationId.rfind("EV-", 0) == 0);

        resource["mchid"] = m_sandbox->settings().merchantId;
        resource["appid"] = "wx0000000000000000";
        other = m_sandbox->buildNotification("TRANSACTION.SUCCESS", resource.dump(), "http://x/notify");
        expectRefusal(other, RefusalReason::WrongMerchant, "appid wx0000000000000000");

        resource["appid"] = m_sandbox->settings().appId;
        other = m_sandbox->buildNotification("TRANSACTION.SUCCESS", resource.dump(), "http://x/notify");
        QVERIFY(std::holds_alternative<Notification>(m_adapter->verifyNotification(other, m_clock.now())));
        other = m_sandbox->buildNotification("TRANSACTION.WHATEVER", resource.dump(), "http://x/notify");
        expectRefusal(other, RefusalReason::Malformed, "TRANSACTION.WHATEVER");
    }

    void payDeliversToTheNotifyUrl()
    {
        Receiver receiver;
        std::unique_ptr<PaymentAdapter> adapter = adapterFor(settings(receiver.url("/notify/wx")));
        const std::int64_t sentBefore = m_sandbox->notificationsSent();
        const std::string once = createPayment(*adapter, 300);
        QVERIFY(m_sandbox->pay(once, Delivery::Normal, std::nullopt));
        std::vector<HttpRequest> got = receiver.waitFor(1);
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].target, std::string("/notify/wx"));
        const auto result = adapter->verifyNotification(got[0], m_clock.now());
        QVERIFY2(std::holds_alternative<Notification>(result),
                 refusalOf(result) ? refusalOf(result)->detail.c_str() : "");
        QCOMPARE(std::get<Notification>(result).payment->outTradeNo, once);
        QCOMPARE(std::get<Notification>(result).payment->amountMinor, std::int64_t(300));

        const std::string twice = createPayment(*adapter, 400);
        QVERIFY(m_sandbox->pay(twice, Delivery::Twice, std::nullopt));
        got = receiver.waitFor(3);
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(got[1].body, got[2].body); // the same notification, resent
        QCOMPARE(std::get<Notification>(adapter->verifyNotification(got[2], m_clock.now())).payment->outTradeNo,
                 twice);
        QCOMPARE(m_sandbox->notificationsSent(), sentBefore + 3);

        sandbox::Behaviour late;
        late.lateDelay = Milliseconds(20);
        m_sandbox->setBehaviour(late);
        const std::string later = createPayment(*adapter, 500);
        QVERIFY(m_sandbox->pay(later, Delivery::Late, std::int64_t(499)));
        got = receiver.waitFor(4);
        QCOMPARE(got.size(), std::size_t(4));
        const auto lateResult = adapter->verifyNotification(got[3], m_clock.now());
        QCOMPARE(std::get<Notification>(lateResult).payment->amountMinor, std::int64_t(499)); // as paid
    }

    void refundAtOnce()
    {
        const std::string no = createPayment(*m_adapter, 1000);
        QVERIFY(m_sandbox->pay(no, Delivery::Never, std::nullopt));
        RefundRequest request{no, "", "R" + no, 400, 1000, "CNY", "buyer asked"};
        Result<RefundReport> refund = m_adapter->refund(request);
        QVERIFY2(refund.ok(), refund.ok() ? "" : refund.error().message.c_str());
        QCOMPARE(refund.value().state, RefundState::Succeeded);
        QCOMPARE(refund.value().amountMinor, std::int64_t(400));
        QCOMPARE(refund.value().outRefundNo, "R" + no);
        QVERIFY(refund.value().providerRefundId.rfind("50300", 0) == 0);
        // The same number refunds once.
        Result<RefundReport> again = m_adapter->refund(request);
        QVERIFY(again.ok());
        QCOMPARE(again.value().providerRefundId, refund.value().providerRefundId);

        Result<RefundReport> queried = m_adapter->queryRefund("R" + no, no);
        QVERIFY(queried.ok());
        QCOMPARE(queried.value().state, RefundState::Succeeded);
        // Refunded is still paid.
        QCOMPARE(m_adapter->query(no, "").value().state, PaymentState::Succeeded);
        QVERIFY(m_adapter->query(no, "").value().detail.rfind("REFUND", 0) == 0);

        // More than what is left is refused by the provider.
        Result<RefundReport> tooMuch = m_adapter->refund(RefundRequest{no, "", "R2" + no, 700, 1000, "CNY", ""});
        QCOMPARE(tooMuch.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(m_adapter->queryRefund("Rnever", "").error().code, ErrorCode::NotFound);
    }

    void refundRefusedByTheProvider()
    {
        const std::string no = createPayment(*m_adapter, 1000);
        QVERIFY(m_sandbox->pay(no, Delivery::Never, std::nullopt));
        sandbox::Behaviour behaviour;
        behaviour.failRefund = true;
        m_sandbox->setBehaviour(behaviour);
        Result<RefundReport> refund = m_adapter->refund(RefundRequest{no, "", "R" + no, 1000, 1000, "CNY", ""});
        QVERIFY(!refund.ok());
        QCOMPARE(refund.error().code, ErrorCode::FailedPrecondition);
        QVERIFY2(refund.error().message.find("403") != std::string::npos, refund.error().message.c_str());
        QVERIFY(refund.error().message.find("NOT_ENOUGH") != std::string::npos);
        // An unpaid order cannot be refunded.
        const std::string unpaid = createPayment(*m_adapter, 1000);
        m_sandbox->setBehaviour(sandbox::Behaviour{});
        QCOMPARE(m_adapter->refund(RefundRequest{unpaid, "", "R" + unpaid, 1, 1000, "CNY", ""}).error().code,
                 ErrorCode::FailedPrecondition);
    }

    void refundLater()
    {
        Receiver receiver;
        std::unique_ptr<PaymentAdapter> adapter = adapterFor(settings(receiver.url("/notify/wx")));
        const std::string no = createPayment(*adapter, 1000);
        QVERIFY(m_sandbox->pay(no, Delivery::Never, std::nullopt));
        sandbox::Behaviour behaviour;
        behaviour.asyncRefund = true;
        behaviour.lateDelay = Milliseconds(20);
        m_sandbox->setBehaviour(behaviour);
        Result<RefundReport> refund = adapter->refund(RefundRequest{no, "", "R" + no, 1000, 1000, "CNY", ""});
        QVERIFY2(refund.ok(), refund.ok() ? "" : refund.error().message.c_str());
        QCOMPARE(refund.value().state, RefundState::Pending);
        QCOMPARE(refund.value().detail, std::string("PROCESSING"));

        const std::vector<HttpRequest> got = receiver.waitFor(1);
        QCOMPARE(got.size(), std::size_t(1));
        const auto result = adapter->verifyNotification(got[0], m_clock.now());
        const auto *parsed = std::get_if<Notification>(&result);
        QVERIFY2(parsed, refusalOf(result) ? refusalOf(result)->detail.c_str() : "");
        QVERIFY(!parsed->payment.has_value());
        QVERIFY(parsed->refund.has_value());
        QCOMPARE(parsed->refund->outRefundNo, "R" + no);
        QCOMPARE(parsed->refund->state, RefundState::Succeeded);
        QCOMPARE(parsed->refund->amountMinor, std::int64_t(1000));
        QCOMPARE(parsed->refund->providerRefundId, refund.value().providerRefundId);
        QCOMPARE(parsed->queryOutTradeNo, no);

        Result<RefundReport> queried = adapter->queryRefund("R" + no, no);
        QVERIFY(queried.ok());
        QCOMPARE(queried.value().state, RefundState::Succeeded);
    }

    void acknowledgeAnswers()
    {
        const HttpResponse ok = m_adapter->acknowledge(true, false);
        QCOMPARE(ok.status, 204);
        QVERIFY(ok.body.empty());
        const HttpResponse transient = m_adapter->acknowledge(false, false);
        QCOMPARE(transient.status, 500);
        QCOMPARE(json::parse(transient.body)["code"].get<std::string>(), std::string("FAIL"));
        const HttpResponse refused = m_adapter->acknowledge(false, true);
        QCOMPARE(refused.status, 400);
        QCOMPARE(json::parse(refused.body)["code"].get<std::string>(), std::string("FAIL"));
        QVERIFY(!json::parse(refused.body)["message"].get<std::string>().empty());
    }

    void makeAdapterRefusesWhatItCannotUse()
    {
        AdapterSettings s = settings();
        s.apiKey = s.apiKey.substr(0, 31);
        Result<std::unique_ptr<PaymentAdapter>> shortKey = makeAdapter("wechatpay", s, m_http, m_clock);
        QCOMPARE(shortKey.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(shortKey.error().message.find("32 bytes, got 31") != std::string::npos,
                 shortKey.error().message.c_str());
        QVERIFY(shortKey.error().message.find(s.apiKey) == std::string::npos); // never the secret

        s = settings();
        s.merchantPrivateKeyPem = "garbage";
        QVERIFY(makeAdapter("wechatpay", s, m_http, m_clock).error().message.find("merchant_private_key") !=
                std::string::npos);
        s = settings();
        s.merchantPrivateKeyPem = m_sandbox->platformKey().publicPem();
        QVERIFY(makeAdapter("wechatpay", s, m_http, m_clock).error().message.find("not a private") !=
                std::string::npos);
        s = settings();
        s.providerPublicKeyPem = crypto::RsaKey::generate(1024).publicPem();
        QVERIFY(makeAdapter("wechatpay", s, m_http, m_clock).error().message.find("platform_public_key") !=
                std::string::npos);
        s = settings();
        s.platformSerial.clear();
        QVERIFY(makeAdapter("wechatpay", s, m_http, m_clock).error().message.find("platform serial") !=
                std::string::npos);

        Result<std::unique_ptr<PaymentAdapter>> unknown = makeAdapter("paypal", settings(), m_http, m_clock);
        QCOMPARE(unknown.error().code, ErrorCode::InvalidArgument);
        QVERIFY(unknown.error().message.find("unknown provider") != std::string::npos);
        QVERIFY(sandbox::startSandbox("paypal", m_clock) == nullptr);
    }

    void credentialsAreWrittenPrivately()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto files = m_sandbox->writeCredentials(dir.path().toStdString() + "/keys");
        QCOMPARE(files.size(), std::size_t(3));
        AdapterSettings s = settings();
        for (const auto &[name, path] : files) {
            struct stat info {};
            QCOMPARE(::stat(path.c_str(), &info), 0);
            QCOMPARE(info.st_mode & 0777, mode_t(0600));
            Result<std::string> content = crypto::readSecretFile(path);
            QVERIFY(content.ok());
            if (name == "merchant_private_key")
                s.merchantPrivateKeyPem = content.value();
            else if (name == "platform_public_key")
                s.providerPublicKeyPem = content.value();
            else if (name == "apiv3_key")
                s.apiKey = content.value();
            else
                QFAIL(name.c_str());
        }
        QCOMPARE(s.apiKey, m_sandbox->settings().apiKey);
        std::unique_ptr<PaymentAdapter> fromFiles = adapterFor(s);
        const std::string no = createPayment(*fromFiles);
        QVERIFY(fromFiles->query(no, "").ok());
    }
};

QTEST_GUILESS_MAIN(TestWeChatPay)
#include "tst_wechatpay.moc"
