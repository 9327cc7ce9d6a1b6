#include "server/DaemonConfig.h"

#include "common/YamlReader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flywheel {

using common::YamlValue;

namespace {

/// The value as a path, relative ones anchored at the config's folder, refused
/// when the file cannot be opened for reading.
std::string readablePath(const YamlValue &value, const std::filesystem::path &base)
{
    const std::string text = value.text();
    if (text.empty())
        value.refuse("must name a file");
    std::filesystem::path path(text);
    if (path.is_relative())
        path = base / path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        value.refuse("names " + path.string() + ", which cannot be read: " + std::strerror(errno));
    ::close(fd);
    return path.string();
}

std::string listenAddress(const YamlValue &value)
{
    const std::string text = value.text();
    if (!isListenAddress(text))
        value.refuse("must be HOST:PORT with a port from 0 to 65535, got \"" + text + "\"");
    return text;
}

} // namespace

bool isListenAddress(const std::string &address)
{
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    const std::string port = address.substr(colon + 1);
    return !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
           std::stoi(port) <= 65535;
}

bool isLoopbackAddress(const std::string &address)
{
    const auto colon = address.rfind(':');
    std::string host = colon == std::string::npos ? address : address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0 || host.rfind("ipv4:127.", 0) == 0;
}

ListenCheck checkListen(const std::string &address, bool tls, bool insecure)
{
    ListenCheck check;
    if (address.empty() || tls || isLoopbackAddress(address))
        return check;
    if (!insecure)
        check.refusal = "refusing to serve plaintext on " + address +
                        ", which other machines can reach: configure tls (cert and key), listen on a loopback "
                        "address such as 127.0.0.1, or set insecure: true to accept the risk";
    else
        check.warning = "serving plaintext on " + address +
                        " (insecure: true): anyone on the network can read and change what is sent";
    return check;
}

std::variant<DaemonConfig, common::YamlError> parseDaemonConfig(const std::string &text, const std::string &file)
{
    const std::filesystem::path base = std::filesystem::path(file).parent_path();
    return common::readYaml<DaemonConfig>(text, file, [&base](const YamlValue &root) {
        DaemonConfig config;
        if (!root.node().IsDefined() || root.node().IsNull())
            return config; // an empty file: every default
        const auto map =
            root.map({"database", "storefront_listen", "admin_listen", "tls", "insecure", "reflection", "tokens_file",
                      "pricing_file", "invite_secret_file", "reservation_ttl_seconds", "simulate", "log_format",
                      "payments", "metrics_listen"});
        if (const auto v = map.optional("database")) {
            config.database = v->text();
            if (config.database->empty())
                v->refuse("must name the SQLite database file");
            if (std::filesystem::path(*config.database).is_relative())
                config.database = (base / *config.database).string();
        }
        if (const auto v = map.optional("storefront_listen"))
            config.storefrontListen = listenAddress(*v);
        if (const auto v = map.optional("admin_listen"))
            config.adminListen = listenAddress(*v);
        if (const auto v = map.optional("metrics_listen"))
            config.metricsListen = listenAddress(*v);
        if (const auto v = map.optional("tls")) {
            const auto tls = v->map({"cert", "key", "client_ca"});
            DaemonConfig::Tls settings;
            settings.cert = readablePath(tls.required("cert"), base);
            settings.key = readablePath(tls.required("key"), base);
            if (const auto ca = tls.optional("client_ca"))
                settings.clientCa = readablePath(*ca, base);
            config.tls = settings;
        }
        if (const auto v = map.optional("insecure"))
            config.insecure = v->boolean();
        if (const auto v = map.optional("reflection"))
            config.reflection = v->boolean();
        if (const auto v = map.optional("tokens_file"))
            config.tokensFile = readablePath(*v, base);
        if (const auto v = map.optional("pricing_file"))
            config.pricingFile = readablePath(*v, base);
        if (const auto v = map.optional("invite_secret_file"))
            config.inviteSecretFile = readablePath(*v, base);
        if (const auto v = map.optional("reservation_ttl_seconds"))
            config.reservationTtlSeconds = v->integer(1, 86400);
        if (const auto v = map.optional("simulate")) {
            const std::string number = v->plainText("a number of orders per second from 0 to 20000");
            char *end = nullptr;
            errno = 0;
            const double rate = std::strtod(number.c_str(), &end);
            if (errno != 0 || end == number.c_str() || *end != '\0' || !std::isfinite(rate) || rate < 0 || rate > 20000)
                v->refuse("must be a number of orders per second from 0 to 20000, got \"" + number + "\"");
            config.simulate = rate;
        }
        if (const auto v = map.optional("payments")) {
            const auto payments = v->map({"callback_listen", "callback_url", "cert", "key", "sandboxes"});
            DaemonConfig::Payments settings;
            if (const auto listen = payments.optional("callback_listen"))
                settings.callbackListen = listenAddress(*listen);
            if (const auto url = payments.optional("callback_url")) {
                const std::string text = url->text();
                if (text.rfind("https://", 0) != 0 && text.rfind("http://127.", 0) != 0 &&
                    text.rfind("http://localhost", 0) != 0)
                    url->refuse("must be an https:// URL providers can reach (http:// only for this machine), got \"" +
                                text + "\"");
                settings.callbackUrl = text;
            }
            if (const auto cert = payments.optional("cert"))
                settings.cert = readablePath(*cert, base);
            if (const auto key = payments.optional("key"))
                settings.key = readablePath(*key, base);
            if (settings.cert.has_value() != settings.key.has_value())
                (settings.cert ? payments.required("cert") : payments.required("key"))
                    .refuse("cert and key go together: set both for HTTPS, or neither");
            if (const auto sandboxes = payments.optional("sandboxes"))
                settings.sandboxes = sandboxes->boolean();
            config.payments = settings;
        }
        if (const auto v = map.optional("log_format")) {
            const std::string format = v->text();
            if (format != "text" && format != "json")
                v->refuse("must be text or json, got \"" + format + "\"");
            config.logFormat = format;
        }
        return config;
    });
}

std::variant<DaemonConfig, common::YamlError> loadDaemonConfig(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        common::YamlError error;
        error.file = path;
        error.reason = std::string("cannot read the config file: ") + std::strerror(errno);
        return error;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseDaemonConfig(text.str(), path);
}

} // namespace flywheel
