#include "payments/BtcpayAdapter.h"

#include "domain/payments/Decimal.h"
#include "payments/Crypto.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace flywheel::payments {

namespace {

using nlohmann::json;

constexpr std::chrono::milliseconds kTimeout{15000};

/// Percent-encodes one path segment or query value (ids come from webhooks).
std::string encodeComponent(std::string_view text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::optional<json> parseJson(const std::string &text)
{
    json value = json::parse(text, nullptr, false);
    if (value.is_discarded())
        return std::nullopt;
    return value;
}

std::optional<std::string> stringField(const json &object, const char *key)
{
    if (!object.is_object())
        return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return std::nullopt;
    return it->get<std::string>();
}

Error malformed(const std::string &what)
{
    return Error{ErrorCode::Internal, "BTCPay answered " + what};
}

/// BTCPay writes decimals as strings, sometimes with more trailing zeros than the
/// currency has digits ("12.300000"): those zeros are dropped, anything else
/// beyond the currency's digits is refused by parseDecimalMinor.
Result<std::int64_t> parseAmount(std::string text, const std::string &currency)
{
    const int digits = currencyFractionDigits(currency);
    const auto point = text.find('.');
    if (point != std::string::npos) {
        while (text.size() - point - 1 > static_cast<std::size_t>(digits) && text.back() == '0')
            text.pop_back();
        if (text.back() == '.')
            text.pop_back();
    }
    return parseDecimalMinor(text, digits);
}

std::string formatAmount(std::int64_t minor, const std::string &currency)
{
    return formatMinorDecimal(minor, currencyFractionDigits(currency)) + " " + currency;
}

/// Greenfield errors are {"code","message"} or, for validation, [{"path","message"}].
std::string describeError(const std::string &body)
{
    const auto value = parseJson(body);
    if (!value)
        return "no JSON error body";
    if (value->is_object()) {
        const auto code = stringField(*value, "code").value_or("?");
        return code + ": " + stringField(*value, "message").value_or("(no message)");
    }
    if (value->is_array()) {
        std::string out;
        for (const auto &item : *value) {
            if (!out.empty())
                out += "; ";
            out += stringField(item, "path").value_or("?") + ": " + stringField(item, "message").value_or("?");
        }
        return out.empty() ? "empty error list" : out;
    }
    return "an error body that is neither an object nor a list";
}

/// The invoice's metadata.orderId, when it is a string.
std::optional<std::string> orderIdOf(const json &invoice)
{
    if (!invoice.is_object() || !invoice.contains("metadata"))
        return std::nullopt;
    return stringField(invoice["metadata"], "orderId");
}

/// Maps a Greenfield InvoiceData to our report (research §3.2):
///   Settled            -> Succeeded (PaidOver: differenceMinor > 0, refund the surplus)
///   Processing         -> Pending, confirming (paid in full, awaiting confirmations)
///   New                -> Pending (PaidPartial: differenceMinor < 0, "partially paid")
///   Expired            -> Expired (PaidPartial: difference < 0, refund due;
///                         PaidLate: paidLate, money arrived after expiry: refund due)
///   Invalid            -> Failed
/// The paid amount: BTCPay's InvoiceData carries none (its …/payment-methods lists
/// totalPaid in the crypto, with a rate). We read "amountPaid", a decimal string in
/// the invoice currency, which our sandbox adds; without it differenceMinor stays 0
/// and the detail says the paid amount was not reported.
Result<PaymentReport> reportOf(const json &invoice)
{
    if (!invoice.is_object())
        return malformed("an invoice that is not a JSON object");
    const auto id = stringField(invoice, "id");
    const auto status = stringField(invoice, "status");
    const auto amountText = stringField(invoice, "amount");
    const auto currency = stringField(invoice, "currency");
    if (!id || !status || !amountText || !currency)
        return malformed("an invoice without a string id, status, amount or currency");
    const auto amount = parseAmount(*amountText, *currency);
    if (!amount.ok())
        return malformed("invoice " + *id + " with amount \"" + *amountText + "\": " + amount.error().message);
    const std::string additional = stringField(invoice, "additionalStatus").value_or("None");

    PaymentReport report;
    report.outTradeNo = orderIdOf(invoice).value_or("");
    report.providerPaymentId = *id;
    report.amountMinor = amount.value();
    report.currency = *currency;

    std::optional<std::int64_t> paid;
    if (const auto paidText = stringField(invoice, "amountPaid")) {
        const auto parsed = parseAmount(*paidText, *currency);
        if (!parsed.ok())
            return malformed("invoice " + *id + " with amountPaid \"" + *paidText + "\": " + parsed.error().message);
        paid = parsed.value();
        report.differenceMinor = *paid - amount.value();
    }
    const std::string paidWording =
        paid ? formatAmount(*paid, *currency) + " of " + formatAmount(amount.value(), *currency)
             : std::string(kPaidAmountUnknownMarker);
    const std::string overpaid = report.differenceMinor > 0
                                     ? ", overpaid by " + formatAmount(report.differenceMinor, *currency)
                                     : (additional == "PaidOver" ? ", overpaid" : "");

    if (*status == "Settled") {
        report.state = PaymentState::Succeeded;
        report.detail = "Settled" + overpaid + (additional == "Marked" ? " (marked by an operator)" : "");
    } else if (*status == "Processing") {
        report.state = PaymentState::Pending;
        report.confirming = true;
        report.detail = "Processing: paid, awaiting confirmations" + overpaid;
    } else if (*status == "New") {
        report.state = PaymentState::Pending;
        report.detail = additional == "PaidPartial" ? "New, partially paid: " + paidWording : "New: awaiting payment";
    } else if (*status == "Expired") {
        report.state = PaymentState::Expired;
        if (additional == "PaidLate") {
            report.paidLate = true;
            report.detail = "Expired, " + std::string(kPaidLateMarker) + ": " + paidWording +
                            " arrived after expiry (refund due)";
        } else if (additional == "PaidPartial") {
            report.detail = "Expired, partially paid: " + paidWording + " (refund due)";
        } else {
            report.detail = "Expired";
        }
    } else if (*status == "Invalid") {
        report.state = PaymentState::Failed;
        report.detail = additional == "Marked" ? "Invalid (marked by an operator)" : "Invalid";
    } else {
        return malformed("invoice " + *id + " with unknown status \"" + *status + "\"");
    }
    return report;
}

NotificationRefusal refusal(RefusalReason reason, std::string detail, std::string notificationId = {},
                            std::string outTradeNo = {})
{
    return NotificationRefusal{reason, std::move(detail), std::move(notificationId), std::move(outTradeNo)};
}

bool isLowerHex(std::string_view text)
{
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

BtcpayAdapter::BtcpayAdapter(AdapterSettings settings, HttpClient &http) : m_settings(std::move(settings)), m_http(http)
{
    while (!m_settings.endpoint.empty() && m_settings.endpoint.back() == '/')
        m_settings.endpoint.pop_back();
}

std::string BtcpayAdapter::speedPolicy(int confirmations)
{
    if (confirmations <= 0)
        return "HighSpeed";
    if (confirmations == 1)
        return "MediumSpeed";
    if (confirmations == 2)
        return "LowMediumSpeed";
    return "LowSpeed";
}

Result<std::string> BtcpayAdapter::call(const std::string &method, const std::string &path, const std::string &body)
{
    HttpRequest request;
    request.method = method;
    request.target = "/api/v1/stores/" + encodeComponent(m_settings.merchantId) + path;
    request.headers["Authorization"] = "token " + m_settings.apiKey;
    request.headers["Accept"] = "application/json";
    if (method != "GET") {
        request.headers["Content-Type"] = "application/json";
        request.body = body;
    }
    auto sent = m_http.send(m_settings.endpoint + request.target, request, kTimeout);
    if (!sent.ok())
        return Error{ErrorCode::Unavailable, sent.error().message};
    const HttpResponse &response = sent.value();
    const std::string what =
        "BTCPay " + method + " " + request.target + " answered HTTP " + std::to_string(response.status);
    if (response.status >= 200 && response.status < 300)
        return response.body;
    if (response.status >= 500 || response.status == 408 || response.status == 429)
        return Error{ErrorCode::Unavailable, what + " (" + describeError(response.body) + ")"};
    if (response.status == 404)
        return Error{ErrorCode::NotFound, what + " (" + describeError(response.body) + ")"};
    if (response.status == 401 || response.status == 403)
        return Error{ErrorCode::FailedPrecondition,
                     what + ": the API key was refused or lacks a permission for store " + m_settings.merchantId +
                         " (" + describeError(response.body) + ")"};
    return Error{ErrorCode::FailedPrecondition, what + " (" + describeError(response.body) + ")"};
}

Result<CreateResult> BtcpayAdapter::create(const CreateRequest &request)
{
    if (request.amountMinor <= 0)
        return Error{ErrorCode::InvalidArgument,
                     "BTCPay invoice amount must be positive, not " + std::to_string(request.amountMinor)};
    if (request.currency.empty())
        return Error{ErrorCode::InvalidArgument, "BTCPay invoice needs a currency"};
    json body = {
        {"amount", formatMinorDecimal(request.amountMinor, currencyFractionDigits(request.currency))},
        {"currency", request.currency},
        {"metadata", {{"orderId", request.outTradeNo}, {"itemDesc", request.description}}},
        {"checkout",
         {{"speedPolicy", speedPolicy(m_settings.confirmations)},
          {"expirationMinutes", std::max(1, m_settings.invoiceExpiryMinutes)},
          // A percentage, not money: 50 bp is 0.5 %.
          {"paymentTolerance", static_cast<double>(m_settings.paymentToleranceBp) / 100.0}}},
    };
    auto answer = call("POST", "/invoices", body.dump());
    if (!answer.ok())
        return answer.error();
    const auto invoice = parseJson(answer.value());
    if (!invoice)
        return malformed("a created invoice that is not JSON");
    const auto id = stringField(*invoice, "id");
    if (!id || id->empty())
        return malformed("a created invoice without an id");
    if (orderIdOf(*invoice).value_or(request.outTradeNo) != request.outTradeNo)
        return malformed("created invoice " + *id + " for another order");
    return CreateResult{*id, stringField(*invoice, "checkoutLink").value_or("")};
}

Result<PaymentReport> BtcpayAdapter::query(const std::string &outTradeNo, const std::string &providerPaymentId)
{
    std::optional<json> invoice;
    if (!providerPaymentId.empty()) {
        auto answer = call("GET", "/invoices/" + encodeComponent(providerPaymentId), {});
        if (!answer.ok())
            return answer.error();
        invoice = parseJson(answer.value());
        if (!invoice)
            return malformed("invoice " + providerPaymentId + " that is not JSON");
        if (stringField(*invoice, "id") != providerPaymentId)
            return malformed("another invoice when asked for " + providerPaymentId);
    } else {
        // No invoice id yet (create's answer was lost): find it by order id.
        if (outTradeNo.empty())
            return Error{ErrorCode::InvalidArgument, "BTCPay query needs an order id or an invoice id"};
        auto answer = call("GET", "/invoices?orderId=" + encodeComponent(outTradeNo), {});
        if (!answer.ok())
            return answer.error();
        const auto list = parseJson(answer.value());
        if (!list || !list->is_array())
            return malformed("an invoice list that is not a JSON list");
        std::int64_t newest = -1;
        for (const auto &item : *list) {
            const auto created =
                item.is_object() && item.contains("createdTime") && item["createdTime"].is_number_integer()
                    ? item["createdTime"].get<std::int64_t>()
                    : 0;
            if (orderIdOf(item) == outTradeNo && created > newest) {
                newest = created;
                invoice = item;
            }
        }
        if (!invoice)
            return Error{ErrorCode::NotFound, "BTCPay has no invoice for order " + outTradeNo};
    }
    auto report = reportOf(*invoice);
    if (!report.ok())
        return report;
    // The invoice must be the order's: a webhook names an invoice, and an invoice of
    // another order must never settle this one.
    if (!outTradeNo.empty() && report.value().outTradeNo != outTradeNo)
        return malformed("invoice " + report.value().providerPaymentId + " for order \"" + report.value().outTradeNo +
                         "\", not for " + outTradeNo);
    return report;
}

Result<bool> BtcpayAdapter::close(const std::string &outTradeNo, const std::string &providerPaymentId)
{
    std::string id = providerPaymentId;
    if (id.empty()) {
        auto found = query(outTradeNo, {});
        if (!found.ok())
            return found.error();
        id = found.value().providerPaymentId;
    }
    // Marking the invoice invalid stops BTCPay accepting payments for it (best effort:
    // a payment already on its way is still reported, as PaidLate or Processing).
    auto answer = call("POST", "/invoices/" + encodeComponent(id) + "/status", json{{"status", "Invalid"}}.dump());
    if (!answer.ok())
        return answer.error();
    return true;
}

Result<RefundReport> BtcpayAdapter::refund(const RefundRequest &request)
{
    if (request.refundMinor <= 0 || request.refundMinor > request.totalMinor)
        return Error{ErrorCode::InvalidArgument, "BTCPay refund of " + std::to_string(request.refundMinor) +
                                                     " must be positive and at most the payment's " +
                                                     std::to_string(request.totalMinor)};
    std::string id = request.providerPaymentId;
    if (id.empty()) {
        auto found = query(request.outTradeNo, {});
        if (!found.ok())
            return found.error();
        id = found.value().providerPaymentId;
    }
    // BTCPay refunds by creating a pull payment that the buyer claims with an address
    // of theirs; "Custom" fixes the amount in the invoice currency. Its name is our
    // refund number, which queryRefund looks it up by.
    const json body = {
        {"name", request.outRefundNo},
        {"description", request.reason},
        {"refundVariant", "Custom"},
        {"customAmount", formatMinorDecimal(request.refundMinor, currencyFractionDigits(request.currency))},
        {"customCurrency", request.currency},
    };
    auto answer = call("POST", "/invoices/" + encodeComponent(id) + "/refund", body.dump());
    if (!answer.ok())
        return answer.error();
    const auto pull = parseJson(answer.value());
    const auto pullId = pull ? stringField(*pull, "id") : std::nullopt;
    if (!pullId || pullId->empty())
        return malformed("a refund without a pull payment id");
    RefundReport report;
    report.outRefundNo = request.outRefundNo;
    report.providerRefundId = *pullId;
    report.state = RefundState::Pending;
    report.amountMinor = request.refundMinor;
    report.detail = "pull payment " + *pullId + " created: waiting for the buyer to claim it";
    return report;
}

Result<RefundReport> BtcpayAdapter::queryRefund(const std::string &outRefundNo, const std::string &)
{
    // The interface gives our refund number, not the pull payment id: find the pull
    // payment named after it, then read its payouts.
    auto listed = call("GET", "/pull-payments?includeArchived=true", {});
    if (!listed.ok())
        return listed.error();
    const auto list = parseJson(listed.value());
    if (!list || !list->is_array())
        return malformed("a pull payment list that is not a JSON list");
    std::optional<json> pull;
    for (const auto &item : *list) {
        if (stringField(item, "name") == outRefundNo)
            pull = item;
    }
    if (!pull)
        return Error{ErrorCode::NotFound, "BTCPay has no pull payment named " + outRefundNo};
    const auto id = stringField(*pull, "id");
    const auto amountText = stringField(*pull, "amount");
    const auto currency = stringField(*pull, "currency");
    if (!id || !amountText || !currency)
        return malformed("pull payment for " + outRefundNo + " without a string id, amount or currency");
    const auto amount = parseAmount(*amountText, *currency);
    if (!amount.ok())
        return malformed("pull payment " + *id + " with amount \"" + *amountText + "\": " + amount.error().message);

    auto detailAnswer = call("GET", "/pull-payments/" + encodeComponent(*id) + "/payouts", {});
    if (!detailAnswer.ok())
        return detailAnswer.error();
    const auto payouts = parseJson(detailAnswer.value());
    if (!payouts || !payouts->is_array())
        return malformed("payouts of pull payment " + *id + " that are not a JSON list");

    // Pull payment -> refund: a Completed payout -> Succeeded (the buyer has the money);
    // archived without one -> Failed; otherwise Pending (unclaimed, or a payout
    // AwaitingApproval / AwaitingPayment / InProgress).
    RefundReport report;
    report.outRefundNo = outRefundNo;
    report.providerRefundId = *id;
    report.amountMinor = amount.value();
    std::string payoutState;
    for (const auto &payout : *payouts) {
        const auto state = stringField(payout, "state").value_or("");
        if (state == "Completed")
            report.state = RefundState::Succeeded;
        if (payoutState.empty() || state == "Completed")
            payoutState = state;
    }
    const bool archived =
        pull->contains("archived") && (*pull)["archived"].is_boolean() && (*pull)["archived"].get<bool>();
    if (report.state == RefundState::Succeeded) {
        report.detail = "pull payment " + *id + " paid out to the buyer";
    } else if (archived) {
        report.state = RefundState::Failed;
        report.detail = "pull payment " + *id + " archived before it was paid out";
    } else if (payoutState.empty()) {
        report.detail = "pull payment " + *id + ": waiting for the buyer to claim it";
    } else {
        report.detail = "pull payment " + *id + ": payout " + payoutState;
    }
    return report;
}

std::variant<Notification, NotificationRefusal> BtcpayAdapter::verifyNotification(const HttpRequest &request,
                                                                                  TimePoint now)
{
    // 1. Authenticity over the raw bytes, before any parsing.
    const auto header = request.headers.find("BTCPay-Sig");
    if (header == request.headers.end())
        return refusal(RefusalReason::BadSignature, "BTCPay-Sig header missing");
    static constexpr std::string_view prefix = "sha256=";
    std::string given = header->second;
    if (given.size() != prefix.size() + 64 || given.compare(0, prefix.size(), prefix) != 0)
        return refusal(RefusalReason::Malformed, "BTCPay-Sig is not \"sha256=\" and 64 hex digits (" +
                                                     std::to_string(given.size()) + " characters)");
    given.erase(0, prefix.size());
    std::transform(given.begin(), given.end(), given.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!isLowerHex(given))
        return refusal(RefusalReason::Malformed, "BTCPay-Sig is not \"sha256=\" and 64 hex digits");
    const std::string expected = crypto::hexEncode(crypto::hmacSha256(m_settings.webhookSecret, request.body));
    if (!crypto::equalConstantTime(given, expected))
        return refusal(RefusalReason::BadSignature,
                       "BTCPay-Sig does not match the body's HMAC-SHA256 under this channel's webhook secret");

    // 2. The signed envelope.
    const auto event = parseJson(request.body);
    if (!event || !event->is_object())
        return refusal(RefusalReason::Malformed, "webhook body is not a JSON object");
    const auto deliveryId = stringField(*event, "deliveryId");
    const auto type = stringField(*event, "type");
    const auto storeId = stringField(*event, "storeId");
    const auto invoiceId = stringField(*event, "invoiceId");
    if (!deliveryId || deliveryId->empty())
        return refusal(RefusalReason::Malformed, "webhook without a deliveryId");
    const auto orderId = orderIdOf(*event).value_or("");
    if (!type)
        return refusal(RefusalReason::Malformed, "webhook without a type", *deliveryId, orderId);
    if (!storeId || !invoiceId || invoiceId->empty())
        return refusal(RefusalReason::Malformed, "webhook " + *type + " names no store or invoice", *deliveryId,
                       orderId);
    if (*storeId != m_settings.merchantId)
        return refusal(RefusalReason::WrongMerchant,
                       "webhook for store " + *storeId + ", this channel is store " + m_settings.merchantId,
                       *deliveryId, orderId);

    // 3. Freshness: a missing timestamp is a refusal, never time 0.
    if (!event->contains("timestamp") || !(*event)["timestamp"].is_number_integer())
        return refusal(RefusalReason::Stale, "webhook without an integer timestamp", *deliveryId, orderId);
    const std::int64_t stamp = (*event)["timestamp"].get<std::int64_t>();
    const bool redelivery = event->contains("isRedelivery") && (*event)["isRedelivery"].is_boolean() &&
                            (*event)["isRedelivery"].get<bool>();
    const std::int64_t age = toEpochMs(now) / 1000 - stamp;
    const bool fresh =
        (age >= -freshnessSeconds && age <= freshnessSeconds) || (redelivery && age >= 0 && age <= redeliverySeconds);
    if (!fresh) {
        const std::int64_t limit = redelivery && age > 0 ? redeliverySeconds : freshnessSeconds;
        return refusal(RefusalReason::Stale,
                       std::string(redelivery ? "redelivered " : "") + "BTCPay webhook timestamp " +
                           std::to_string(stamp) + " is " + std::to_string(age < 0 ? -age : age) + " s " +
                           (age < 0 ? "ahead of" : "away from") + " now (the limit is " + std::to_string(limit) + " s)",
                       *deliveryId, orderId);
    }

    // 4. No amount in a webhook: the manager queries the invoice it names.
    Notification notification;
    notification.notificationId = *deliveryId;
    notification.queryProviderId = *invoiceId;
    notification.queryOutTradeNo = orderId;
    return notification;
}

HttpResponse BtcpayAdapter::acknowledge(bool accepted, bool refused) const
{
    // BTCPay retries only on 5xx, 408, 429 and network errors: a forged or malformed
    // webhook gets 401 so it is not retried; a transient failure gets 503 so it is.
    HttpResponse response;
    response.headers["Content-Type"] = "text/plain";
    if (accepted) {
        response.status = 200;
        response.body = "ok";
    } else if (refused) {
        response.status = 401;
        response.body = "refused";
    } else {
        response.status = 503;
        response.body = "try again";
    }
    return response;
}

} // namespace flywheel::payments
