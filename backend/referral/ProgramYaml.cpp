#include "referral/ProgramYaml.h"

#include "common/YamlReader.h"

#include <limits>

namespace flywheel::referral {

std::string programToYaml(const Program &p)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "inviter_reward_minor" << YAML::Value << p.inviterReward.minorUnits();
    out << YAML::Key << "invitee_reward_minor" << YAML::Value << p.inviteeReward.minorUnits();
    out << YAML::Key << "level1_rate_bp" << YAML::Value << p.level1RateBp;
    out << YAML::Key << "level2_rate_bp" << YAML::Value << p.level2RateBp;
    out << YAML::Key << "max_clicks_per_ip_per_hour" << YAML::Value << p.maxClicksPerIpPerHour;
    out << YAML::Key << "max_clicks_per_device_per_day" << YAML::Value << p.maxClicksPerDevicePerDay;
    out << YAML::Key << "min_inviter_age_hours" << YAML::Value << p.minInviterAgeHours;
    out << YAML::Key << "inviter_active_within_days" << YAML::Value << p.inviterActiveWithinDays;
    out << YAML::Key << "token_ttl_hours" << YAML::Value << p.tokenTtlHours;
    out << YAML::Key << "clock_leeway_seconds" << YAML::Value << p.clockLeewaySeconds;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::variant<Program, common::YamlError> programFromYaml(const std::string &yaml, const std::string &source)
{
    using common::YamlMap;
    using common::YamlValue;
    return common::readYaml<Program>(yaml, source, [](const YamlValue &root) {
        const YamlMap fields =
            root.map({"inviter_reward_minor", "invitee_reward_minor", "level1_rate_bp", "level2_rate_bp",
                      "max_clicks_per_ip_per_hour", "max_clicks_per_device_per_day", "min_inviter_age_hours",
                      "inviter_active_within_days", "token_ttl_hours", "clock_leeway_seconds"});
        const auto int64 = [&](const char *key) {
            return fields.required(key).integer(std::numeric_limits<std::int64_t>::min() / 10,
                                                std::numeric_limits<std::int64_t>::max() / 10);
        };
        const auto int32 = [&](const char *key) {
            return static_cast<std::int32_t>(fields.required(key).integer(std::numeric_limits<std::int32_t>::min(),
                                                                          std::numeric_limits<std::int32_t>::max()));
        };
        Program p;
        p.inviterReward = Money(int64("inviter_reward_minor"));
        p.inviteeReward = Money(int64("invitee_reward_minor"));
        p.level1RateBp = int32("level1_rate_bp");
        p.level2RateBp = int32("level2_rate_bp");
        p.maxClicksPerIpPerHour = int32("max_clicks_per_ip_per_hour");
        p.maxClicksPerDevicePerDay = int32("max_clicks_per_device_per_day");
        p.minInviterAgeHours = int32("min_inviter_age_hours");
        p.inviterActiveWithinDays = int32("inviter_active_within_days");
        p.tokenTtlHours = int32("token_ttl_hours");
        p.clockLeewaySeconds = int32("clock_leeway_seconds");
        if (auto error = validate(p))
            root.refuseWith(*error);
        return p;
    });
}

} // namespace flywheel::referral
