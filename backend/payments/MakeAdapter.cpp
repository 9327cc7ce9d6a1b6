#include "payments/BtcpayAdapter.h"
#include "payments/PaymentAdapter.h"

namespace flywheel::payments {

namespace {

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
                                                    HttpClient &http, const Clock &)
{
    if (provider == "btcpay")
        return makeBtcpay(settings, http);
    return Error{ErrorCode::InvalidArgument, "unknown provider \"" + provider + "\""};
}

} // namespace flywheel::payments
