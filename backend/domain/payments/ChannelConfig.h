#pragma once

#include "domain/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::payments {

/// A credential: a file on the daemon's machine, by path. The path is stored in the
/// versioned document; the content never is.
struct CredentialRef {
    /// "merchant_private_key", "platform_public_key", "apiv3_key", "app_private_key",
    /// "alipay_public_key", "api_key", "webhook_secret".
    std::string name;
    std::string path;
};

/// One payment channel (proto flywheel.v1.Channel documents every field).
struct ChannelSettings {
    std::string id;
    std::string provider;
    std::string displayName;
    bool enabled = true;
    int priority = 100;
    int feeBp = 0;
    std::int64_t minAmountMinor = 0;
    /// 0: no maximum.
    std::int64_t maxAmountMinor = 0;
    std::vector<std::string> currencies;
    int successFloorBp = 0;
    int minAttempts = 20;
    std::string endpoint;
    std::string merchantId;
    std::string appId;
    std::string merchantSerial;
    std::string platformSerial;
    int confirmations = 1;
    int invoiceExpiryMinutes = 15;
    int paymentToleranceBp = 0;
    std::vector<CredentialRef> credentials;

    /// The path of credential `name`; empty when not set.
    std::string credential(const std::string &name) const;
};

/// The payment channel configuration: a versioned, audited document (area
/// "payments", object "channel configuration").
struct ChannelConfig {
    std::vector<ChannelSettings> channels;
    int successWindowMinutes = 15;
    int queryAfterSeconds = 60;

    const ChannelSettings *find(const std::string &id) const;
};

/// The credentials a provider needs, by name ("wechatpay": merchant_private_key,
/// platform_public_key, apiv3_key; "alipay": app_private_key, alipay_public_key;
/// "btcpay": api_key, webhook_secret). Empty for an unknown provider.
const std::vector<std::string> &requiredCredentials(const std::string &provider);
/// The providers there are adapters for.
const std::vector<std::string> &knownProviders();

/// Why the configuration may not be saved, naming the channel and field
/// ("channel \"wx\": fee_bp must be 0-10000, got 12000"); nothing when valid.
/// Checks ids ([a-z0-9_-]{1,40}, unique), known providers, ranges of every number
/// (proto comments), currencies (three upper-case letters, at least one), min <=
/// max, an http(s) endpoint, and that every required credential has a path.
std::optional<Error> validateChannelConfig(const ChannelConfig &config);

} // namespace flywheel::payments
