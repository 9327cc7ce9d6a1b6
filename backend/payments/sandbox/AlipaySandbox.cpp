#include "payments/sandbox/AlipaySandbox.h"

#include "domain/payments/Decimal.h"
#include "payments/AlipayProtocol.h"
#include "payments/Crypto.h"
#include "payments/CurlHttpClient.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace flywheel::payments::sandbox {

using alipay::Params;
using alipay::SignFor;
using nlohmann::json;

namespace {

constexpr const char *kBuyerId = "2088000200000002";

struct Refund {
    std::int64_t amountMinor = 0;
    bool done = false;
};

struct Trade {
    std::string outTradeNo;
    std::string tradeNo;
    std::int64_t amountMinor = 0;
    std::int64_t paidMinor = 0;
    std::string subject;
    std::string notifyUrl;
    std::string status = "WAIT_BUYER_PAY";
    std::string notifyId;
    TimePoint createdAt;
    TimePoint paidAt;
    std::optional<TimePoint> expiresAt;
    std::int64_t refundedMinor = 0;
    std::map<std::string, Refund> refunds;
};

/// The bare Base64 of a PEM's DER (what Alipay's console shows for its public key).
std::string bareBase64(const std::string &pem)
{
    std::string out;
    std::size_t start = 0;
    while (start < pem.size()) {
        std::size_t end = pem.find('\n', start);
        if (end == std::string::npos)
            end = pem.size();
        const std::string line = pem.substr(start, end - start);
        if (line.rfind("-----", 0) != 0)
            for (const char c : line)
                if (c != '\r' && c != ' ')
                    out.push_back(c);
        start = end + 1;
    }
    return out;
}

bool writeSecret(const std::string &path, const std::string &content)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n <= 0) {
            ::close(fd);
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return ::close(fd) == 0;
}

/// The path (and query) part of an absolute URL: "http://h:1/notify/ali" -> "/notify/ali".
std::string targetOf(const std::string &url)
{
    const std::size_t scheme = url.find("://");
    const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? std::string("/") : url.substr(slash);
}

json failure(const std::string &code, const std::string &msg, const std::string &subCode, const std::string &subMsg)
{
    return json{{"code", code}, {"msg", msg}, {"sub_code", subCode}, {"sub_msg", subMsg}};
}

json businessFailed(const std::string &subCode, const std::string &subMsg)
{
    return failure("40004", "Business Failed", subCode, subMsg);
}

json invalidArguments(const std::string &subCode, const std::string &subMsg)
{
    return failure("40002", "Invalid Arguments", subCode, subMsg);
}

} // namespace

struct AlipaySandbox::Impl {
    explicit Impl(const Clock &c) : clock(c) {}

    const Clock &clock;
    crypto::RsaKey appKey = crypto::RsaKey::generate();
    crypto::RsaKey alipayKey = crypto::RsaKey::generate();
    httplib::Server server;
    int port = 0;
    std::thread serverThread;
    CurlHttpClient http;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::map<std::string, Trade> trades;
    Behaviour behaviour;
    std::int64_t sequence = 0;
    struct DeliveryThread {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    std::list<DeliveryThread> deliveries;

    std::atomic<std::int64_t> createdCount{0};
    std::atomic<std::int64_t> sentCount{0};

    void start()
    {
        server.Post("/gateway.do", [this](const httplib::Request &request, httplib::Response &response) {
            handle(request, response);
        });
        port = server.bind_to_any_port("127.0.0.1");
        if (port <= 0)
            throw std::runtime_error("the Alipay sandbox could not listen on 127.0.0.1");
        serverThread = std::thread([this] { server.listen_after_bind(); });
        // httplib's stop() does nothing until listen has begun: wait for it, so a
        // sandbox destroyed at once still stops (and its thread joins).
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!server.is_running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
    }

