#include "payments/AlipayAdapter.h"
#include "payments/BtcpayAdapter.h"
#include "payments/Crypto.h"
#include "payments/PaymentAdapter.h"
#include "payments/WeChatPayAdapter.h"

namespace flywheel::payments {

namespace {

Result<std::unique_ptr<PaymentAdapter>> makeWeChatPay(const AdapterSettings &settings, HttpClient &http,
                                                      const Clock &clock)
{
    const std::string channel = "channel \"" + settings.channelId + "\": ";
    const std::pair<const char *, const std::string *> required[] = {
        {"endpoint", &settings.endpoint},
        {"merchant id (mchid)", &settings.merchantId},
        {"app id (appid)", &settings.appId},
        {"merchant serial", &settings.merchantSerial},
        {"platform serial", &settings.platformSerial},
    };
    for (const auto &[name, value] : required) {
        if (value->empty())
            return Error{ErrorCode::InvalidArgument, channel + "WeChat Pay needs a " + name};
    }
    Result<crypto::RsaKey> merchant = crypto::RsaKey::fromPem(settings.merchantPrivateKeyPem);
    if (!merchant.ok())
        return Error{ErrorCode::InvalidArgument, channel + "merchant_private_key: " + merchant.error().message};
    if (!merchant.value().hasPrivate())
        return Error{ErrorCode::InvalidArgument, channel + "merchant_private_key holds a public key, not a private one"};
    Result<crypto::RsaKey> platform = crypto::RsaKey::fromPem(settings.providerPublicKeyPem);
    if (!platform.ok())
        return Error{ErrorCode::InvalidArgument, channel + "platform_public_key: " + platform.error().message};
    if (settings.apiKey.size() != 32)
        return Error{ErrorCode::InvalidArgument, channel + "apiv3_key must be 32 bytes, got " +
                                                     std::to_string(settings.apiKey.size())};
    return std::unique_ptr<PaymentAdapter>(std::make_unique<WeChatPayAdapter>(
        settings, std::move(merchant).value(), std::move(platform).value(), http, clock));
}

/// The settings a BTCPay channel cannot work without (named, never shown).
Result<std::unique_ptr<PaymentAdapter>> makeBtcpay(const AdapterSettings &settings, HttpClient &http)
{
    if (settings.endpoint.empty())
        return Error{ErrorCode::InvalidArgument, "btcpay channel " + settings.channelId + " has no endpoint"};
    if (settings.merchantId.empty())
        return Error{ErrorCode::InvalidArgument, "btcpay channel " + settings.channelId + " has no store id"};
    if (settings.apiKey.empty())
        return Error{ErrorCode::InvalidArgument, "btcpay channel " + settings.channelId + " has an empty api_key"};
    if (settings.webhookSecret.empty())
        return Error{ErrorCode::InvalidArgument,
                     "btcpay channel " + settings.channelId + " has an empty webhook_secret"};
    if (settings.confirmations < 0)
        return Error{ErrorCode::InvalidArgument, "btcpay channel " + settings.channelId +
                                                     " needs 0 or more confirmations, not " +
                                                     std::to_string(settings.confirmations)};
    if (settings.paymentToleranceBp < 0 || settings.paymentToleranceBp > 10000)
        return Error{ErrorCode::InvalidArgument, "btcpay channel " + settings.channelId +
                                                     " payment tolerance must be 0..10000 bp, not " +
                                                     std::to_string(settings.paymentToleranceBp)};
    return std::unique_ptr<PaymentAdapter>(std::make_unique<BtcpayAdapter>(settings, http));
}

} // namespace

Result<std::unique_ptr<PaymentAdapter>> makeAdapter(const std::string &provider, const AdapterSettings &settings,
                                                    HttpClient &http, const Clock &clock)
{
    if (provider == "wechatpay")
        return makeWeChatPay(settings, http, clock);
    if (provider == "btcpay")
        return makeBtcpay(settings, http);
    if (provider == "alipay") {
        auto adapter = AlipayAdapter::make(settings, http, clock);
        if (!adapter.ok())
            return adapter.error();
        return std::unique_ptr<PaymentAdapter>(std::move(adapter).value());
    }
    return Error{ErrorCode::InvalidArgument, "unknown provider \"" + provider + "\""};
}

} // namespace flywheel::payments
