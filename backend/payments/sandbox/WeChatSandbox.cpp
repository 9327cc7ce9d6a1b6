#include "payments/sandbox/WeChatSandbox.h"

#include "payments/CurlHttpClient.h"
#include "payments/WeChatPayProtocol.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace flywheel::payments::sandbox {

namespace {

using nlohmann::json;
namespace wx = wechatpay;

std::string randomDigits(std::size_t n)
{
    std::string out = crypto::randomAlnum(n);
    for (char &c : out)
        c = static_cast<char>('0' + static_cast<unsigned char>(c) % 10);
    return out;
}

std::string pathOf(const std::string &url)
{
    const std::size_t scheme = url.find("://");
    const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? "/" : url.substr(slash);
}

bool writePrivateFile(const std::string &path, const std::string &content)
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

std::optional<json> parseObject(const std::string &text)
{
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return std::nullopt;
    return parsed;
}

std::string stringAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> integerAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<std::int64_t>();
}

} // namespace

WeChatSandbox::WeChatSandbox(const Clock &clock)
    : m_clock(clock), m_merchantKey(crypto::RsaKey::generate()), m_platformKey(crypto::RsaKey::generate()),
      m_apiKey(crypto::randomAlnum(32)), 
      // The ids stay the same from one start to the next, as a provider's do: a demo
      // database's channel keeps working while the keys (rewritten to the same files) change.
      m_merchantSerial("5157F09EFDC096DE15EBE81A47057A7232F1B8E1"),
      m_platformSerial("PUB_KEY_ID_0114232134912410000000000000"), m_http(std::make_unique<CurlHttpClient>()),
      m_server(std::make_unique<httplib::Server>())
{
    route();
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0)
        throw std::runtime_error("the WeChat Pay sandbox could not bind to 127.0.0.1");
    m_worker = std::thread([this] { runTasks(); });
    m_serverThread = std::thread([this] { m_server->listen_after_bind(); });
}

WeChatSandbox::~WeChatSandbox()
{
    {
        std::lock_guard lock(m_taskMutex);
        m_stopping = true;
        m_tasks.clear();
    }
    m_taskChanged.notify_all();
    m_worker.join();
    m_server->stop();
    m_serverThread.join();
}

std::string WeChatSandbox::endpoint() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

AdapterSettings WeChatSandbox::settings() const
{
    AdapterSettings s;
    s.endpoint = endpoint();
    s.merchantId = m_mchid;
    s.appId = m_appid;
    s.merchantSerial = m_merchantSerial;
    s.platformSerial = m_platformSerial;
    s.merchantPrivateKeyPem = m_merchantKey.privatePem();
    s.providerPublicKeyPem = m_platformKey.publicPem();
    s.apiKey = m_apiKey;
    return s;
}

std::vector<std::pair<std::string, std::string>> WeChatSandbox::writeCredentials(const std::string &folder) const
{
    if (folder.empty())
        return {};
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> files = {
        {"merchant_private_key", {"wechatpay_apiclient_key.pem", m_merchantKey.privatePem()}},
        {"platform_public_key", {"wechatpay_pub_key.pem", m_platformKey.publicPem()}},
        {"apiv3_key", {"wechatpay_apiv3.key", m_apiKey + "\n"}},
    };
    std::vector<std::pair<std::string, std::string>> written;
    for (const auto &[name, file] : files) {
        const std::string path = (std::filesystem::path(folder) / file.first).string();
        if (!writePrivateFile(path, file.second))
            throw std::runtime_error("the WeChat Pay sandbox could not write " + path);
        written.emplace_back(name, path);
    }
    return written;
}

void WeChatSandbox::setBehaviour(const Behaviour &behaviour)
{
    std::lock_guard lock(m_mutex);
    m_behaviour = behaviour;
}

