#include "payments/AlipayAdapter.h"

#include "domain/payments/Decimal.h"

#include <nlohmann/json.hpp>

namespace flywheel::payments {

using alipay::Params;
using alipay::SignFor;
using nlohmann::json;

namespace {

constexpr std::chrono::milliseconds kTimeout{10000};
constexpr const char *kSuccessCode = "10000";

Error malformed(const std::string &method, const std::string &what)
{
    return Error{ErrorCode::Internal, "Alipay " + method + " answered malformed: " + what};
}

/// A string member of a verified response object; empty when absent or not a string.
std::string stringField(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<PaymentState> tradeState(const std::string &status)
{
    if (status == "TRADE_SUCCESS" || status == "TRADE_FINISHED")
        return PaymentState::Succeeded;
    if (status == "WAIT_BUYER_PAY")
        return PaymentState::Pending;
    if (status == "TRADE_CLOSED")
        return PaymentState::Failed;
    return std::nullopt;
}

std::string secondsText(std::chrono::seconds s)
{
    return std::to_string(s.count()) + " s";
}

} // namespace

AlipayAdapter::AlipayAdapter(AdapterSettings settings, crypto::RsaKey appKey, crypto::RsaKey alipayKey,
                             HttpClient &http, const Clock &clock)
    : m_settings(std::move(settings)), m_appKey(std::move(appKey)), m_alipayKey(std::move(alipayKey)), m_http(http),
      m_clock(clock)
{}

Result<std::unique_ptr<AlipayAdapter>> AlipayAdapter::make(const AdapterSettings &settings, HttpClient &http,
                                                           const Clock &clock)
{
    if (settings.appId.empty())
        return Error{ErrorCode::InvalidArgument, "alipay channel \"" + settings.channelId + "\": app_id is empty"};
    if (settings.merchantId.empty())
        return Error{ErrorCode::InvalidArgument,
                     "alipay channel \"" + settings.channelId + "\": merchant id (seller_id, the 2088… pid) is empty"};
    if (settings.endpoint.empty())
        return Error{ErrorCode::InvalidArgument, "alipay channel \"" + settings.channelId + "\": endpoint is empty"};
    auto appKey = crypto::RsaKey::fromPem(settings.merchantPrivateKeyPem);
    if (!appKey.ok())
        return Error{ErrorCode::InvalidArgument,
                     "alipay channel \"" + settings.channelId + "\": app_private_key: " + appKey.error().message};
    if (!appKey.value().hasPrivate())
        return Error{ErrorCode::InvalidArgument, "alipay channel \"" + settings.channelId +
                                                     "\": app_private_key holds a public key, not the app private key"};
    auto alipayKey = crypto::RsaKey::fromPem(settings.providerPublicKeyPem);
    if (!alipayKey.ok())
        return Error{ErrorCode::InvalidArgument,
                     "alipay channel \"" + settings.channelId + "\": alipay_public_key: " + alipayKey.error().message};
    return std::unique_ptr<AlipayAdapter>(
        new AlipayAdapter(settings, std::move(appKey).value(), std::move(alipayKey).value(), http, clock));
}

Result<std::string> AlipayAdapter::call(const std::string &method, const std::string &bizContent, bool withNotifyUrl)
{
    Params params{{"app_id", m_settings.appId},
                  {"method", method},
                  {"format", "JSON"},
                  {"charset", "utf-8"},
                  {"sign_type", "RSA2"},
                  {"timestamp", alipay::formatBeijingTime(m_clock.now())},
                  {"version", "1.0"}};
    if (withNotifyUrl && !m_settings.notifyUrl.empty())
        params.emplace_back("notify_url", m_settings.notifyUrl);
    params.emplace_back("biz_content", bizContent);
    params.emplace_back("sign", m_appKey.signSha256Base64(alipay::signContent(params, SignFor::Request)));

    HttpRequest request;
    request.method = "POST";
    request.target = "/gateway.do";
    request.headers["Content-Type"] = "application/x-www-form-urlencoded;charset=utf-8";
    request.headers["Accept"] = "application/json";
    request.body = alipay::formEncode(params);
    std::string base = m_settings.endpoint;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    const auto sent = m_http.send(base + "/gateway.do", request, kTimeout);
    if (!sent.ok())
        return Error{ErrorCode::Unavailable, "Alipay " + method + ": " + sent.error().message};
    const HttpResponse &response = sent.value();
    if (response.status >= 500)
        return Error{ErrorCode::Unavailable, "Alipay " + method + " answered HTTP " + std::to_string(response.status)};
    if (response.status != 200)
        return Error{ErrorCode::FailedPrecondition,
                     "Alipay " + method + " answered HTTP " + std::to_string(response.status)};

    const auto members = alipay::topLevelMembers(response.body);
    if (!members)
        return malformed(method, "the body is not a JSON object");
    const std::string wanted = alipay::responseKey(method);
    std::optional<std::string_view> content;
    std::optional<std::string_view> signText;
    for (const auto &[key, raw] : *members) {
        if ((key == wanted || key == "error_response") && !content)
            content = raw;
        else if (key == "sign")
            signText = raw;
    }
    if (!content)
        return malformed(method, "no " + wanted);
    std::string sign;
    if (signText) {
        const json parsed = json::parse(*signText, nullptr, false);
        if (!parsed.is_string())
            return malformed(method, "sign is not a string");
        sign = parsed.get<std::string>();
    }
    const bool verified = !sign.empty() && m_alipayKey.verifySha256Base64(*content, sign);
    if (!sign.empty() && !verified)
        return Error{ErrorCode::Unavailable, "Alipay " + method +
                                                 ": the response's sign does not verify with the Alipay public key "
                                                 "(forged response, or the wrong alipay_public_key)"};
    const json object = json::parse(*content, nullptr, false);
    if (!object.is_object())
        return malformed(method, wanted + " is not an object");
    const std::string code = stringField(object, "code");
    if (code != kSuccessCode) {
        const std::string subCode = stringField(object, "sub_code");
        std::string message = "Alipay " + method + " refused: code " + (code.empty() ? "(none)" : code);
        if (!stringField(object, "msg").empty())
            message += " " + stringField(object, "msg");
        if (!subCode.empty())
            message += ", " + subCode;
        if (!stringField(object, "sub_msg").empty())
            message += " (" + stringField(object, "sub_msg") + ")";
        if (!verified)
            message += " [unsigned answer]";
        return Error{subCode == "ACQ.TRADE_NOT_EXIST" ? ErrorCode::NotFound : ErrorCode::FailedPrecondition, message};
    }
    if (!verified)
        return Error{ErrorCode::Unavailable,
                     "Alipay " + method + ": a success answer without a sign (refused: every answer must be signed)"};
    return std::string(*content);
}

Result<CreateResult> AlipayAdapter::create(const CreateRequest &request)
{
    if (request.currency != "CNY")
        return Error{ErrorCode::InvalidArgument, "Alipay takes CNY only, not " + request.currency};
    if (request.amountMinor <= 0)
        return Error{ErrorCode::InvalidArgument,
                     "Alipay amount must be positive, got " + std::to_string(request.amountMinor) + " fen"};
    json biz{{"out_trade_no", request.outTradeNo},
             {"total_amount", formatMinorDecimal(request.amountMinor, 2)},
             {"subject", request.description.empty() ? request.outTradeNo : request.description}};
    if (request.expiresAt.time_since_epoch().count() > 0)
        biz["time_expire"] = alipay::formatBeijingTime(request.expiresAt);
    const std::string method = "alipay.trade.precreate";
    const auto answer = call(method, biz.dump(), true);
    if (!answer.ok())
        return answer.error();
    const json object = json::parse(answer.value());
    const std::string qr = stringField(object, "qr_code");
    if (qr.empty())
        return malformed(method, "no qr_code");
    if (stringField(object, "out_trade_no") != request.outTradeNo)
        return malformed(method, "out_trade_no \"" + stringField(object, "out_trade_no") + "\" is not the one sent");
    return CreateResult{std::string(), qr};
}

Result<PaymentReport> AlipayAdapter::query(const std::string &outTradeNo, const std::string &providerPaymentId)
{
    json biz{{"out_trade_no", outTradeNo}};
    if (!providerPaymentId.empty())
        biz["trade_no"] = providerPaymentId;
    const std::string method = "alipay.trade.query";
    const auto answer = call(method, biz.dump(), false);
    if (!answer.ok())
        return answer.error();
    const json object = json::parse(answer.value());
    if (stringField(object, "out_trade_no") != outTradeNo)
        return malformed(method, "out_trade_no \"" + stringField(object, "out_trade_no") + "\" is not the one asked");
    const std::string status = stringField(object, "trade_status");
    const auto state = tradeState(status);
    if (!state)
        return malformed(method, "unknown trade_status \"" + status + "\"");
    const auto amount = parseDecimalMinor(stringField(object, "total_amount"), 2);
    if (!amount.ok())
        return malformed(method, "total_amount: " + amount.error().message);
    PaymentReport report;
    report.outTradeNo = outTradeNo;
    report.providerPaymentId = stringField(object, "trade_no");
    report.state = *state;
    report.amountMinor = amount.value();
    report.currency = "CNY";
    report.detail = status;
    return report;
}

Result<bool> AlipayAdapter::close(const std::string &outTradeNo, const std::string &providerPaymentId)
{
    json biz{{"out_trade_no", outTradeNo}};
    if (!providerPaymentId.empty())
        biz["trade_no"] = providerPaymentId;
    const auto answer = call("alipay.trade.close", biz.dump(), false);
    if (!answer.ok()) {
        if (answer.error().code == ErrorCode::NotFound)
            return false; // never scanned: nothing to close at Alipay
        return answer.error();
    }
    return true;
}

Result<RefundReport> AlipayAdapter::refund(const RefundRequest &request)
{
    if (request.refundMinor <= 0)
        return Error{ErrorCode::InvalidArgument,
                     "refund amount must be positive, got " + std::to_string(request.refundMinor) + " fen"};
    if (request.outRefundNo.empty())
        return Error{ErrorCode::InvalidArgument, "refund without out_request_no (our refund number)"};
    json biz{{"out_trade_no", request.outTradeNo},
             {"refund_amount", formatMinorDecimal(request.refundMinor, 2)},
             {"out_request_no", request.outRefundNo}};
    if (!request.providerPaymentId.empty())
        biz["trade_no"] = request.providerPaymentId;
    if (!request.reason.empty())
        biz["refund_reason"] = request.reason;
    const std::string method = "alipay.trade.refund";
    const auto answer = call(method, biz.dump(), false);
    if (!answer.ok())
        return answer.error();
    const json object = json::parse(answer.value());
    const std::string fundChange = stringField(object, "fund_change");
    const auto refundFee = parseDecimalMinor(stringField(object, "refund_fee"), 2);
    if (!refundFee.ok())
        return malformed(method, "refund_fee: " + refundFee.error().message);
    RefundReport report;
    report.outRefundNo = request.outRefundNo;
    report.providerRefundId = stringField(object, "trade_no");
    report.amountMinor = request.refundMinor;
    // fund_change "Y": this call moved the money. "N" with refund_fee (the trade's
    // total refunded) covering the amount: an earlier call with this out_request_no did.
    const bool done = fundChange == "Y" || refundFee.value() >= request.refundMinor;
    report.state = done ? RefundState::Succeeded : RefundState::Pending;
    report.detail = "fund_change " + (fundChange.empty() ? std::string("(none)") : fundChange) + ", refund_fee " +
                    stringField(object, "refund_fee");
    return report;
}

Result<RefundReport> AlipayAdapter::queryRefund(const std::string &outRefundNo, const std::string &outTradeNo)
{
    json biz{{"out_trade_no", outTradeNo}, {"out_request_no", outRefundNo}};
    const std::string method = "alipay.trade.fastpay.refund.query";
    const auto answer = call(method, biz.dump(), false);
    if (!answer.ok())
        return answer.error();
    const json object = json::parse(answer.value());
    // Alipay: data in the answer with refund_status empty or REFUND_SUCCESS means the
    // refund succeeded; no data means it did not happen (the refund may be retried
    // with the same out_request_no).
    const std::string amountText = stringField(object, "refund_amount");
    const std::string status = stringField(object, "refund_status");
    if (amountText.empty())
        return Error{ErrorCode::NotFound, "Alipay has no refund " + outRefundNo + " of " + outTradeNo};
    const auto amount = parseDecimalMinor(amountText, 2);
    if (!amount.ok())
        return malformed(method, "refund_amount: " + amount.error().message);
    RefundReport report;
    report.outRefundNo = outRefundNo;
    report.providerRefundId = stringField(object, "trade_no");
    report.amountMinor = amount.value();
    report.state = status.empty() || status == "REFUND_SUCCESS" ? RefundState::Succeeded : RefundState::Pending;
    report.detail = status.empty() ? std::string("refunded") : status;
    return report;
}

std::variant<Notification, NotificationRefusal> AlipayAdapter::verifyNotification(const HttpRequest &request,
                                                                                  TimePoint now)
{
    auto refuse = [](RefusalReason reason, std::string detail, const Params *params = nullptr) {
        NotificationRefusal refusal{reason, std::move(detail), {}, {}};
        if (params) {
            refusal.notificationId = alipay::valueOf(*params, "notify_id");
            refusal.outTradeNo = alipay::valueOf(*params, "out_trade_no");
        }
        return refusal;
    };
    if (request.body.empty())
        return refuse(RefusalReason::Malformed, "empty notification body");
    std::string decodeError;
    const auto decoded = alipay::formDecode(request.body, &decodeError);
    if (!decoded)
        return refuse(RefusalReason::Malformed, "the form body does not decode: " + decodeError);
    const Params &params = *decoded;
    // A key twice makes the sign content ambiguous (which value was signed, which is
    // read?): Alipay never sends one, so it is refused before anything else.
    for (std::size_t i = 0; i < params.size(); ++i)
        for (std::size_t j = i + 1; j < params.size(); ++j)
            if (params[i].first == params[j].first)
                return refuse(RefusalReason::Malformed, "parameter " + params[i].first + " appears twice");

    // Authenticity first: nothing below is trusted before the sign verifies.
    const std::string sign = alipay::valueOf(params, "sign");
    if (sign.empty())
        return refuse(RefusalReason::BadSignature, "no sign parameter", &params);
    const std::string signType = alipay::valueOf(params, "sign_type");
    if (!signType.empty() && signType != "RSA2")
        return refuse(RefusalReason::BadSignature, "sign_type " + signType + " (only RSA2 is accepted)", &params);
    if (!m_alipayKey.verifySha256Base64(alipay::signContent(params, SignFor::Notification), sign))
        return refuse(RefusalReason::BadSignature, "sign does not verify with the Alipay public key", &params);

    // Freshness.
    const std::string notifyTime = alipay::valueOf(params, "notify_time");
    if (notifyTime.empty())
        return refuse(RefusalReason::Stale, "no notify_time", &params);
    const auto sentAt = alipay::parseBeijingTime(notifyTime);
    if (!sentAt)
        return refuse(RefusalReason::Malformed, "notify_time \"" + notifyTime + "\" is not yyyy-MM-dd HH:mm:ss",
                      &params);
    const auto age = std::chrono::floor<std::chrono::seconds>(now - *sentAt);
    if (age > kMaxNotificationAge)
        return refuse(RefusalReason::Stale,
                      "notify_time " + notifyTime + " is " + secondsText(age) + " old (the limit is " +
                          secondsText(kMaxNotificationAge) + ")",
                      &params);
    if (-age > kMaxNotificationAhead)
        return refuse(RefusalReason::Stale,
                      "notify_time " + notifyTime + " is " + secondsText(-age) + " ahead of now (the limit is " +
                          secondsText(kMaxNotificationAhead) + ")",
                      &params);

    // Ours?
    const std::string appId = alipay::valueOf(params, "app_id");
    if (appId != m_settings.appId)
        return refuse(RefusalReason::WrongMerchant,
                      "app_id \"" + appId + "\" is not this channel's \"" + m_settings.appId + "\"", &params);
    const std::string sellerId = alipay::valueOf(params, "seller_id");
    if (sellerId != m_settings.merchantId)
        return refuse(RefusalReason::WrongMerchant,
                      "seller_id \"" + sellerId + "\" is not this channel's \"" + m_settings.merchantId + "\"",
                      &params);

    const std::string outTradeNo = alipay::valueOf(params, "out_trade_no");
    if (outTradeNo.empty())
        return refuse(RefusalReason::Malformed, "no out_trade_no", &params);
    const std::string status = alipay::valueOf(params, "trade_status");
    const auto state = tradeState(status);
    if (!state)
        return refuse(RefusalReason::Malformed,
                      status.empty() ? std::string("no trade_status") : "unknown trade_status \"" + status + "\"",
                      &params);
    const std::string amountText = alipay::valueOf(params, "total_amount");
    const auto amount = parseDecimalMinor(amountText, 2);
    if (!amount.ok())
        return refuse(RefusalReason::Malformed, "total_amount: " + amount.error().message, &params);

    Notification notification;
    notification.notificationId = alipay::valueOf(params, "notify_id");
    const std::string outBizNo = alipay::valueOf(params, "out_biz_no");
    const std::string refundFeeText = alipay::valueOf(params, "refund_fee");
    if (!outBizNo.empty() && !refundFeeText.empty()) {
        // A refund changed the trade (TRADE_SUCCESS after a partial refund,
        // TRADE_CLOSED after a full one): report the refund, not a payment state.
        const auto refundFee = parseDecimalMinor(refundFeeText, 2);
        if (!refundFee.ok())
            return refuse(RefusalReason::Malformed, "refund_fee: " + refundFee.error().message, &params);
        RefundReport refund;
        refund.outRefundNo = outBizNo;
        refund.providerRefundId = alipay::valueOf(params, "trade_no");
        refund.state = RefundState::Succeeded;
        refund.amountMinor = refundFee.value();
        refund.detail = "refund_fee " + refundFeeText + " (the trade's total refunded), trade_status " + status;
        notification.refund = refund;
        notification.queryOutTradeNo = outTradeNo;
        return notification;
    }
    PaymentReport report;
    report.outTradeNo = outTradeNo;
    report.providerPaymentId = alipay::valueOf(params, "trade_no");
    report.state = *state;
    report.amountMinor = amount.value();
    report.currency = "CNY";
    report.detail = status;
    notification.payment = report;
    return notification;
}

HttpResponse AlipayAdapter::acknowledge(bool accepted, bool /*refused*/) const
{
    HttpResponse response;
    response.status = 200;
    response.headers["Content-Type"] = "text/plain;charset=utf-8";
    response.body = accepted ? "success" : "failure";
    return response;
}

} // namespace flywheel::payments
