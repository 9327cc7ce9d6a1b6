#pragma once

#include "common/YamlError.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace flywheel {

/// What `flywheeld --config flywheeld.yaml` sets (packaging/flywheeld.yaml is the
/// commented example). Every key is optional; a key that is present overrides the
/// built-in default, and a command-line flag overrides the key. Relative paths are
/// taken relative to the config file's folder, so a config and its certificates
/// can move together.
struct DaemonConfig {
    struct Tls {
        std::string cert;
        std::string key;
        /// Turns on mutual TLS: clients must present a certificate this CA signed.
        std::optional<std::string> clientCa;
    };
    std::optional<std::string> database;
    /// HOST:PORT of the storefront API (orders, events, invites).
    std::optional<std::string> storefrontListen;
    /// HOST:PORT of the admin API (what the console uses); the same address as
    /// storefront_listen serves both.
    std::optional<std::string> adminListen;
    /// HOST:PORT of the Prometheus listener (GET /metrics).
    std::optional<std::string> metricsListen;
    std::optional<Tls> tls;
    std::optional<bool> insecure;
    std::optional<bool> reflection;
    std::optional<std::string> tokensFile;
    std::optional<std::string> pricingFile;
    std::optional<std::string> inviteSecretFile;
    std::optional<std::int64_t> reservationTtlSeconds;
    std::optional<double> simulate;
    /// "text" or "json".
    std::optional<std::string> logFormat;
    /// Payment channels (docs/payments.md): where providers' notifications arrive.
    struct Payments {
        /// HOST:PORT of the callback listener.
        std::optional<std::string> callbackListen;
        /// The public base URL providers are given (https://...).
        std::optional<std::string> callbackUrl;
        /// The listener serves HTTPS with these (both or neither).
        std::optional<std::string> cert;
        std::optional<std::string> key;
        /// The three providers' local sandboxes (demos and trials only).
        std::optional<bool> sandboxes;
    };
    std::optional<Payments> payments;
};

/// Reads a daemon config. `file` names it in errors, and its folder anchors relative
/// paths. Refused, with file:line:col and the key: unknown and repeated keys, wrong
/// types, values out of range, an address that is not HOST:PORT, and a file named
/// by a key that cannot be read.
std::variant<DaemonConfig, common::YamlError> parseDaemonConfig(const std::string &text, const std::string &file);
/// The same from a file; a file that cannot be read is an error at line 0.
std::variant<DaemonConfig, common::YamlError> loadDaemonConfig(const std::string &path);

/// True for HOST:PORT with a port from 0 to 65535 (HOST may be empty only in
/// ":PORT", which gRPC takes as every interface).
bool isListenAddress(const std::string &address);
/// True when HOST names this machine only: localhost, 127.0.0.0/8, ::1.
bool isLoopbackAddress(const std::string &address);

/// Whether a listener may be served, and what to warn about when it may.
struct ListenCheck {
    /// Why it must not be served; empty when it may.
    std::string refusal;
    /// What to say at start and in GetServerInfo; empty for none.
    std::string warning;
};
/// The transport rule: plaintext only on a loopback address, unless `insecure`
/// accepts the risk (then a warning); TLS anywhere. An empty address (in-process
/// only) is always served.
ListenCheck checkListen(const std::string &address, bool tls, bool insecure);

} // namespace flywheel
