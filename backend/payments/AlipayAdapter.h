#pragma once

#include "payments/AlipayProtocol.h"
#include "payments/Crypto.h"
#include "payments/PaymentAdapter.h"

#include <chrono>
#include <memory>

namespace flywheel::payments {

/// Alipay's open platform with RSA2 keys (research §2): face-to-face QR payments
/// (alipay.trade.precreate), query, close, refund and refund query through
/// <endpoint>/gateway.do, every request signed with the app private key and every
/// response's sign verified with the Alipay public key; async notifications
/// verified the same way (sign and sign_type left out of the content).
///
/// Settings: appId = app_id, merchantId = the seller's pid (seller_id),
/// merchantPrivateKeyPem = the app private key, providerPublicKeyPem = the Alipay
/// public key (PEM or bare Base64 DER, as Alipay's console hands it out).
///
/// Real Alipay knows a precreated trade only once the buyer has scanned the QR code:
/// until then query and close answer ACQ.TRADE_NOT_EXIST, which query() reports as
/// NotFound and close() as `false` (nothing to close; time_expire still bounds it).
class AlipayAdapter final : public PaymentAdapter {
public:
    /// Notifications whose notify_time is further than this in the past are stale.
    /// Not ±300 s: the research (§2.3) documents Alipay's retry schedule (8 sends
    /// within ~25 h: 4m, 10m, 10m, 1h, 2h, 6h, 15h) but not that a retry carries a
    /// fresh notify_time, so a 300 s window could refuse Alipay's own resends of a
    /// real payment. Replays inside the window are harmless: the manager's
    /// transitions are idempotent (notify_id, guarded state change).
    static constexpr std::chrono::seconds kMaxNotificationAge = std::chrono::hours(25) + std::chrono::minutes(5);
    /// How far in the future a notify_time may be (clock skew).
    static constexpr std::chrono::seconds kMaxNotificationAhead{300};

    /// InvalidArgument when the settings lack an id or a key does not parse.
    static Result<std::unique_ptr<AlipayAdapter>> make(const AdapterSettings &settings, HttpClient &http,
                                                       const Clock &clock);

    std::string provider() const override { return "alipay"; }
    Result<CreateResult> create(const CreateRequest &request) override;
    Result<PaymentReport> query(const std::string &outTradeNo, const std::string &providerPaymentId) override;
    Result<bool> close(const std::string &outTradeNo, const std::string &providerPaymentId) override;
    Result<RefundReport> refund(const RefundRequest &request) override;
    Result<RefundReport> queryRefund(const std::string &outRefundNo, const std::string &outTradeNo) override;
    std::variant<Notification, NotificationRefusal> verifyNotification(const HttpRequest &request,
                                                                       TimePoint now) override;
    /// 200 "success" when accepted, else 200 "failure": Alipay reads only the body.
    HttpResponse acknowledge(bool accepted, bool refused) const override;

private:
    AlipayAdapter(AdapterSettings settings, crypto::RsaKey appKey, crypto::RsaKey alipayKey, HttpClient &http,
                  const Clock &clock);

    /// One gateway call: the verified `<method>_response` object's raw JSON text,
    /// or Unavailable (transport, 5xx, a response whose sign does not verify),
    /// FailedPrecondition (code other than 10000; NotFound for ACQ.TRADE_NOT_EXIST).
    Result<std::string> call(const std::string &method, const std::string &bizContent, bool withNotifyUrl);

    AdapterSettings m_settings;
    crypto::RsaKey m_appKey;
    crypto::RsaKey m_alipayKey;
    HttpClient &m_http;
    const Clock &m_clock;
};

} // namespace flywheel::payments
