// The public side of the feature catalogue (Expression.h): featureCatalog() and
// featureText(), read from the one table in FeatureCatalog.h.

#include "domain/segments/expression/FeatureCatalog.h"

#include <charconv>
#include <cmath>
#include <string>

namespace flywheel::segments {

namespace {

std::string formatNumber(double v)
{
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::general, 6);
    return std::string(buffer, result.ptr);
}

} // namespace

using namespace expression;

const std::vector<FeatureInfo> &featureCatalog()
{
    static const std::vector<FeatureInfo> catalog = [] {
        std::vector<FeatureInfo> out;
        for (const FeatureDef &f : kFeatures)
            out.push_back(FeatureInfo{std::string(f.name), f.type, std::string(f.description)});
        out.push_back(FeatureInfo{"tag.NAME", ValueType::Number,
                                  "preference weight of tag NAME ([a-z0-9_]+), e.g. tag.sports; 0 when absent"});
        return out;
    }();
    return catalog;
}

std::string featureText(std::string_view feature, const Profile &profile, Day today, const Dictionary &dictionary)
{
    if (feature.substr(0, 4) == "tag.") {
        const std::string_view name = feature.substr(4);
        if (!isTagName(name))
            return {};
        const std::int32_t id = dictionary.find(name);
        return formatNumber(id == Dictionary::kUnknown ? 0.0 : profile.tag(id));
    }
    const FeatureDef *f = findFeature(feature);
    if (!f)
        return {};
    switch (f->type) {
    case ValueType::Number:
        return formatNumber(numberFeature(f->feature, 0, profile, today));
    case ValueType::Bool:
        return profile.keyPathComplete() ? "true" : "false";
    case ValueType::String:
        return dictionary.text(stringFeature(f->feature, profile));
    }
    return {};
}

} // namespace flywheel::segments