    void stop()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        server.stop();
        if (serverThread.joinable())
            serverThread.join();
        for (auto &delivery : deliveries)
            if (delivery.thread.joinable())
                delivery.thread.join();
    }

    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port); }

    /// The answer Alipay gives: {"<method>_response":{…},"sign":"<RSA2 of that object's text>"}.
    void answer(httplib::Response &response, const std::string &key, const json &object) const
    {
        const std::string text = object.dump();
        const std::string body = "{\"" + key + "\":" + text + ",\"sign\":\"" + alipayKey.signSha256Base64(text) + "\"}";
        response.status = 200;
        response.set_content(body, "application/json;charset=utf-8");
    }

    void handle(const httplib::Request &request, httplib::Response &response)
    {
        std::string error;
        const auto params = alipay::formDecode(request.body, &error);
        if (!params) {
            answer(response, "error_response", invalidArguments("isv.invalid-parameter", "表单无法解码: " + error));
            return;
        }
        const std::string method = alipay::valueOf(*params, "method");
        const std::string key = method.empty() ? std::string("error_response") : alipay::responseKey(method);
        if (alipay::valueOf(*params, "app_id") != AlipaySandbox::kAppId) {
            answer(response, key, invalidArguments("isv.invalid-app-id", "无效的AppID参数"));
            return;
        }
        if (alipay::valueOf(*params, "sign_type") != "RSA2") {
            answer(response, key, invalidArguments("isv.invalid-signature-type", "无效的签名类型"));
            return;
        }
        const std::string sign = alipay::valueOf(*params, "sign");
        if (sign.empty()) {
            answer(response, key,
                   failure("40001", "Missing Required Arguments", "isv.missing-signature", "缺少签名参数"));
            return;
        }
        if (!appKey.verifySha256Base64(alipay::signContent(*params, SignFor::Request), sign)) {
            answer(response, key, invalidArguments("isv.invalid-signature", "验签出错"));
            return;
        }
        if (!alipay::parseBeijingTime(alipay::valueOf(*params, "timestamp"))) {
            answer(response, key, invalidArguments("isv.invalid-timestamp", "非法的时间戳参数"));
            return;
        }
        const json biz = json::parse(alipay::valueOf(*params, "biz_content"), nullptr, false);
        if (!biz.is_object()) {
            answer(response, key, invalidArguments("isv.invalid-parameter", "biz_content 不是 JSON 对象"));
            return;
        }
        auto text = [&biz](const char *name) {
            const auto it = biz.find(name);
            return it != biz.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        std::unique_lock lock(mutex);
        if (method == "alipay.trade.precreate") {
            if (behaviour.failCreate) {
                lock.unlock();
                response.status = 500;
                response.set_content("sandbox: create fails (behaviour.failCreate)", "text/plain");
                return;
            }
            answer(response, key,
                   precreate(text("out_trade_no"), text("total_amount"), text("subject"), text("time_expire"),
                             alipay::valueOf(*params, "notify_url")));
        } else if (method == "alipay.trade.query") {
            Trade *trade = find(text("out_trade_no"), text("trade_no"));
            if (!trade) {
                answer(response, key, businessFailed("ACQ.TRADE_NOT_EXIST", "交易不存在"));
                return;
            }
            json out{{"code", "10000"},
                     {"msg", "Success"},
                     {"trade_no", trade->tradeNo},
                     {"out_trade_no", trade->outTradeNo},
                     {"trade_status", trade->status},
                     {"total_amount", formatMinorDecimal(trade->paidMinor, 2)}};
            if (trade->paidAt.time_since_epoch().count() > 0) {
                out["buyer_user_id"] = kBuyerId;
                out["send_pay_date"] = alipay::formatBeijingTime(trade->paidAt);
                out["buyer_pay_amount"] = formatMinorDecimal(trade->paidMinor, 2);
            }
            answer(response, key, out);
        } else if (method == "alipay.trade.close") {
            Trade *trade = find(text("out_trade_no"), text("trade_no"));
            if (!trade) {
                answer(response, key, businessFailed("ACQ.TRADE_NOT_EXIST", "交易不存在"));
            } else if (trade->status != "WAIT_BUYER_PAY") {
                answer(response, key, businessFailed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
            } else {
                trade->status = "TRADE_CLOSED";
                answer(response, key,
                       json{{"code", "10000"},
                            {"msg", "Success"},
                            {"trade_no", trade->tradeNo},
                            {"out_trade_no", trade->outTradeNo}});
            }
        } else if (method == "alipay.trade.refund") {
            if (behaviour.loseRefund) {
                response.status = 503;
                response.set_content("the sandbox is told to lose refund requests", "text/plain");
                return;
            }
            answer(response, key,
                   refund(text("out_trade_no"), text("trade_no"), text("refund_amount"), text("out_request_no")));
        } else if (method == "alipay.trade.fastpay.refund.query") {
            Trade *trade = find(text("out_trade_no"), text("trade_no"));
            if (!trade) {
                answer(response, key, businessFailed("ACQ.TRADE_NOT_EXIST", "交易不存在"));
                return;
            }
            const std::string requestNo = text("out_request_no").empty() ? trade->outTradeNo : text("out_request_no");
            json out{{"code", "10000"}, {"msg", "Success"}};
            const auto it = trade->refunds.find(requestNo);
            if (it != trade->refunds.end()) {
                // An asynchronous refund completes when it is first looked at.
                if (!it->second.done)
                    completeRefund(*trade, it->second);
                out["trade_no"] = trade->tradeNo;
                out["out_trade_no"] = trade->outTradeNo;
                out["out_request_no"] = requestNo;
                out["total_amount"] = formatMinorDecimal(trade->paidMinor, 2);
                out["refund_amount"] = formatMinorDecimal(it->second.amountMinor, 2);
                out["refund_status"] = "REFUND_SUCCESS";
            }
            answer(response, key, out);
        } else {
            answer(response, "error_response", invalidArguments("isv.invalid-method", "不存在的方法名"));
        }
    }

    Trade *find(const std::string &outTradeNo, const std::string &tradeNo)
    {
        if (!outTradeNo.empty()) {
            const auto it = trades.find(outTradeNo);
            if (it == trades.end() || (!tradeNo.empty() && it->second.tradeNo != tradeNo))
                return nullptr;
            expireIfDue(it->second);
            return &it->second;
        }
        for (auto &[no, trade] : trades)
            if (!tradeNo.empty() && trade.tradeNo == tradeNo) {
                expireIfDue(trade);
                return &trade;
            }
        return nullptr;
    }

    void expireIfDue(Trade &trade) const
    {
        if (trade.status == "WAIT_BUYER_PAY" && trade.expiresAt && clock.now() >= *trade.expiresAt)
            trade.status = "TRADE_CLOSED";
    }

    json precreate(const std::string &outTradeNo, const std::string &amountText, const std::string &subject,
                   const std::string &timeExpire, const std::string &notifyUrl)
    {
        if (outTradeNo.empty())
            return failure("40001", "Missing Required Arguments", "isv.missing-out-trade-no", "缺少out_trade_no");
        if (subject.empty())
            return failure("40001", "Missing Required Arguments", "isv.missing-subject", "缺少subject");
        const auto amount = parseDecimalMinor(amountText, 2);
        if (!amount.ok() || amount.value() <= 0)
            return invalidArguments("isv.invalid-total-amount", "total_amount 不合法: " + amountText);
        std::optional<TimePoint> expiresAt;
        if (!timeExpire.empty()) {
            expiresAt = alipay::parseBeijingTime(timeExpire);
            if (!expiresAt)
                return invalidArguments("isv.invalid-time-expire", "time_expire 不合法: " + timeExpire);
        }
        const auto it = trades.find(outTradeNo);
        if (it != trades.end()) {
            if (it->second.status != "WAIT_BUYER_PAY")
                return businessFailed("ACQ.TRADE_HAS_SUCCESS", "交易已被支付或已关闭");
            if (it->second.amountMinor != amount.value())
                return businessFailed("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
        } else {
            Trade trade;
            trade.outTradeNo = outTradeNo;
            trade.tradeNo = "2026" + std::to_string(100000000000LL + ++sequence);
            trade.amountMinor = amount.value();
            trade.paidMinor = amount.value();
            trade.subject = subject;
            trade.notifyUrl = notifyUrl;
            trade.createdAt = clock.now();
            trade.expiresAt = expiresAt;
            trades.emplace(outTradeNo, std::move(trade));
            ++createdCount;
        }
        return json{{"code", "10000"},
                    {"msg", "Success"},
                    {"out_trade_no", outTradeNo},
                    {"qr_code", "https://qr.alipay.com/sandbox" + trades.at(outTradeNo).tradeNo}};
    }

    void completeRefund(Trade &trade, Refund &refund)
    {
        refund.done = true;
        trade.refundedMinor += refund.amountMinor;
        if (trade.refundedMinor >= trade.paidMinor)
            trade.status = "TRADE_CLOSED";
    }

    json refund(const std::string &outTradeNo, const std::string &tradeNo, const std::string &amountText,
                const std::string &outRequestNo)
    {
        Trade *trade = find(outTradeNo, tradeNo);
        if (!trade)
            return businessFailed("ACQ.TRADE_NOT_EXIST", "交易不存在");
        if (behaviour.failRefund)
            return businessFailed("ACQ.SELLER_BALANCE_NOT_ENOUGH", "卖家余额不足");
        const auto amount = parseDecimalMinor(amountText, 2);
        if (!amount.ok() || amount.value() <= 0)
            return invalidArguments("isv.invalid-refund-amount", "refund_amount 不合法: " + amountText);
        const std::string requestNo = outRequestNo.empty() ? trade->outTradeNo : outRequestNo;
        json out{{"code", "10000"},
                 {"msg", "Success"},
                 {"trade_no", trade->tradeNo},
                 {"out_trade_no", trade->outTradeNo},
                 {"buyer_logon_id", "san***@sandbox.alipay"}};
        const auto existing = trade->refunds.find(requestNo);
        if (existing != trade->refunds.end()) {
            if (existing->second.amountMinor != amount.value())
                return businessFailed("ACQ.DISCORDANT_REPEAT_REQUEST", "退款请求号已用于另一金额");
            out["fund_change"] = "N";
            out["refund_fee"] = formatMinorDecimal(trade->refundedMinor, 2);
            return out;
        }
        if (trade->status != "TRADE_SUCCESS" && trade->status != "TRADE_FINISHED")
            return businessFailed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
        std::int64_t pendingMinor = 0;
        for (const auto &[no, r] : trade->refunds)
            if (!r.done)
                pendingMinor += r.amountMinor;
        if (trade->refundedMinor + pendingMinor + amount.value() > trade->paidMinor)
            return businessFailed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
        Refund &refund = trade->refunds[requestNo];
        refund.amountMinor = amount.value();
        if (behaviour.asyncRefund) {
            out["fund_change"] = "N";
            out["refund_fee"] = formatMinorDecimal(trade->refundedMinor, 2);
        } else {
            completeRefund(*trade, refund);
            out["fund_change"] = "Y";
            out["refund_fee"] = formatMinorDecimal(trade->refundedMinor, 2);
            out["gmt_refund_pay"] = alipay::formatBeijingTime(clock.now());
        }
        return out;
    }

    /// The trade_status_sync notification of `trade`, signed now. Called locked.
    HttpRequest notification(const Trade &trade) const
    {
        const TimePoint now = clock.now();
        const TimePoint paidAt = trade.paidAt.time_since_epoch().count() > 0 ? trade.paidAt : now;
        const std::string amount = formatMinorDecimal(trade.paidMinor, 2);
        Params params{{"gmt_create", alipay::formatBeijingTime(trade.createdAt)},
                      {"charset", "utf-8"},
                      {"seller_email", "sandbox-seller@alipay.test"},
                      {"subject", trade.subject},
                      {"buyer_id", kBuyerId},
                      {"invoice_amount", amount},
                      {"notify_id", trade.notifyId.empty() ? crypto::randomAlnum(34) : trade.notifyId},
                      {"fund_bill_list", "[{\"amount\":\"" + amount + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]"},
                      {"notify_type", "trade_status_sync"},
                      {"trade_status", "TRADE_SUCCESS"},
                      {"receipt_amount", amount},
                      {"app_id", AlipaySandbox::kAppId},
                      {"buyer_pay_amount", amount},
                      {"seller_id", AlipaySandbox::kSellerId},
                      {"gmt_payment", alipay::formatBeijingTime(paidAt)},
                      {"notify_time", alipay::formatBeijingTime(now)},
                      {"version", "1.0"},
                      {"out_trade_no", trade.outTradeNo},
                      {"total_amount", amount},
                      {"trade_no", trade.tradeNo},
                      {"auth_app_id", AlipaySandbox::kAppId},
                      {"point_amount", "0.00"}};
        params.emplace_back("sign", alipayKey.signSha256Base64(alipay::signContent(params, SignFor::Notification)));
        params.emplace_back("sign_type", "RSA2");
        HttpRequest request;
        request.method = "POST";
        request.target = targetOf(trade.notifyUrl);
        request.headers["Content-Type"] = "application/x-www-form-urlencoded;charset=utf-8";
        request.body = alipay::formEncode(params);
        request.peer = "127.0.0.1:" + std::to_string(port);
        return request;
    }

    void deliver(const std::string &outTradeNo, Delivery delivery, Milliseconds lateDelay)
    {
        if (delivery == Delivery::Late) {
            std::unique_lock lock(mutex);
            if (wake.wait_for(lock, lateDelay, [this] { return stopping; }))
                return;
        }
        const int times = delivery == Delivery::Twice ? 2 : 1;
        for (int i = 0; i < times; ++i) {
            HttpRequest request;
            std::string url;
            {
                std::lock_guard lock(mutex);
                if (stopping)
                    return;
                const Trade &trade = trades.at(outTradeNo);
                url = trade.notifyUrl;
                request = notification(trade);
            }
            ++sentCount; // counted as it goes out, so a receiver never sees more than the count
            (void)http.send(url, request, std::chrono::seconds(5));
        }
    }
};

AlipaySandbox::AlipaySandbox(const Clock &clock) : m_impl(std::make_unique<Impl>(clock))
{
    m_impl->start();
}

AlipaySandbox::~AlipaySandbox()
{
    m_impl->stop();
}

std::string AlipaySandbox::endpoint() const
{
    return m_impl->endpoint();
}

AdapterSettings AlipaySandbox::settings() const
{
    AdapterSettings settings;
    settings.channelId = "alipay-sandbox";
    settings.endpoint = m_impl->endpoint();
    settings.merchantId = kSellerId;
    settings.appId = kAppId;
    settings.merchantPrivateKeyPem = m_impl->appKey.privatePem();
    settings.providerPublicKeyPem = bareBase64(m_impl->alipayKey.publicPem());
    return settings;
}

std::vector<std::pair<std::string, std::string>> AlipaySandbox::writeCredentials(const std::string &folder) const
{
    if (folder.empty())
        return {};
    const std::string privatePath = folder + "/alipay_app_private_key.pem";
    const std::string publicPath = folder + "/alipay_public_key.txt";
    if (!writeSecret(privatePath, m_impl->appKey.privatePem()) ||
        !writeSecret(publicPath, bareBase64(m_impl->alipayKey.publicPem()) + "\n"))
        return {};
    return {{"app_private_key", privatePath}, {"alipay_public_key", publicPath}};
}

void AlipaySandbox::setBehaviour(const Behaviour &behaviour)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->behaviour = behaviour;
}

void AlipaySandbox::setWebhookUrl(const std::string &)
{
    // Alipay takes notify_url in each request.
}

bool AlipaySandbox::pay(const std::string &outTradeNo, Delivery delivery, std::optional<std::int64_t> paidMinor)
{
    Impl &d = *m_impl;
    std::lock_guard lock(d.mutex);
    if (d.stopping)
        return false;
    const auto it = d.trades.find(outTradeNo);
    if (it == d.trades.end())
        return false;
    Trade &trade = it->second;
    d.expireIfDue(trade);
    if (trade.status != "WAIT_BUYER_PAY")
        return false;
    trade.status = "TRADE_SUCCESS";
    trade.paidAt = d.clock.now();
    trade.paidMinor = paidMinor.value_or(trade.amountMinor);
    trade.notifyId = crypto::randomAlnum(34);
    // Reap finished deliveries, then start this one.
    for (auto i = d.deliveries.begin(); i != d.deliveries.end();) {
        if (i->finished->load()) {
            i->thread.join();
            i = d.deliveries.erase(i);
        } else {
            ++i;
        }
    }
    if (delivery == Delivery::Never || trade.notifyUrl.empty())
        return true;
    auto finished = std::make_shared<std::atomic<bool>>(false);
    const Milliseconds lateDelay = d.behaviour.lateDelay;
    d.deliveries.push_back({std::thread([&d, outTradeNo, delivery, lateDelay, finished] {
                                d.deliver(outTradeNo, delivery, lateDelay);
                                finished->store(true);
                            }),
                            finished});
    return true;
}

std::optional<HttpRequest> AlipaySandbox::notificationFor(const std::string &outTradeNo)
{
    std::lock_guard lock(m_impl->mutex);
    const auto it = m_impl->trades.find(outTradeNo);
    if (it == m_impl->trades.end())
        return std::nullopt;
    return m_impl->notification(it->second);
}

std::int64_t AlipaySandbox::created() const
{
    return m_impl->createdCount.load();
}

std::int64_t AlipaySandbox::notificationsSent() const
{
    return m_impl->sentCount.load();
}

} // namespace flywheel::payments::sandbox
