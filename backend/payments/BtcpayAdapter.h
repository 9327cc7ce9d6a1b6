#pragma once

#include "payments/PaymentAdapter.h"

namespace flywheel::payments {

/// A crypto channel modelled on BTCPay Server's Greenfield API (research §3).
///
/// Requests carry "Authorization: token <api key>". A payment is an invoice of the
/// store `settings.merchantId`, its order named in metadata.orderId (our
/// outTradeNo). Webhooks are signed "BTCPay-Sig: sha256=<hex HMAC-SHA256(secret,
/// raw body)>" and carry no amount: a verified webhook only says which invoice to
/// query, and query() decides on the invoice's own status and amounts.
class BtcpayAdapter final : public PaymentAdapter {
public:
    /// How far a first delivery's timestamp may be from now.
    static constexpr std::int64_t freshnessSeconds = 300;
    /// How old a redelivery (isRedelivery: true) may be. BTCPay's automatic retries
    /// (after 10 s, 1 min, then 6 x 10 min: WebhookSender.Process) and an operator's
    /// "Redeliver" both rebuild the ORIGINAL event with a new deliveryId and
    /// isRedelivery = true but keep its original timestamp, so the last automatic
    /// retry arrives about 61 minutes after it. A day accepts that schedule and a
    /// same-day manual redelivery (after our callback listener was down, say) and
    /// refuses anything older. isRedelivery is inside the signed body, so it cannot be
    /// set by a replayer; and a replay inside the window can do no harm, since the
    /// webhook only makes us query the invoice.
    static constexpr std::int64_t redeliverySeconds = 24 * 3600;

    BtcpayAdapter(AdapterSettings settings, HttpClient &http);

    std::string provider() const override { return "btcpay"; }
    Result<CreateResult> create(const CreateRequest &request) override;
    Result<PaymentReport> query(const std::string &outTradeNo, const std::string &providerPaymentId) override;
    Result<bool> close(const std::string &outTradeNo, const std::string &providerPaymentId) override;
    Result<RefundReport> refund(const RefundRequest &request) override;
    Result<RefundReport> queryRefund(const std::string &outRefundNo, const std::string &outTradeNo) override;
    /// A pull payment is created per call, whatever its name: never asked for again.
    bool refundNumbersAreIdempotent() const override { return false; }
    std::variant<Notification, NotificationRefusal> verifyNotification(const HttpRequest &request,
                                                                       TimePoint now) override;
    HttpResponse acknowledge(bool accepted, bool refused) const override;

    /// BTCPay's speedPolicy for a number of confirmations: 0 HighSpeed, 1 MediumSpeed,
    /// 2 LowMediumSpeed, 3 or more LowSpeed (BTCPay's LowSpeed waits for 6).
    static std::string speedPolicy(int confirmations);

private:
    /// `method` on "<endpoint>/api/v1/stores/<store><path>"; the body when 2xx,
    /// else the error the HTTP status and Greenfield error body say.
    Result<std::string> call(const std::string &method, const std::string &path, const std::string &body);

    AdapterSettings m_settings;
    HttpClient &m_http;
};

} // namespace flywheel::payments