void WeChatSandbox::route()
{
    auto guarded = [this](void (WeChatSandbox::*handler)(const httplib::Request &, httplib::Response &)) {
        return [this, handler](const httplib::Request &request, httplib::Response &response) {
            if (std::optional<std::string> why = badSignature(request)) {
                answerError(response, 401, "SIGN_ERROR", *why);
                return;
            }
            (this->*handler)(request, response);
        };
    };
    m_server->Post("/v3/pay/transactions/native", guarded(&WeChatSandbox::createOrder));
    m_server->Get(R"(/v3/pay/transactions/out-trade-no/([^/]+))", guarded(&WeChatSandbox::queryOrder));
    m_server->Post(R"(/v3/pay/transactions/out-trade-no/([^/]+)/close)", guarded(&WeChatSandbox::closeOrder));
    m_server->Post("/v3/refund/domestic/refunds", guarded(&WeChatSandbox::createRefund));
    m_server->Get(R"(/v3/refund/domestic/refunds/([^/]+))", guarded(&WeChatSandbox::queryRefund));
}

std::optional<std::string> WeChatSandbox::badSignature(const httplib::Request &request) const
{
    if (!request.has_header("Authorization"))
        return "the Authorization header is missing";
    Result<wx::Authorization> parsed = wx::parseAuthorization(request.get_header_value("Authorization"));
    if (!parsed.ok())
        return parsed.error().message;
    const wx::Authorization &a = parsed.value();
    if (a.mchid != m_mchid)
        return "mchid " + a.mchid + " is not this merchant (" + m_mchid + ")";
    if (a.serial != m_merchantSerial)
        return "serial_no " + a.serial + " is not the merchant certificate's serial";
    if (a.timestamp.empty() || a.timestamp.size() > 12 || a.timestamp.find_first_not_of("0123456789") != std::string::npos)
        return "timestamp " + a.timestamp + " is not a Unix time";
    if (std::llabs(wx::unixSeconds(m_clock.now()) - std::stoll(a.timestamp)) > wx::kMaxSkewSeconds)
        return "timestamp " + a.timestamp + " is more than 5 minutes away";
    const std::string message = wx::requestMessage(request.method, request.target, a.timestamp, a.nonce,
                                                   request.method == "GET" ? std::string() : request.body);
    if (!m_merchantKey.verifySha256Base64(message, a.signature))
        return "签名错误 (the signature does not verify with the merchant's public key)";
    return std::nullopt;
}

void WeChatSandbox::answer(httplib::Response &response, int status, const std::string &body) const
{
    const std::string timestamp = std::to_string(wx::unixSeconds(m_clock.now()));
    const std::string nonce = crypto::randomAlnum(32);
    response.status = status;
    response.set_header(wx::kHeaderTimestamp, timestamp);
    response.set_header(wx::kHeaderNonce, nonce);
    response.set_header(wx::kHeaderSerial, m_platformSerial);
    response.set_header(wx::kHeaderSignatureType, std::string(wx::kSchema));
    response.set_header(wx::kHeaderSignature,
                        m_platformKey.signSha256Base64(wx::responseMessage(timestamp, nonce, body)));
    response.set_header("Request-ID", "SANDBOX-" + crypto::randomAlnum(24));
    if (!body.empty())
        response.set_content(body, "application/json");
}

void WeChatSandbox::answerError(httplib::Response &response, int status, const std::string &code,
                                const std::string &message) const
{
    answer(response, status, json{{"code", code}, {"message", message}}.dump());
}

