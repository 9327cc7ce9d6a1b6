#pragma once

#include "payments/sandbox/Sandbox.h"

#include <memory>

namespace flywheel::payments::sandbox {

/// Alipay's gateway played locally: POST /gateway.do with the five methods the
/// adapter uses (alipay.trade.precreate, .query, .close, .refund,
/// .fastpay.refund.query). It generates the app key pair (the adapter signs with
/// the private half, the sandbox verifies every request with the public half and
/// answers code 40002 isv.invalid-signature otherwise) and the Alipay key pair
/// (signs every answer and notification). pay() sends the form-encoded, RSA2-signed
/// trade_status_sync notification to the notify_url the precreate named.
///
/// A precreated trade answers WAIT_BUYER_PAY at once here (real Alipay knows it only
/// after the buyer scans, answering ACQ.TRADE_NOT_EXIST until then).
class AlipaySandbox final : public Sandbox {
public:
    /// The ids it hands out.
    static constexpr const char *kAppId = "2021000100000001";
    static constexpr const char *kSellerId = "2088000100000001";

    explicit AlipaySandbox(const Clock &clock);
    ~AlipaySandbox() override;
    AlipaySandbox(const AlipaySandbox &) = delete;
    AlipaySandbox &operator=(const AlipaySandbox &) = delete;

    std::string provider() const override { return "alipay"; }
    std::string endpoint() const override;
    AdapterSettings settings() const override;
    /// app_private_key (PKCS#8 PEM) and alipay_public_key (bare Base64 DER, as
    /// Alipay's console shows it), mode 0600.
    std::vector<std::pair<std::string, std::string>> writeCredentials(const std::string &folder) const override;
    void setBehaviour(const Behaviour &behaviour) override;
    void setWebhookUrl(const std::string &url) override;
    bool pay(const std::string &outTradeNo, Delivery delivery,
             std::optional<std::int64_t> paidMinor = std::nullopt) override;
    std::optional<HttpRequest> notificationFor(const std::string &outTradeNo) override;
    std::int64_t created() const override;
    std::int64_t notificationsSent() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace flywheel::payments::sandbox
