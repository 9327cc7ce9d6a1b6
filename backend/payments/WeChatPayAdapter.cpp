#include "payments/WeChatPayAdapter.h"

#include "payments/WeChatPayProtocol.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace flywheel::payments {

namespace {

using nlohmann::json;
namespace wx = wechatpay;

constexpr std::chrono::milliseconds kTimeout{10000};

std::optional<std::string> stringField(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::int64_t> integerField(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<std::int64_t>();
}

const json *objectField(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_object() ? &*it : nullptr;
}

std::optional<json> parseObject(const std::string &text)
{
    json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return std::nullopt;
    return parsed;
}

/// trade_state (research §1.6): REFUND means it was paid (and some was refunded).
std::optional<PaymentState> tradeState(const std::string &state)
{
    if (state == "SUCCESS" || state == "REFUND")
        return PaymentState::Succeeded;
    if (state == "NOTPAY" || state == "USERPAYING")
        return PaymentState::Pending;
    if (state == "CLOSED" || state == "REVOKED" || state == "PAYERROR")
        return PaymentState::Failed;
    return std::nullopt;
}

std::optional<RefundState> refundState(const std::string &status)
{
    if (status == "SUCCESS")
        return RefundState::Succeeded;
    if (status == "PROCESSING")
        return RefundState::Pending;
    if (status == "CLOSED" || status == "ABNORMAL")
        return RefundState::Failed;
    return std::nullopt;
}

bool allDigits(std::string_view text)
{
    if (text.empty())
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

NotificationRefusal refused(RefusalReason reason, std::string detail, std::string id = {}, std::string outTradeNo = {})
{
    return NotificationRefusal{reason, std::move(detail), std::move(id), std::move(outTradeNo)};
}

} // namespace

WeChatPayAdapter::WeChatPayAdapter(AdapterSettings settings, crypto::RsaKey merchantKey, crypto::RsaKey platformKey,
                                   HttpClient &http, const Clock &clock)
    : m_settings(std::move(settings)), m_merchantKey(std::move(merchantKey)), m_platformKey(std::move(platformKey)),
      m_http(http), m_clock(clock)
{
    while (!m_settings.endpoint.empty() && m_settings.endpoint.back() == '/')
        m_settings.endpoint.pop_back();
}

std::string WeChatPayAdapter::authorization(std::string_view method, std::string_view target,
                                            std::string_view body) const
{
    wx::Authorization a;
    a.mchid = m_settings.merchantId;
    a.nonce = crypto::randomAlnum(32);
    a.timestamp = std::to_string(wx::unixSeconds(m_clock.now()));
    a.serial = m_settings.merchantSerial;
    a.signature = m_merchantKey.signSha256Base64(wx::requestMessage(method, target, a.timestamp, a.nonce, body));
    return wx::formatAuthorization(a);
}

Result<HttpResponse> WeChatPayAdapter::call(const std::string &method, const std::string &target,
                                            const std::string &body)
{
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = method == "GET" ? std::string() : body;
    request.headers["Authorization"] = authorization(method, target, request.body);
    request.headers["Accept"] = "application/json";
    request.headers["User-Agent"] = "flywheel-wechatpay/1";
    if (method != "GET")
        request.headers["Content-Type"] = "application/json";
    Result<HttpResponse> sent = m_http.send(m_settings.endpoint + target, request, kTimeout);
    if (!sent.ok())
        return sent.error(); // the client names the method and URL
    const HttpResponse &response = sent.value();
    if (response.status >= 500)
        return Error{ErrorCode::Unavailable, refusal("WeChat Pay " + method + " " + target, response).message};
    if (response.status >= 200 && response.status < 300) {
        if (std::optional<NotificationRefusal> bad = verifySigned(response.headers, response.body, m_clock.now()))
            return Error{ErrorCode::Unavailable, "WeChat Pay " + method + " " + target +
                                                     ": the response signature did not verify (" + bad->detail + ")"};
    }
    return sent;
}

Error WeChatPayAdapter::refusal(const std::string &what, const HttpResponse &response) const
{
    std::string code;
    std::string message;
    if (std::optional<json> body = parseObject(response.body)) {
        code = stringField(*body, "code").value_or("");
        message = stringField(*body, "message").value_or("");
    }
    std::string text = what + " answered HTTP " + std::to_string(response.status);
    if (!code.empty())
        text += ": " + code;
    if (!message.empty())
        text += (code.empty() ? ": " : " ") + message;
    return Error{response.status >= 500 ? ErrorCode::Unavailable : ErrorCode::FailedPrecondition, text};
}

std::optional<NotificationRefusal> WeChatPayAdapter::verifySigned(const Headers &headers, const std::string &body,
                                                                  TimePoint now) const
{
    const char *required[] = {wx::kHeaderTimestamp, wx::kHeaderNonce, wx::kHeaderSignature, wx::kHeaderSerial};
    for (const char *name : required) {
        const auto it = headers.find(name);
        if (it == headers.end() || it->second.empty())
            return refused(RefusalReason::Malformed, std::string("the ") + name + " header is missing");
    }
    const std::string &timestamp = headers.find(wx::kHeaderTimestamp)->second;
    const std::string &nonce = headers.find(wx::kHeaderNonce)->second;
    const std::string &signature = headers.find(wx::kHeaderSignature)->second;
    const std::string &serial = headers.find(wx::kHeaderSerial)->second;
    if (const auto type = headers.find(wx::kHeaderSignatureType);
        type != headers.end() && type->second != wx::kSchema)
        return refused(RefusalReason::Malformed, "Wechatpay-Signature-Type " + type->second.substr(0, 64) +
                                                     " is not " + std::string(wx::kSchema));
    if (serial != m_settings.platformSerial)
        return refused(RefusalReason::UnknownSerial, "Wechatpay-Serial " + serial.substr(0, 64) +
                                                         " is not the configured platform key " +
                                                         m_settings.platformSerial);
    if (!m_platformKey.verifySha256Base64(wx::responseMessage(timestamp, nonce, body), signature)) {
        const bool probe = signature.rfind("WECHATPAY/SIGNTEST/", 0) == 0;
        return refused(RefusalReason::BadSignature,
                       probe ? "Wechatpay-Signature is a WECHATPAY/SIGNTEST/ probe (a deliberately wrong signature)"
                             : "Wechatpay-Signature does not verify with the platform key " + serial);
    }
    if (!allDigits(timestamp) || timestamp.size() > 12)
        return refused(RefusalReason::Malformed, "Wechatpay-Timestamp " + timestamp.substr(0, 32) +
                                                     " is not a Unix time in seconds");
    const std::int64_t skew = wx::unixSeconds(now) - std::stoll(timestamp);
    if (std::llabs(skew) > wx::kMaxSkewSeconds)
        return refused(RefusalReason::Stale, "Wechatpay-Timestamp " + timestamp + " is " +
                                                 std::to_string(std::llabs(skew)) + " s away from now (the limit is " +
                                                 std::to_string(wx::kMaxSkewSeconds) + " s)");
    return std::nullopt;
}

Result<CreateResult> WeChatPayAdapter::create(const CreateRequest &request)
{
    if (!wx::isSafeId(request.outTradeNo) || request.outTradeNo.size() > 32)
        return Error{ErrorCode::InvalidArgument, "out_trade_no \"" + request.outTradeNo.substr(0, 40) +
                                                     "\" must be 1-32 characters of [0-9A-Za-z_-|*@]"};
    if (request.amountMinor <= 0)
        return Error{ErrorCode::InvalidArgument,
                     "the amount must be at least 1 fen, got " + std::to_string(request.amountMinor)};
    if (request.currency != "CNY")
        return Error{ErrorCode::InvalidArgument, "WeChat Pay Native takes CNY only, got \"" + request.currency + "\""};
    if (m_settings.notifyUrl.empty())
        return Error{ErrorCode::FailedPrecondition, "channel " + m_settings.channelId + " has no notify URL"};
    json body;
    body["appid"] = m_settings.appId;
    body["mchid"] = m_settings.merchantId;
    // WeChat takes at most 127 bytes; cut on a UTF-8 character boundary.
    std::string description = request.description.empty() ? "Order " + request.outTradeNo : request.description;
    if (description.size() > 127) {
        std::size_t cut = 127;
        while (cut > 0 && (static_cast<unsigned char>(description[cut]) & 0xC0) == 0x80)
            --cut;
        description.resize(cut);
    }
    body["description"] = description;
    body["out_trade_no"] = request.outTradeNo;
    body["time_expire"] = wx::rfc3339(request.expiresAt);
    body["notify_url"] = m_settings.notifyUrl;
    body["amount"] = {{"total", request.amountMinor}, {"currency", request.currency}};
    const std::string target = "/v3/pay/transactions/native";
    Result<HttpResponse> sent = call("POST", target, body.dump());
    if (!sent.ok())
        return sent.error();
    const HttpResponse &response = sent.value();
    if (response.status != 200)
        return refusal("WeChat Pay create " + request.outTradeNo, response);
    const std::optional<json> answer = parseObject(response.body);
    const std::optional<std::string> codeUrl = answer ? stringField(*answer, "code_url") : std::nullopt;
    if (!codeUrl || codeUrl->empty())
        return Error{ErrorCode::Unavailable, "WeChat Pay create " + request.outTradeNo + " answered without a code_url"};
    return CreateResult{std::string(), *codeUrl};
}

Result<PaymentReport> WeChatPayAdapter::query(const std::string &outTradeNo, const std::string &)
{
    if (!wx::isSafeId(outTradeNo))
        return Error{ErrorCode::InvalidArgument, "out_trade_no \"" + outTradeNo.substr(0, 40) + "\" is not valid"};
    const std::string target = "/v3/pay/transactions/out-trade-no/" + outTradeNo + "?mchid=" + m_settings.merchantId;
    Result<HttpResponse> sent = call("GET", target, "");
    if (!sent.ok())
        return sent.error();
    const HttpResponse &response = sent.value();
    const std::string what = "WeChat Pay query " + outTradeNo;
    if (response.status == 404) {
        Error error = refusal(what, response);
        return Error{ErrorCode::NotFound, error.message};
    }
    if (response.status != 200)
        return refusal(what, response);
    const std::optional<json> answer = parseObject(response.body);
    if (!answer)
        return Error{ErrorCode::Unavailable, what + " answered with a body that is not a JSON object"};
    const std::string state = stringField(*answer, "trade_state").value_or("");
    const std::optional<PaymentState> mapped = tradeState(state);
    if (!mapped)
        return Error{ErrorCode::Unavailable, what + " answered trade_state \"" + state.substr(0, 32) +
                                                 "\", which is not a WeChat Pay state"};
    const std::string mchid = stringField(*answer, "mchid").value_or(m_settings.merchantId);
    if (mchid != m_settings.merchantId)
        return Error{ErrorCode::FailedPrecondition, what + " answered for merchant " + mchid + ", not " +
                                                        m_settings.merchantId};
    PaymentReport report;
    report.outTradeNo = stringField(*answer, "out_trade_no").value_or(outTradeNo);
    if (report.outTradeNo != outTradeNo)
        return Error{ErrorCode::Unavailable, what + " answered for out_trade_no " + report.outTradeNo.substr(0, 40)};
    report.providerPaymentId = stringField(*answer, "transaction_id").value_or("");
    report.state = *mapped;
    if (const json *amount = objectField(*answer, "amount")) {
        report.amountMinor = integerField(*amount, "total").value_or(0);
        report.currency = stringField(*amount, "currency").value_or("");
    }
    if (report.state == PaymentState::Succeeded && (report.amountMinor <= 0 || report.currency.empty()))
        return Error{ErrorCode::Unavailable, what + " answered " + state + " without amount.total and amount.currency"};
    report.detail = state;
    if (std::optional<std::string> desc = stringField(*answer, "trade_state_desc"); desc && !desc->empty())
        report.detail += ": " + *desc;
    return report;
}

Result<bool> WeChatPayAdapter::close(const std::string &outTradeNo, const std::string &)
{
    if (!wx::isSafeId(outTradeNo))
        return Error{ErrorCode::InvalidArgument, "out_trade_no \"" + outTradeNo.substr(0, 40) + "\" is not valid"};
    const std::string target = "/v3/pay/transactions/out-trade-no/" + outTradeNo + "/close";
    Result<HttpResponse> sent = call("POST", target, json{{"mchid", m_settings.merchantId}}.dump());
    if (!sent.ok())
        return sent.error();
    const HttpResponse &response = sent.value();
    const std::string what = "WeChat Pay close " + outTradeNo;
    if (response.status == 204 || response.status == 200)
        return true;
    if (response.status == 404)
        return Error{ErrorCode::NotFound, refusal(what, response).message};
    return refusal(what, response);
}

Result<RefundReport> WeChatPayAdapter::refundReport(const HttpResponse &response, const std::string &what) const
{
    const std::optional<json> answer = parseObject(response.body);
    if (!answer)
        return Error{ErrorCode::Unavailable, what + " answered with a body that is not a JSON object"};
    const std::string status = stringField(*answer, "status").value_or("");
    const std::optional<RefundState> mapped = refundState(status);
    if (!mapped)
        return Error{ErrorCode::Unavailable,
                     what + " answered status \"" + status.substr(0, 32) + "\", which is not a refund state"};
    RefundReport report;
    report.outRefundNo = stringField(*answer, "out_refund_no").value_or("");
    report.providerRefundId = stringField(*answer, "refund_id").value_or("");
    report.state = *mapped;
    if (const json *amount = objectField(*answer, "amount"))
        report.amountMinor = integerField(*amount, "refund").value_or(0);
    report.detail = status;
    return report;
}

Result<RefundReport> WeChatPayAdapter::refund(const RefundRequest &request)
{
    if (!wx::isSafeId(request.outRefundNo))
        return Error{ErrorCode::InvalidArgument, "out_refund_no \"" + request.outRefundNo.substr(0, 40) +
                                                     "\" must be 1-64 characters of [0-9A-Za-z_-|*@]"};
    if (request.refundMinor <= 0 || request.refundMinor > request.totalMinor)
        return Error{ErrorCode::InvalidArgument, "the refund must be between 1 and the paid total " +
                                                     std::to_string(request.totalMinor) + " fen, got " +
                                                     std::to_string(request.refundMinor)};
    if (request.outTradeNo.empty() && request.providerPaymentId.empty())
        return Error{ErrorCode::InvalidArgument, "a refund needs out_trade_no or transaction_id"};
    json body;
    if (!request.providerPaymentId.empty())
        body["transaction_id"] = request.providerPaymentId;
    else
        body["out_trade_no"] = request.outTradeNo;
    body["out_refund_no"] = request.outRefundNo;
    if (!request.reason.empty())
        body["reason"] = request.reason.substr(0, 80);
    if (!m_settings.notifyUrl.empty())
        body["notify_url"] = m_settings.notifyUrl;
    body["amount"] = {{"refund", request.refundMinor},
                      {"total", request.totalMinor},
                      {"currency", request.currency.empty() ? std::string("CNY") : request.currency}};
    Result<HttpResponse> sent = call("POST", "/v3/refund/domestic/refunds", body.dump());
    if (!sent.ok())
        return sent.error();
    const std::string what = "WeChat Pay refund " + request.outRefundNo;
    if (sent.value().status != 200)
        return refusal(what, sent.value());
    return refundReport(sent.value(), what);
}

Result<RefundReport> WeChatPayAdapter::queryRefund(const std::string &outRefundNo, const std::string &)
{
    if (!wx::isSafeId(outRefundNo))
        return Error{ErrorCode::InvalidArgument, "out_refund_no \"" + outRefundNo.substr(0, 40) + "\" is not valid"};
    Result<HttpResponse> sent = call("GET", "/v3/refund/domestic/refunds/" + outRefundNo, "");
    if (!sent.ok())
        return sent.error();
    const std::string what = "WeChat Pay refund query " + outRefundNo;
    if (sent.value().status == 404)
        return Error{ErrorCode::NotFound, refusal(what, sent.value()).message};
    if (sent.value().status != 200)
        return refusal(what, sent.value());
    return refundReport(sent.value(), what);
}

std::variant<Notification, NotificationRefusal> WeChatPayAdapter::verifyNotification(const HttpRequest &request,
                                                                                     TimePoint now)
{
    // Authenticity and freshness before a byte of the body is parsed.
    if (std::optional<NotificationRefusal> bad = verifySigned(request.headers, request.body, now))
        return *bad;
    const std::optional<json> envelope = parseObject(request.body);
    if (!envelope)
        return refused(RefusalReason::Malformed, "the body is not a JSON object");
    Notification notification;
    notification.notificationId = stringField(*envelope, "id").value_or("");
    const std::string &id = notification.notificationId;
    if (id.empty())
        return refused(RefusalReason::Malformed, "the notification has no id");
    const std::string eventType = stringField(*envelope, "event_type").value_or("");
    const json *resource = objectField(*envelope, "resource");
    if (!resource)
        return refused(RefusalReason::Malformed, "the notification has no resource object", id);
    const std::string algorithm = stringField(*resource, "algorithm").value_or("");
    if (algorithm != wx::kAlgorithm)
        return refused(RefusalReason::Malformed,
                       "resource.algorithm \"" + algorithm.substr(0, 32) + "\" is not AEAD_AES_256_GCM", id);
    const std::optional<std::string> ciphertext = stringField(*resource, "ciphertext");
    const std::optional<std::string> nonce = stringField(*resource, "nonce");
    const std::string associatedData = stringField(*resource, "associated_data").value_or("");
    if (!ciphertext || !nonce)
        return refused(RefusalReason::Malformed, "resource.ciphertext or resource.nonce is missing", id);
    const std::optional<std::string> sealed = crypto::base64Decode(*ciphertext);
    if (!sealed)
        return refused(RefusalReason::BadCiphertext, "resource.ciphertext is not Base64", id);
    if (nonce->size() != 12)
        return refused(RefusalReason::BadCiphertext,
                       "resource.nonce has " + std::to_string(nonce->size()) + " bytes; AEAD_AES_256_GCM needs 12",
                       id);
    const std::optional<std::string> plain = crypto::aes256GcmDecrypt(m_settings.apiKey, *nonce, associatedData,
                                                                      *sealed);
    if (!plain)
        return refused(RefusalReason::BadCiphertext,
                       "resource.ciphertext does not decrypt with the APIv3 key (the GCM tag does not verify)", id);
    const std::optional<json> resourceJson = parseObject(*plain);
    if (!resourceJson)
        return refused(RefusalReason::Malformed, "the decrypted resource is not a JSON object", id);
    const json &r = *resourceJson;
    const std::string mchid = stringField(r, "mchid").value_or("");
    const std::string outTradeNo = stringField(r, "out_trade_no").value_or("");

    if (eventType == "TRANSACTION.SUCCESS") {
        if (mchid != m_settings.merchantId)
            return refused(RefusalReason::WrongMerchant,
                           "the resource is for mchid " + mchid.substr(0, 32) + ", not " + m_settings.merchantId, id,
                           outTradeNo);
        const std::string appid = stringField(r, "appid").value_or("");
        if (appid != m_settings.appId)
            return refused(RefusalReason::WrongMerchant,
                           "the resource is for appid " + appid.substr(0, 40) + ", not " + m_settings.appId, id,
                           outTradeNo);
        PaymentReport report;
        report.outTradeNo = outTradeNo;
        report.providerPaymentId = stringField(r, "transaction_id").value_or("");
        const std::string state = stringField(r, "trade_state").value_or("");
        const std::optional<PaymentState> mapped = tradeState(state);
        if (outTradeNo.empty() || report.providerPaymentId.empty() || !mapped)
            return refused(RefusalReason::Malformed,
                           "the resource lacks out_trade_no, transaction_id or a known trade_state", id, outTradeNo);
        report.state = *mapped;
        const json *amount = objectField(r, "amount");
        const std::optional<std::int64_t> total = amount ? integerField(*amount, "total") : std::nullopt;
        const std::optional<std::string> currency = amount ? stringField(*amount, "currency") : std::nullopt;
        if (!total || *total < 0 || !currency || currency->empty())
            return refused(RefusalReason::Malformed, "the resource lacks amount.total or amount.currency", id,
                           outTradeNo);
        report.amountMinor = *total;
        report.currency = *currency;
        report.detail = state;
        notification.payment = report;
        return notification;
    }
    if (eventType == "REFUND.SUCCESS" || eventType == "REFUND.ABNORMAL" || eventType == "REFUND.CLOSED") {
        if (mchid != m_settings.merchantId)
            return refused(RefusalReason::WrongMerchant,
                           "the resource is for mchid " + mchid.substr(0, 32) + ", not " + m_settings.merchantId, id,
                           outTradeNo);
        RefundReport report;
        report.outRefundNo = stringField(r, "out_refund_no").value_or("");
        report.providerRefundId = stringField(r, "refund_id").value_or("");
        const std::string status = stringField(r, "refund_status").value_or("");
        const std::optional<RefundState> mapped = refundState(status);
        const json *amount = objectField(r, "amount");
        const std::optional<std::int64_t> refunded = amount ? integerField(*amount, "refund") : std::nullopt;
        if (report.outRefundNo.empty() || !mapped || !refunded)
            return refused(RefusalReason::Malformed,
                           "the resource lacks out_refund_no, a known refund_status or amount.refund", id, outTradeNo);
        report.state = *mapped;
        report.amountMinor = *refunded;
        report.detail = status;
        notification.refund = report;
        notification.queryOutTradeNo = outTradeNo;
        return notification;
    }
    return refused(RefusalReason::Malformed, "event_type \"" + eventType.substr(0, 40) + "\" is not handled", id,
                   outTradeNo);
}

HttpResponse WeChatPayAdapter::acknowledge(bool accepted, bool forged) const
{
    HttpResponse response;
    if (accepted) {
        response.status = 204;
        return response;
    }
    response.status = forged ? 400 : 500;
    response.headers["Content-Type"] = "application/json";
    response.body = json{{"code", "FAIL"},
                         {"message", forged ? "notification refused" : "notification not recorded; retry later"}}
                        .dump();
    return response;
}

} // namespace flywheel::payments