void WeChatSandbox::createOrder(const httplib::Request &request, httplib::Response &response)
{
    const std::optional<json> body = parseObject(request.body);
    if (!body)
        return answerError(response, 400, "PARAM_ERROR", "the body is not a JSON object");
    if (stringAt(*body, "mchid") != m_mchid || stringAt(*body, "appid") != m_appid)
        return answerError(response, 400, "PARAM_ERROR", "appid and mchid do not match");
    const std::string outTradeNo = stringAt(*body, "out_trade_no");
    if (!wx::isSafeId(outTradeNo) || outTradeNo.size() > 32)
        return answerError(response, 400, "PARAM_ERROR", "out_trade_no must be 1-32 characters");
    const std::string notifyUrl = stringAt(*body, "notify_url");
    if (notifyUrl.rfind("http://", 0) != 0 && notifyUrl.rfind("https://", 0) != 0)
        return answerError(response, 400, "PARAM_ERROR", "notify_url must be an http(s) URL");
    const auto amount = body->find("amount");
    const std::optional<std::int64_t> total =
        amount != body->end() && amount->is_object() ? integerAt(*amount, "total") : std::nullopt;
    if (!total || *total <= 0)
        return answerError(response, 400, "PARAM_ERROR", "amount.total must be a positive integer (fen)");
    std::string currency = amount->is_object() ? stringAt(*amount, "currency") : std::string();
    if (currency.empty())
        currency = "CNY";
    if (currency != "CNY")
        return answerError(response, 400, "PARAM_ERROR", "amount.currency must be CNY");
    const std::string timeExpire = stringAt(*body, "time_expire");
    const std::optional<TimePoint> expiresAt =
        timeExpire.empty() ? std::optional<TimePoint>(m_clock.now() + std::chrono::hours(2))
                           : wx::parseRfc3339(timeExpire);
    if (!expiresAt)
        return answerError(response, 400, "PARAM_ERROR", "time_expire is not an RFC 3339 time");
    std::string codeUrl;
    {
        std::lock_guard lock(m_mutex);
        if (m_behaviour.failCreate)
            return answerError(response, 500, "SYSTEM_ERROR", "系统错误 (the sandbox is told to fail)");
        const auto existing = m_orders.find(outTradeNo);
        if (existing != m_orders.end()) {
            if (existing->second.state != "NOTPAY")
                return answerError(response, 400, "ORDER_PAID", "the order is already paid or closed");
            if (existing->second.amount != *total)
                return answerError(response, 400, "INVALID_REQUEST", "out_trade_no is in use with another amount");
            codeUrl = existing->second.codeUrl;
        } else {
            Order order;
            order.appid = m_appid;
            order.description = stringAt(*body, "description");
            order.notifyUrl = notifyUrl;
            order.amount = *total;
            order.currency = currency;
            order.expiresAt = *expiresAt;
            order.transactionId = "42000" + randomDigits(23);
            order.codeUrl = "weixin://wxpay/bizpayurl?pr=" + crypto::randomAlnum(7);
            codeUrl = order.codeUrl;
            m_orders.emplace(outTradeNo, std::move(order));
            ++m_created;
        }
    }
    answer(response, 200, json{{"code_url", codeUrl}}.dump());
}

std::string WeChatSandbox::transactionJson(const std::string &outTradeNo, const Order &order, bool asPaid) const
{
    const bool paid = asPaid || order.state == "SUCCESS" || order.state == "REFUND";
    json t;
    t["appid"] = order.appid;
    t["mchid"] = m_mchid;
    t["out_trade_no"] = outTradeNo;
    t["trade_type"] = "NATIVE";
    t["trade_state"] = asPaid ? std::string("SUCCESS") : order.state;
    t["trade_state_desc"] = paid ? "支付成功" : order.state == "CLOSED" ? "订单已关闭" : "订单未支付";
    const std::int64_t total = order.paid > 0 ? order.paid : order.amount;
    if (paid) {
        t["transaction_id"] = order.transactionId;
        t["bank_type"] = "OTHERS";
        t["success_time"] = wx::rfc3339(order.state == "NOTPAY" ? m_clock.now() : order.paidAt);
        t["payer"] = {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
        t["amount"] = {{"total", total}, {"payer_total", total}, {"currency", order.currency},
                       {"payer_currency", order.currency}};
    } else {
        t["amount"] = {{"total", order.amount}, {"currency", order.currency}};
    }
    return t.dump();
}

void WeChatSandbox::queryOrder(const httplib::Request &request, httplib::Response &response)
{
    if (request.get_param_value("mchid") != m_mchid)
        return answerError(response, 400, "PARAM_ERROR", "mchid is missing or not this merchant");
    const std::string outTradeNo = request.matches[1];
    std::string body;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_orders.find(outTradeNo);
        if (it == m_orders.end())
            return answerError(response, 404, "ORDER_NOT_EXIST", "订单不存在");
        body = transactionJson(outTradeNo, it->second, false);
    }
    answer(response, 200, body);
}

