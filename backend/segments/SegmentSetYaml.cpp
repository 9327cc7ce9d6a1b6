#include "segments/SegmentSetYaml.h"

#include "common/YamlReader.h"

#include <limits>

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

std::variant<SegmentSet, common::YamlError> parseSegmentSetYaml(const std::string &text, const std::string &source)
{
    using common::YamlMap;
    using common::YamlValue;
    constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
    return common::readYaml<SegmentSet>(text, source, [](const YamlValue &root) {
        const YamlMap document = root.map({"policy", "segments"});
        SegmentSet set;
        const YamlMap policy =
            document.required("policy").map({"seed_expression", "holdout_percent", "rate_limit_per_second"});
        set.policy.seedExpression = policy.required("seed_expression").text();
        set.policy.holdoutPercent = static_cast<int>(policy.required("holdout_percent").integer(0, 100));
        set.policy.rateLimitPerSecond = static_cast<int>(policy.required("rate_limit_per_second").integer(0, kIntMax));
        for (const YamlValue &item : document.required("segments").list(true)) {
            const YamlMap node = item.map({"id", "name", "expression", "priority", "cap", "channels", "enabled"});
            Segment s;
            s.id = node.required("id").text();
            s.name = node.required("name").text();
            s.expression = node.required("expression").text();
            s.priority = static_cast<int>(node.required("priority").integer(-kIntMax, kIntMax));
            const YamlMap cap = node.required("cap").map({"count", "per"});
            s.capCount = static_cast<int>(cap.required("count").integer(0, kIntMax));
            const YamlValue per = cap.required("per");
            const std::string period = per.text();
            if (period != "day" && period != "week")
                per.refuse("must be day or week, got \"" + period + "\"");
            s.capPeriod = period == "day" ? CapPeriod::Day : CapPeriod::Week;
            for (const YamlValue &c : node.required("channels").list()) {
                const std::string name = c.text();
                const auto channel = channelFromName(name);
                if (!channel)
                    c.refuse("must be push, sms or in_app, got \"" + name + "\"");
                s.channels.push_back(*channel);
            }
            s.enabled = node.required("enabled").boolean();
            set.segments.push_back(std::move(s));
        }
        return set;
    });
}

} // namespace flywheel::segments
