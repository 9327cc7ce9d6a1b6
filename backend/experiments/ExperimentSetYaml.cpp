#include "experiments/ExperimentSetYaml.h"

#include "common/YamlReader.h"

#include <limits>

namespace flywheel::experiments {

namespace {

std::int64_t msOf(TimePoint t)
{
    return t == TimePoint{} ? 0 : toEpochMs(t);
}

TimePoint timeOf(std::int64_t ms)
{
    return ms == 0 ? TimePoint{} : fromEpochMs(ms);
}

std::optional<Status> statusFrom(const std::string &name)
{
    for (const Status s : {Status::Draft, Status::Running, Status::Stopped, Status::Shipped})
        if (name == statusName(s))
            return s;
    return std::nullopt;
}

} // namespace

std::string experimentSetToYaml(const ExperimentSet &set)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "defaults" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "invite_copy" << YAML::Value << YAML::DoubleQuoted << set.defaults.inviteCopy;
    out << YAML::Key << "subsidy_config_version" << YAML::Value << set.defaults.subsidyConfigVersion;
    out << YAML::EndMap;
    out << YAML::Key << "experiments" << YAML::Value << YAML::BeginSeq;
    for (const Experiment &e : set.experiments) {
        out << YAML::BeginMap;
        out << YAML::Key << "key" << YAML::Value << YAML::DoubleQuoted << e.key;
        out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << e.name;
        out << YAML::Key << "hypothesis" << YAML::Value << YAML::DoubleQuoted << e.hypothesis;
        out << YAML::Key << "surface" << YAML::Value << surfaceName(e.surface);
        out << YAML::Key << "salt" << YAML::Value << YAML::DoubleQuoted << e.salt;
        out << YAML::Key << "traffic_bp" << YAML::Value << e.trafficBp;
        out << YAML::Key << "status" << YAML::Value << statusName(e.status);
        out << YAML::Key << "min_run_hours" << YAML::Value << e.minRunHours;
        out << YAML::Key << "started_at_ms" << YAML::Value << msOf(e.startedAt);
        out << YAML::Key << "ended_at_ms" << YAML::Value << msOf(e.endedAt);
        out << YAML::Key << "shipped_variant" << YAML::Value << YAML::DoubleQuoted << e.shippedVariant;
        out << YAML::Key << "invite_copy_before_ship" << YAML::Value << YAML::DoubleQuoted << e.inviteCopyBeforeShip;
        out << YAML::Key << "subsidy_version_before_ship" << YAML::Value << e.subsidyVersionBeforeShip;
        out << YAML::Key << "variants" << YAML::Value << YAML::BeginSeq;
        for (const VariantSpec &v : e.variants) {
            out << YAML::BeginMap;
            out << YAML::Key << "key" << YAML::Value << YAML::DoubleQuoted << v.key;
            out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << v.name;
            out << YAML::Key << "weight_bp" << YAML::Value << v.weightBp;
            out << YAML::Key << "invite_copy" << YAML::Value << YAML::DoubleQuoted << v.payload.inviteCopy;
            out << YAML::Key << "subsidy_config_version" << YAML::Value << v.payload.subsidyConfigVersion;
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::variant<ExperimentSet, common::YamlError> experimentSetFromYaml(const std::string &yaml,
                                                                     const std::string &source)
{
    using common::YamlMap;
    using common::YamlValue;
    return common::readYaml<ExperimentSet>(yaml, source, [](const YamlValue &root) {
        constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 2;
        const YamlMap top = root.map({"defaults", "experiments"});
        ExperimentSet set;
        const YamlMap defaults = top.required("defaults").map({"invite_copy", "subsidy_config_version"});
        set.defaults.inviteCopy = defaults.required("invite_copy").text();
        set.defaults.subsidyConfigVersion = defaults.required("subsidy_config_version").integer(0, kMax);
        for (const YamlValue &item : top.required("experiments").list(true)) {
            const YamlMap f = item.map({"key", "name", "hypothesis", "surface", "salt", "traffic_bp", "status",
                                        "min_run_hours", "started_at_ms", "ended_at_ms", "shipped_variant",
                                        "invite_copy_before_ship", "subsidy_version_before_ship", "variants"});
            const auto optionalText = [&](const char *key) {
                const auto v = f.optional(key);
                return v && v->node().IsScalar() ? v->node().as<std::string>() : std::string();
            };
            Experiment e;
            e.key = f.required("key").text();
            e.name = optionalText("name");
            e.hypothesis = optionalText("hypothesis");
            const YamlValue surface = f.required("surface");
            const std::string surfaceText = surface.text();
            if (surfaceText == "invite_copy")
                e.surface = Surface::InviteCopy;
            else if (surfaceText == "first_order_subsidy")
                e.surface = Surface::FirstOrderSubsidy;
            else
                surface.refuse("must be invite_copy or first_order_subsidy");
            e.salt = f.required("salt").text();
            e.trafficBp = static_cast<std::int32_t>(f.required("traffic_bp").integer(1, kBucketCount));
            const YamlValue status = f.required("status");
            const auto parsedStatus = statusFrom(status.text());
            if (!parsedStatus)
                status.refuse("must be draft, running, stopped or shipped");
            e.status = *parsedStatus;
            e.minRunHours = static_cast<std::int32_t>(f.required("min_run_hours").integer(0, kMaxMinRunHours));
            e.startedAt = timeOf(f.required("started_at_ms").integer(0, kMax));
            e.endedAt = timeOf(f.required("ended_at_ms").integer(0, kMax));
            e.shippedVariant = optionalText("shipped_variant");
            e.inviteCopyBeforeShip = optionalText("invite_copy_before_ship");
            if (const auto v = f.optional("subsidy_version_before_ship"))
                e.subsidyVersionBeforeShip = v->integer(0, kMax);
            for (const YamlValue &variantValue : f.required("variants").list()) {
                const YamlMap vf =
                    variantValue.map({"key", "name", "weight_bp", "invite_copy", "subsidy_config_version"});
                VariantSpec v;
                v.key = vf.required("key").text();
                if (const auto name = vf.optional("name"); name && name->node().IsScalar())
                    v.name = name->node().as<std::string>();
                v.weightBp = static_cast<std::int32_t>(vf.required("weight_bp").integer(0, kBucketCount));
                if (const auto copy = vf.optional("invite_copy"); copy && copy->node().IsScalar())
                    v.payload.inviteCopy = copy->node().as<std::string>();
                if (const auto version = vf.optional("subsidy_config_version"))
                    v.payload.subsidyConfigVersion = version->integer(0, kMax);
                e.variants.push_back(std::move(v));
            }
            set.experiments.push_back(std::move(e));
        }
        if (auto error = validate(set))
            root.refuseWith(error->message);
        return set;
    });
}

} // namespace flywheel::experiments