void WeChatSandbox::closeOrder(const httplib::Request &request, httplib::Response &response)
{
    const std::optional<json> body = parseObject(request.body);
    if (!body || stringAt(*body, "mchid") != m_mchid)
        return answerError(response, 400, "PARAM_ERROR", "mchid is missing or not this merchant");
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_orders.find(request.matches[1]);
        if (it == m_orders.end())
            return answerError(response, 404, "ORDER_NOT_EXIST", "订单不存在");
        if (it->second.state == "SUCCESS" || it->second.state == "REFUND")
            return answerError(response, 400, "ORDER_PAID", "订单已支付");
        it->second.state = "CLOSED";
    }
    answer(response, 204, "");
}

std::string WeChatSandbox::refundJson(const std::string &outRefundNo, const Refund &refund, const Order &order) const
{
    json r;
    r["refund_id"] = refund.refundId;
    r["out_refund_no"] = outRefundNo;
    r["transaction_id"] = order.transactionId;
    r["out_trade_no"] = refund.outTradeNo;
    r["channel"] = "ORIGINAL";
    r["user_received_account"] = "支付用户零钱";
    r["create_time"] = wx::rfc3339(refund.createdAt);
    if (refund.status == "SUCCESS")
        r["success_time"] = wx::rfc3339(refund.succeededAt);
    r["status"] = refund.status;
    r["funds_account"] = "AVAILABLE";
    r["amount"] = {{"total", order.paid},     {"refund", refund.amount}, {"payer_total", order.paid},
                   {"payer_refund", refund.amount}, {"currency", order.currency}};
    return r.dump();
}

std::string WeChatSandbox::refundResourceJson(const std::string &outRefundNo, const Refund &refund,
                                              const Order &order) const
{
    json r;
    r["mchid"] = m_mchid;
    r["transaction_id"] = order.transactionId;
    r["out_trade_no"] = refund.outTradeNo;
    r["refund_id"] = refund.refundId;
    r["out_refund_no"] = outRefundNo;
    r["refund_status"] = refund.status;
    r["success_time"] = wx::rfc3339(refund.succeededAt);
    r["user_received_account"] = "支付用户零钱";
    r["amount"] = {{"total", order.paid},
                   {"refund", refund.amount},
                   {"payer_total", order.paid},
                   {"payer_refund", refund.amount}};
    return r.dump();
}

