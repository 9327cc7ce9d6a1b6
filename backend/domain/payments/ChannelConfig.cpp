#include "domain/payments/ChannelConfig.h"

#include <algorithm>
#include <set>

namespace flywheel::payments {

std::string ChannelSettings::credential(const std::string &name) const
{
    for (const CredentialRef &c : credentials)
        if (c.name == name)
            return c.path;
    return {};
}

const ChannelSettings *ChannelConfig::find(const std::string &id) const
{
    for (const ChannelSettings &c : channels)
        if (c.id == id)
            return &c;
    return nullptr;
}

const std::vector<std::string> &requiredCredentials(const std::string &provider)
{
    static const std::vector<std::string> wechat{"merchant_private_key", "platform_public_key", "apiv3_key"};
    static const std::vector<std::string> alipay{"app_private_key", "alipay_public_key"};
    static const std::vector<std::string> btcpay{"api_key", "webhook_secret"};
    static const std::vector<std::string> none;
    if (provider == "wechatpay")
        return wechat;
    if (provider == "alipay")
        return alipay;
    if (provider == "btcpay")
        return btcpay;
    return none;
}

const std::vector<std::string> &knownProviders()
{
    static const std::vector<std::string> providers{"wechatpay", "alipay", "btcpay"};
    return providers;
}

namespace {

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

bool validId(const std::string &id)
{
    if (id.empty() || id.size() > 40)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool validCurrency(const std::string &code)
{
    return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

/// "http://" or "https://" followed by a host without spaces or control characters.
bool validEndpoint(const std::string &url)
{
    std::string rest;
    if (url.rfind("https://", 0) == 0)
        rest = url.substr(8);
    else if (url.rfind("http://", 0) == 0)
        rest = url.substr(7);
    else
        return false;
    if (rest.empty() || rest.front() == '/' || rest.front() == ':')
        return false;
    return std::none_of(rest.begin(), rest.end(),
                        [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 127; });
}

/// Why `c` may not be saved, without the channel's name; nothing when valid.
std::optional<std::string> channelProblem(const ChannelSettings &c)
{
    const auto range = [](const char *field, std::int64_t value, std::int64_t min,
                          std::int64_t max) -> std::optional<std::string> {
        if (value < min || value > max)
            return std::string(field) + " must be " + std::to_string(min) + "-" + std::to_string(max) + ", got " +
                   std::to_string(value);
        return std::nullopt;
    };
    if (!validId(c.id))
        return "id must be 1-40 characters of a-z, 0-9, _ and -, got \"" + c.id + "\"";
    const std::vector<std::string> &providers = knownProviders();
    if (std::find(providers.begin(), providers.end(), c.provider) == providers.end())
        return "provider must be one of " + joined(providers) + ", got \"" + c.provider + "\"";
    if (auto p = range("priority", c.priority, 0, 1000))
        return p;
    if (auto p = range("fee_bp", c.feeBp, 0, 10000))
        return p;
    if (c.minAmountMinor < 0)
        return "min_amount_minor must not be negative, got " + std::to_string(c.minAmountMinor);
    if (c.maxAmountMinor < 0)
        return "max_amount_minor must not be negative (0: no maximum), got " + std::to_string(c.maxAmountMinor);
    if (c.maxAmountMinor != 0 && c.minAmountMinor > c.maxAmountMinor)
        return "min_amount_minor " + std::to_string(c.minAmountMinor) + " is above max_amount_minor " +
               std::to_string(c.maxAmountMinor);
    if (c.currencies.empty())
        return std::string("currencies must name at least one currency");
    std::set<std::string> currencies;
    for (const std::string &code : c.currencies) {
        if (!validCurrency(code))
            return "currencies must be three upper-case letters (ISO 4217), got \"" + code + "\"";
        if (!currencies.insert(code).second)
            return "currencies names " + code + " twice";
    }
    if (auto p = range("success_floor_bp", c.successFloorBp, 0, 10000))
        return p;
    if (auto p = range("min_attempts", c.minAttempts, 1, 100000))
        return p;
    // "sandbox": the provider's local sandbox, which only a demo backend runs.
    if (c.endpoint != "sandbox" && !validEndpoint(c.endpoint))
        return "endpoint must be an http:// or https:// URL, or sandbox (the demo's local sandbox), got \"" +
               c.endpoint + "\"";
    if (auto p = range("confirmations", c.confirmations, 0, 100))
        return p;
    if (auto p = range("invoice_expiry_minutes", c.invoiceExpiryMinutes, 1, 1440))
        return p;
    if (auto p = range("payment_tolerance_bp", c.paymentToleranceBp, 0, 10000))
        return p;
    const std::vector<std::string> &required = requiredCredentials(c.provider);
    std::set<std::string> seen;
    for (const CredentialRef &ref : c.credentials) {
        if (std::find(required.begin(), required.end(), ref.name) == required.end())
            return "credential \"" + ref.name + "\" is not one " + c.provider + " uses (" + joined(required) + ")";
        if (!seen.insert(ref.name).second)
            return "credential " + ref.name + " is given twice";
    }
    for (const std::string &name : required)
        if (c.credential(name).empty())
            return "credential " + name + " needs a file path";
    return std::nullopt;
}

} // namespace

std::optional<Error> validateChannelConfig(const ChannelConfig &config)
{
    const auto invalid = [](std::string message) { return Error{ErrorCode::InvalidArgument, std::move(message)}; };
    if (config.successWindowMinutes < 1 || config.successWindowMinutes > 1440)
        return invalid("success_window_minutes must be 1-1440, got " + std::to_string(config.successWindowMinutes));
    if (config.queryAfterSeconds < 10 || config.queryAfterSeconds > 3600)
        return invalid("query_after_seconds must be 10-3600, got " + std::to_string(config.queryAfterSeconds));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < config.channels.size(); ++i) {
        const ChannelSettings &c = config.channels[i];
        const std::string name = validId(c.id) ? "channel \"" + c.id + "\"" : "channel " + std::to_string(i + 1);
        if (auto problem = channelProblem(c))
            return invalid(name + ": " + *problem);
        if (!ids.insert(c.id).second)
            return invalid(name + ": id is used by an earlier channel");
    }
    return std::nullopt;
}

} // namespace flywheel::payments
