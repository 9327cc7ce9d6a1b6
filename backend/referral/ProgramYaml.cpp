#include "referral/ProgramYaml.h"

#include <yaml-cpp/yaml.h>

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

std::variant<Program, std::string> programFromYaml(const std::string &yaml)
{
    try {
        const YAML::Node root = YAML::Load(yaml);
        if (!root.IsMap())
            return std::string("a referral programme must be a mapping of fields");
        Program p;
        for (const auto &entry : root) {
            const std::string key = entry.first.as<std::string>();
            const YAML::Node &v = entry.second;
            if (key == "inviter_reward_minor")
                p.inviterReward = Money(v.as<std::int64_t>());
            else if (key == "invitee_reward_minor")
                p.inviteeReward = Money(v.as<std::int64_t>());
            else if (key == "level1_rate_bp")
                p.level1RateBp = v.as<std::int32_t>();
            else if (key == "level2_rate_bp")
                p.level2RateBp = v.as<std::int32_t>();
            else if (key == "max_clicks_per_ip_per_hour")
                p.maxClicksPerIpPerHour = v.as<std::int32_t>();
            else if (key == "max_clicks_per_device_per_day")
                p.maxClicksPerDevicePerDay = v.as<std::int32_t>();
            else if (key == "min_inviter_age_hours")
                p.minInviterAgeHours = v.as<std::int32_t>();
            else if (key == "inviter_active_within_days")
                p.inviterActiveWithinDays = v.as<std::int32_t>();
            else if (key == "token_ttl_hours")
                p.tokenTtlHours = v.as<std::int32_t>();
            else if (key == "clock_leeway_seconds")
                p.clockLeewaySeconds = v.as<std::int32_t>();
            else
                return "unknown field " + key + " at line " + std::to_string(entry.first.Mark().line + 1);
        }
        if (auto error = validate(p))
            return *error;
        return p;
    } catch (const YAML::Exception &e) {
        return std::string("the programme is not valid YAML: ") + e.what();
    }
}

} // namespace flywheel::referral