void WeChatSandbox::createRefund(const httplib::Request &request, httplib::Response &response)
{
    const std::optional<json> body = parseObject(request.body);
    if (!body)
        return answerError(response, 400, "PARAM_ERROR", "the body is not a JSON object");
    const std::string outRefundNo = stringAt(*body, "out_refund_no");
    if (!wx::isSafeId(outRefundNo))
        return answerError(response, 400, "PARAM_ERROR", "out_refund_no must be 1-64 characters");
    const auto amount = body->find("amount");
    if (amount == body->end() || !amount->is_object())
        return answerError(response, 400, "PARAM_ERROR", "amount is missing");
    const std::optional<std::int64_t> refundAmount = integerAt(*amount, "refund");
    const std::optional<std::int64_t> total = integerAt(*amount, "total");
    if (!refundAmount || !total || *refundAmount <= 0)
        return answerError(response, 400, "PARAM_ERROR", "amount.refund and amount.total must be positive integers");
    std::string text;
    bool async = false;
    Milliseconds delay{0};
    {
        std::lock_guard lock(m_mutex);
        if (const auto done = m_refunds.find(outRefundNo); done != m_refunds.end()) {
            // The same out_refund_no refunds once: answer what it is.
            return answer(response, 200, refundJson(outRefundNo, done->second, m_orders.at(done->second.outTradeNo)));
        }
        std::string outTradeNo = stringAt(*body, "out_trade_no");
        const std::string transactionId = stringAt(*body, "transaction_id");
        if (outTradeNo.empty()) {
            for (const auto &[no, order] : m_orders) {
                if (!transactionId.empty() && order.transactionId == transactionId &&
                    (order.state == "SUCCESS" || order.state == "REFUND"))
                    outTradeNo = no;
            }
        }
        const auto it = m_orders.find(outTradeNo);
        if (it == m_orders.end())
            return answerError(response, 404, "RESOURCE_NOT_EXISTS", "订单不存在");
        Order &order = it->second;
        if (order.state != "SUCCESS" && order.state != "REFUND")
            return answerError(response, 400, "INVALID_REQUEST", "the order is not paid");
        if (*total != order.paid)
            return answerError(response, 400, "PARAM_ERROR", "amount.total is not the amount paid");
        if (order.refunded + *refundAmount > order.paid)
            return answerError(response, 400, "INVALID_REQUEST", "the refunds would exceed the amount paid");
        if (m_behaviour.loseRefund)
            return answerError(response, 503, "SYSTEM_ERROR", "系统繁忙 (the sandbox is told to lose refund requests)");
        if (m_behaviour.failRefund)
            return answerError(response, 403, "NOT_ENOUGH", "基本账户余额不足 (the sandbox is told to refuse refunds)");
        Refund refund;
        refund.outTradeNo = outTradeNo;
        refund.refundId = "50300" + randomDigits(24);
        refund.amount = *refundAmount;
        refund.createdAt = m_clock.now();
        refund.notifyUrl = stringAt(*body, "notify_url").empty() ? order.notifyUrl : stringAt(*body, "notify_url");
        async = m_behaviour.asyncRefund;
        delay = m_behaviour.lateDelay;
        refund.status = async ? "PROCESSING" : "SUCCESS";
        if (!async) {
            refund.succeededAt = refund.createdAt;
            order.state = "REFUND";
        }
        order.refunded += refund.amount;
        text = refundJson(outRefundNo, refund, order);
        m_refunds.emplace(outRefundNo, std::move(refund));
    }
    if (async)
        schedule(delay, [this, outRefundNo] { finishRefund(outRefundNo); });
    answer(response, 200, text);
}

void WeChatSandbox::finishRefund(const std::string &outRefundNo)
{
    std::string resource;
    std::string url;
    {
        std::lock_guard lock(m_mutex);
        Refund &refund = m_refunds.at(outRefundNo);
        Order &order = m_orders.at(refund.outTradeNo);
        refund.status = "SUCCESS";
        refund.succeededAt = m_clock.now();
        order.state = "REFUND";
        resource = refundResourceJson(outRefundNo, refund, order);
        url = refund.notifyUrl;
    }
    if (!url.empty())
        deliver(buildNotification("REFUND.SUCCESS", resource, url), url);
}

void WeChatSandbox::queryRefund(const httplib::Request &request, httplib::Response &response)
{
    std::string body;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_refunds.find(request.matches[1]);
        if (it == m_refunds.end())
            return answerError(response, 404, "RESOURCE_NOT_EXISTS", "退款单不存在");
        body = refundJson(it->first, it->second, m_orders.at(it->second.outTradeNo));
    }
    answer(response, 200, body);
}

