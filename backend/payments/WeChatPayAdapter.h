#pragma once

#include "payments/Crypto.h"
#include "payments/PaymentAdapter.h"


namespace flywheel::payments {

/// WeChat Pay API v3, Native (QR code) flow: requests signed with the merchant key
/// (WECHATPAY2-SHA256-RSA2048), every 2xx answer and every notification verified with
/// the platform public key named by `platformSerial`, notification resources
/// decrypted with the APIv3 key (AEAD_AES_256_GCM). Research note §1.
class WeChatPayAdapter final : public PaymentAdapter {
public:
    /// `settings.apiKey` must be the 32-byte APIv3 key (makeAdapter checks).
    WeChatPayAdapter(AdapterSettings settings, crypto::RsaKey merchantKey, crypto::RsaKey platformKey,
                     HttpClient &http, const Clock &clock);

    std::string provider() const override { return "wechatpay"; }
    Result<CreateResult> create(const CreateRequest &request) override;
    Result<PaymentReport> query(const std::string &outTradeNo, const std::string &providerPaymentId) override;
    Result<bool> close(const std::string &outTradeNo, const std::string &providerPaymentId) override;
    Result<RefundReport> refund(const RefundRequest &request) override;
    Result<RefundReport> queryRefund(const std::string &outRefundNo, const std::string &outTradeNo) override;
    std::variant<Notification, NotificationRefusal> verifyNotification(const HttpRequest &request,
                                                                       TimePoint now) override;
    HttpResponse acknowledge(bool accepted, bool refused) const override;

    /// The Authorization header value for a request (exposed for tests and the bench).
    std::string authorization(std::string_view method, std::string_view target, std::string_view body) const;

private:
    /// Sends a signed request; 2xx answers come back verified, 4xx answers come back
    /// as they are (the caller names the refusal), transport failures, 5xx and
    /// answers that do not verify are Unavailable.
    Result<HttpResponse> call(const std::string &method, const std::string &target, const std::string &body);
    /// The headers' signature and freshness: nothing when authentic and fresh.
    std::optional<NotificationRefusal> verifySigned(const Headers &headers, const std::string &body,
                                                    TimePoint now) const;
    Error refusal(const std::string &what, const HttpResponse &response) const;
    Result<RefundReport> refundReport(const HttpResponse &response, const std::string &what) const;

    AdapterSettings m_settings;
    crypto::RsaKey m_merchantKey;
    crypto::RsaKey m_platformKey;
    HttpClient &m_http;
    const Clock &m_clock;
};

} // namespace flywheel::payments
