#include "segments/SegmentSetYaml.h"

#include <yaml-cpp/yaml.h>

namespace flywheel::segments {

std::optional<Channel> channelFromName(std::string_view name)
{
    for (const Channel c : {Channel::Push, Channel::Sms, Channel::InApp}) {
        if (name == channelName(c))
            return c;
    }
    return std::nullopt;
}

std::string emitSegmentSetYaml(const SegmentSet &set)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "policy" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "seed_expression" << YAML::Value << YAML::DoubleQuoted << set.policy.seedExpression;
    out << YAML::Key << "holdout_percent" << YAML::Value << set.policy.holdoutPercent;
    out << YAML::Key << "rate_limit_per_second" << YAML::Value << set.policy.rateLimitPerSecond;
    out << YAML::EndMap;
    out << YAML::Key << "segments" << YAML::Value << YAML::BeginSeq;
    for (const Segment &s : set.segments) {
        out << YAML::BeginMap;
        out << YAML::Key << "id" << YAML::Value << s.id;
        out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << s.name;
        out << YAML::Key << "expression" << YAML::Value << YAML::DoubleQuoted << s.expression;
        out << YAML::Key << "priority" << YAML::Value << s.priority;
        out << YAML::Key << "cap" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "count" << YAML::Value
            << s.capCount << YAML::Key << "per" << YAML::Value << capPeriodName(s.capPeriod) << YAML::EndMap;
        out << YAML::Key << "channels" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const Channel c : s.channels)
            out << channelName(c);
        out << YAML::EndSeq;
        out << YAML::Key << "enabled" << YAML::Value << s.enabled;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::variant<SegmentSet, std::string> parseSegmentSetYaml(const std::string &text)
{
    try {
        const YAML::Node root = YAML::Load(text);
        SegmentSet set;
        if (const YAML::Node policy = root["policy"]) {
            set.policy.seedExpression = policy["seed_expression"].as<std::string>("");
            set.policy.holdoutPercent = policy["holdout_percent"].as<int>(0);
            set.policy.rateLimitPerSecond = policy["rate_limit_per_second"].as<int>(0);
        }
        for (const YAML::Node &node : root["segments"]) {
            Segment s;
            s.id = node["id"].as<std::string>();
            s.name = node["name"].as<std::string>();
            s.expression = node["expression"].as<std::string>();
            s.priority = node["priority"].as<int>(0);
            s.capCount = node["cap"]["count"].as<int>();
            const std::string per = node["cap"]["per"].as<std::string>();
            if (per != "day" && per != "week")
                return "segment " + s.id + ": cap period '" + per + "' is neither day nor week";
            s.capPeriod = per == "day" ? CapPeriod::Day : CapPeriod::Week;
            for (const YAML::Node &c : node["channels"]) {
                const auto channel = channelFromName(c.as<std::string>());
                if (!channel)
                    return "segment " + s.id + ": unknown channel '" + c.as<std::string>() + "'";
                s.channels.push_back(*channel);
            }
            s.enabled = node["enabled"].as<bool>(true);
            set.segments.push_back(std::move(s));
        }
        return set;
    } catch (const YAML::Exception &e) {
        return std::string("line ") + std::to_string(e.mark.line + 1) + ", column " +
               std::to_string(e.mark.column + 1) + ": " + e.msg;
    }
}

} // namespace flywheel::segments