HttpRequest WeChatSandbox::buildNotification(const std::string &eventType, const std::string &resourceJson,
                                             const std::string &notifyUrl) const
{
    const bool refund = eventType.rfind("REFUND.", 0) == 0;
    const std::string associatedData = refund ? "refund" : "transaction";
    const std::string nonce = crypto::randomAlnum(12);
    json envelope;
    envelope["id"] = "EV-" + randomDigits(19);
    envelope["create_time"] = wx::rfc3339(m_clock.now());
    envelope["resource_type"] = "encrypt-resource";
    envelope["event_type"] = eventType;
    envelope["summary"] = refund ? "退款成功" : "支付成功";
    envelope["resource"] = {
        {"original_type", associatedData},
        {"algorithm", std::string(wx::kAlgorithm)},
        {"ciphertext", crypto::base64Encode(crypto::aes256GcmEncrypt(m_apiKey, nonce, associatedData, resourceJson))},
        {"associated_data", associatedData},
        {"nonce", nonce},
    };
    HttpRequest request;
    request.method = "POST";
    request.target = pathOf(notifyUrl);
    request.body = envelope.dump();
    const std::string timestamp = std::to_string(wx::unixSeconds(m_clock.now()));
    const std::string signatureNonce = crypto::randomAlnum(32);
    request.headers["Content-Type"] = "application/json";
    request.headers[wx::kHeaderTimestamp] = timestamp;
    request.headers[wx::kHeaderNonce] = signatureNonce;
    request.headers[wx::kHeaderSerial] = m_platformSerial;
    request.headers[wx::kHeaderSignatureType] = std::string(wx::kSchema);
    request.headers[wx::kHeaderSignature] =
        m_platformKey.signSha256Base64(wx::responseMessage(timestamp, signatureNonce, request.body));
    request.headers["Request-ID"] = "SANDBOX-" + crypto::randomAlnum(24);
    return request;
}

std::optional<HttpRequest> WeChatSandbox::notificationFor(const std::string &outTradeNo)
{
    std::string resource;
    std::string url;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_orders.find(outTradeNo);
        if (it == m_orders.end())
            return std::nullopt;
        resource = transactionJson(outTradeNo, it->second, true);
        url = it->second.notifyUrl;
    }
    return buildNotification("TRANSACTION.SUCCESS", resource, url);
}

bool WeChatSandbox::pay(const std::string &outTradeNo, Delivery delivery, std::optional<std::int64_t> paidMinor)
{
    std::string resource;
    std::string url;
    Milliseconds lateDelay{0};
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_orders.find(outTradeNo);
        // Past time_expire the QR code no longer pays.
        if (it == m_orders.end() || it->second.state != "NOTPAY" || m_clock.now() > it->second.expiresAt)
            return false;
        Order &order = it->second;
        order.state = "SUCCESS";
        order.paid = paidMinor.value_or(order.amount);
        order.paidAt = m_clock.now();
        resource = transactionJson(outTradeNo, order, true);
        url = order.notifyUrl;
        lateDelay = m_behaviour.lateDelay;
    }
    const HttpRequest notification = buildNotification("TRANSACTION.SUCCESS", resource, url);
    switch (delivery) {
    case Delivery::Normal:
        deliver(notification, url);
        break;
    case Delivery::Twice:
        deliver(notification, url);
        schedule(Milliseconds(100), [this, notification, url] { deliver(notification, url); });
        break;
    case Delivery::Late:
        schedule(lateDelay, [this, notification, url] { deliver(notification, url); });
        break;
    case Delivery::Never:
        break;
    }
    return true;
}

void WeChatSandbox::deliver(const HttpRequest &notification, const std::string &url)
{
    // Counted as it leaves. The answer does not matter here: WeChat would retry on a
    // failure, the backend queries when no notification lands.
    ++m_sent;
    (void)m_http->send(url, notification, std::chrono::milliseconds(5000));
}

void WeChatSandbox::schedule(Milliseconds delay, std::function<void()> task)
{
    {
        std::lock_guard lock(m_taskMutex);
        if (m_stopping)
            return;
        m_tasks.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
    }
    m_taskChanged.notify_all();
}

void WeChatSandbox::runTasks()
{
    std::unique_lock lock(m_taskMutex);
    while (!m_stopping) {
        if (m_tasks.empty()) {
            m_taskChanged.wait(lock);
            continue;
        }
        const auto due = m_tasks.begin()->first;
        if (std::chrono::steady_clock::now() < due) {
            m_taskChanged.wait_until(lock, due);
            continue;
        }
        std::function<void()> task = std::move(m_tasks.begin()->second);
        m_tasks.erase(m_tasks.begin());
        lock.unlock();
        task();
        lock.lock();
    }
}

} // namespace flywheel::payments::sandbox
