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

} // namespace

Result<std::unique_ptr<PaymentAdapter>> makeAdapter(const std::string &provider, const AdapterSettings &settings,
                                                    HttpClient &http, const Clock &clock)
{
    if (provider == "wechatpay")
        return makeWeChatPay(settings, http, clock);
    return Error{ErrorCode::InvalidArgument, "unknown provider \"" + provider + "\""};
}

} // namespace flywheel::payments
