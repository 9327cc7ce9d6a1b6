#pragma once

#include "domain/payments/Payment.h"
#include "domain/Result.h"
#include "payments/Http.h"

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace flywheel::payments {

/// One channel's settings as its adapter needs them: ids, endpoint and the
/// credentials already read from their files (never stored, never logged).
struct AdapterSettings {
    std::string channelId;
    /// "https://api.mch.weixin.qq.com", or a sandbox's "http://127.0.0.1:PORT".
    std::string endpoint;
    /// WeChat mchid, Alipay app_id's seller_id (pid), BTCPay store id.
    std::string merchantId;
    /// WeChat appid, Alipay app_id.
    std::string appId;
    /// WeChat: the merchant certificate's serial (upper-case hex).
    std::string merchantSerial;
    /// WeChat: the platform public key id (PUB_KEY_ID_...) or certificate serial
    /// that `providerPublicKeyPem` belongs to.
    std::string platformSerial;
    /// PEM: our private key (WeChat merchant key, Alipay app key).
    std::string merchantPrivateKeyPem;
    /// PEM: the provider's public key or certificate (WeChat platform, Alipay public key).
    std::string providerPublicKeyPem;
    /// WeChat APIv3 key (32 bytes as is); BTCPay API key.
    std::string apiKey;
    /// BTCPay webhook secret.
    std::string webhookSecret;
    /// Where the provider sends notifications: "<callback base>/notify/<channel id>".
    std::string notifyUrl;
    /// Crypto: confirmations before settled (informational: the provider applies its
    /// speed policy), invoice expiry, tolerated underpayment in basis points.
    int confirmations = 1;
    int invoiceExpiryMinutes = 15;
    int paymentToleranceBp = 0;
};

/// What to create at the provider.
struct CreateRequest {
    std::string outTradeNo;
    std::int64_t amountMinor = 0;
    std::string currency;
    std::string description;
    TimePoint expiresAt;
};

struct CreateResult {
    /// The provider's id when it gives one at creation (BTCPay's invoice id).
    std::string providerPaymentId;
    /// What the buyer opens.
    std::string payUrl;
};

/// The provider's verified view of a payment (a query answer or a notification).
struct PaymentReport {
    std::string outTradeNo;
    std::string providerPaymentId;
    /// Succeeded only when the provider says the money is ours; Pending while the
    /// buyer has not paid (or confirmations are awaited); Failed/Expired when closed.
    PaymentState state = PaymentState::Pending;
    /// The amount the provider reports as paid for the order (WeChat amount.total,
    /// Alipay total_amount, the invoice amount), in minor units of `currency`.
    std::int64_t amountMinor = 0;
    std::string currency;
    /// Crypto: paid minus due; non-zero also when not succeeded (underpaid).
    std::int64_t differenceMinor = 0;
    bool confirming = false;
    /// Money arrived after the payment expired (BTCPay PaidLate): owed back (strayMinor).
    bool paidLate = false;
    /// Provider wording for the console ("NOTPAY", "Expired, partially paid").
    std::string detail;
};

struct RefundRequest {
    std::string outTradeNo;
    std::string providerPaymentId;
    std::string outRefundNo;
    std::int64_t refundMinor = 0;
    std::int64_t totalMinor = 0;
    std::string currency;
    std::string reason;
};

struct RefundReport {
    std::string outRefundNo;
    std::string providerRefundId;
    RefundState state = RefundState::Pending;
    std::int64_t amountMinor = 0;
    std::string detail;
};

/// A provider notification, verified and parsed.
struct Notification {
    /// The provider's id of this notification (WeChat id, Alipay notify_id, BTCPay
    /// deliveryId): logged, and the key of the duplicate count.
    std::string notificationId;
    /// A payment report, or a refund report (WeChat REFUND.*), or neither when the
    /// notification only says "look again" (BTCPay: the webhook carries no amount,
    /// so `queryOutTradeNo` / `queryProviderId` name the payment to query).
    std::optional<PaymentReport> payment;
    std::optional<RefundReport> refund;
    std::string queryOutTradeNo;
    std::string queryProviderId;
};

/// A refused notification: why, and the details for the refusal log (no secrets).
struct NotificationRefusal {
    RefusalReason reason = RefusalReason::Malformed;
    std::string detail;
    std::string notificationId;
    std::string outTradeNo;
};

/// One payment provider's protocol. An adapter is built from one channel's
/// settings and an HttpClient; it keeps no payment state (the PaymentManager
/// does), so calls may run concurrently. Adding a provider means adding one
/// adapter (and its sandbox) and registering it in makeAdapter.
class PaymentAdapter {
public:
    virtual ~PaymentAdapter() = default;
    virtual std::string provider() const = 0;

    /// Creates the payment at the provider. Unavailable for a transport failure or
    /// a 5xx (may be retried on another channel); FailedPrecondition for a refusal
    /// by the provider, with its code and message.
    virtual Result<CreateResult> create(const CreateRequest &request) = 0;
    /// The provider's current view; its signature verified. NotFound when the
    /// provider does not know it.
    virtual Result<PaymentReport> query(const std::string &outTradeNo, const std::string &providerPaymentId) = 0;
    /// Closes an unpaid payment so the buyer can no longer pay it (best effort).
    virtual Result<bool> close(const std::string &outTradeNo, const std::string &providerPaymentId) = 0;
    virtual Result<RefundReport> refund(const RefundRequest &request) = 0;
    virtual Result<RefundReport> queryRefund(const std::string &outRefundNo, const std::string &outTradeNo) = 0;
    /// Whether the provider takes a refund number once (a second refund call with it is
    /// the same refund): only then is a refund it never got asked for again.
    virtual bool refundNumbersAreIdempotent() const { return true; }

    /// Verifies and parses a notification from its raw HTTP request: authenticity
    /// first (signature or HMAC, key chosen by its id), then freshness against
    /// `now` where the protocol has a timestamp (±5 minutes), then decryption and
    /// parsing. Business checks (order exists, amount) are the manager's.
    virtual std::variant<Notification, NotificationRefusal> verifyNotification(const HttpRequest &request,
                                                                               TimePoint now) = 0;
    /// The HTTP answer the provider expects: accepted (durably recorded, or a
    /// duplicate) or not (so it retries). `refused` tells a forged or malformed
    /// notification (no retry wanted) from a transient failure.
    virtual HttpResponse acknowledge(bool accepted, bool refused) const = 0;
};

/// Builds the adapter for `provider` ("wechatpay", "alipay", "btcpay"); InvalidArgument
/// for an unknown provider or settings it cannot use (a key that does not parse).
Result<std::unique_ptr<PaymentAdapter>> makeAdapter(const std::string &provider, const AdapterSettings &settings,
                                                    HttpClient &http, const Clock &clock);

} // namespace flywheel::payments
