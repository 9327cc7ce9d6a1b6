#include "payments/ChannelConfigYaml.h"

#include "common/YamlReader.h"

#include <limits>

namespace flywheel::payments {

namespace {

constexpr std::int64_t kInt32 = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxMinor = std::numeric_limits<std::int64_t>::max() / 4;

void textField(YAML::Emitter &out, const char *key, const std::string &value)
{
    if (!value.empty())
        out << YAML::Key << key << YAML::Value << value;
}

int int32(const common::YamlMap &m, const char *key, int fallback)
{
    const std::optional<common::YamlValue> value = m.optional(key);
    return value ? static_cast<int>(value->integer(-kInt32, kInt32)) : fallback;
}

std::string optionalText(const common::YamlMap &m, const char *key)
{
    const std::optional<common::YamlValue> value = m.optional(key);
    return value ? value->text() : std::string();
}

ChannelSettings readChannel(const common::YamlValue &item)
{
    const common::YamlMap m = item.map({"id", "provider", "display_name", "enabled", "priority", "fee_bp",
                                        "min_amount_minor", "max_amount_minor", "currencies", "success_floor_bp",
                                        "min_attempts", "endpoint", "merchant_id", "app_id", "merchant_serial",
                                        "platform_serial", "confirmations", "invoice_expiry_minutes",
                                        "payment_tolerance_bp", "credentials"});
    ChannelSettings c;
    c.id = m.required("id").text();
    c.provider = m.required("provider").text();
    c.displayName = optionalText(m, "display_name");
    c.enabled = m.required("enabled").boolean();
    c.priority = static_cast<int>(m.required("priority").integer(-kInt32, kInt32));
    c.feeBp = static_cast<int>(m.required("fee_bp").integer(-kInt32, kInt32));
    if (const auto min = m.optional("min_amount_minor"))
        c.minAmountMinor = min->integer(-kMaxMinor, kMaxMinor);
    if (const auto max = m.optional("max_amount_minor"))
        c.maxAmountMinor = max->integer(-kMaxMinor, kMaxMinor);
    for (const common::YamlValue &code : m.required("currencies").list())
        c.currencies.push_back(code.text());
    c.successFloorBp = int32(m, "success_floor_bp", c.successFloorBp);
    c.minAttempts = int32(m, "min_attempts", c.minAttempts);
    c.endpoint = m.required("endpoint").text();
    c.merchantId = optionalText(m, "merchant_id");
    c.appId = optionalText(m, "app_id");
    c.merchantSerial = optionalText(m, "merchant_serial");
    c.platformSerial = optionalText(m, "platform_serial");
    c.confirmations = int32(m, "confirmations", c.confirmations);
    c.invoiceExpiryMinutes = int32(m, "invoice_expiry_minutes", c.invoiceExpiryMinutes);
    c.paymentToleranceBp = int32(m, "payment_tolerance_bp", c.paymentToleranceBp);
    if (const auto credentials = m.optional("credentials")) {
        // Every name any provider uses is read here; validateChannelConfig then
        // refuses one this provider does not use. In the order written.
        const common::YamlMap names =
            credentials->map({"merchant_private_key", "platform_public_key", "apiv3_key", "app_private_key",
                              "alipay_public_key", "api_key", "webhook_secret"});
        for (const auto &entry : credentials->node()) {
            const std::string name = entry.first.as<std::string>();
            c.credentials.push_back(CredentialRef{name, names.required(name.c_str()).text()});
        }
    }
    return c;
}

} // namespace

std::string channelConfigToYaml(const ChannelConfig &config)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "success_window_minutes" << YAML::Value << config.successWindowMinutes;
    out << YAML::Key << "query_after_seconds" << YAML::Value << config.queryAfterSeconds;
    out << YAML::Key << "channels" << YAML::Value << YAML::BeginSeq;
    for (const ChannelSettings &c : config.channels) {
        out << YAML::BeginMap;
        out << YAML::Key << "id" << YAML::Value << c.id;
        out << YAML::Key << "provider" << YAML::Value << c.provider;
        textField(out, "display_name", c.displayName);
        out << YAML::Key << "enabled" << YAML::Value << c.enabled;
        out << YAML::Key << "priority" << YAML::Value << c.priority;
        out << YAML::Key << "fee_bp" << YAML::Value << c.feeBp;
        out << YAML::Key << "min_amount_minor" << YAML::Value << c.minAmountMinor;
        out << YAML::Key << "max_amount_minor" << YAML::Value << c.maxAmountMinor;
        out << YAML::Key << "currencies" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const std::string &code : c.currencies)
            out << code;
        out << YAML::EndSeq;
        out << YAML::Key << "success_floor_bp" << YAML::Value << c.successFloorBp;
        out << YAML::Key << "min_attempts" << YAML::Value << c.minAttempts;
        out << YAML::Key << "endpoint" << YAML::Value << c.endpoint;
        textField(out, "merchant_id", c.merchantId);
        textField(out, "app_id", c.appId);
        textField(out, "merchant_serial", c.merchantSerial);
        textField(out, "platform_serial", c.platformSerial);
        out << YAML::Key << "confirmations" << YAML::Value << c.confirmations;
        out << YAML::Key << "invoice_expiry_minutes" << YAML::Value << c.invoiceExpiryMinutes;
        out << YAML::Key << "payment_tolerance_bp" << YAML::Value << c.paymentToleranceBp;
        if (!c.credentials.empty()) {
            out << YAML::Key << "credentials" << YAML::Value << YAML::BeginMap;
            for (const CredentialRef &ref : c.credentials)
                out << YAML::Key << ref.name << YAML::Value << ref.path;
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::variant<ChannelConfig, common::YamlError> channelConfigFromYaml(const std::string &yaml,
                                                                     const std::string &source)
{
    using common::YamlValue;
    return common::readYaml<ChannelConfig>(yaml, source, [](const YamlValue &root) {
        const common::YamlMap f = root.map({"success_window_minutes", "query_after_seconds", "channels"});
        ChannelConfig config;
        config.successWindowMinutes = static_cast<int>(f.required("success_window_minutes").integer(-kInt32, kInt32));
        config.queryAfterSeconds = static_cast<int>(f.required("query_after_seconds").integer(-kInt32, kInt32));
        if (auto error = validateChannelConfig(config)) {
            const bool window = error->message.rfind("success_window_minutes", 0) == 0;
            f.required(window ? "success_window_minutes" : "query_after_seconds").refuseWith(error->message);
        }
        // Each channel is validated with the ones before it, so that the error
        // points at the channel it names (its range, or an id used before).
        for (const YamlValue &item : f.required("channels").list(true)) {
            config.channels.push_back(readChannel(item));
            if (auto error = validateChannelConfig(config))
                item.refuseWith(error->message);
        }
        return config;
    });
}

versioning::Codec<ChannelConfig> channelConfigCodec()
{
    versioning::Codec<ChannelConfig> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<ChannelConfig> {
        auto parsed = channelConfigFromYaml(yaml, where);
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, "cannot read " + error->describe()};
        return std::get<ChannelConfig>(std::move(parsed));
    };
    codec.validate = [](const ChannelConfig &config) { return validateChannelConfig(config); };
    codec.emit = [](const ChannelConfig &config) { return channelConfigToYaml(config); };
    return codec;
}

} // namespace flywheel::payments
