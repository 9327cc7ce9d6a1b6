#pragma once
// Private to the expression language (backend/domain/segments/expression/*.cpp): the
// features an expression may name, and how each is read from a profile. The evaluator,
// the parser (names, types, suggestions) and the public featureCatalog()/featureText()
// all read this one table.

#include "domain/segments/Expression.h"
#include "domain/segments/Profile.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace flywheel::segments::expression {

enum class Feature : std::uint8_t {
    // Numbers: the order is used by the fused opcodes (NumFeatK + feature * 6 + cmp).
    PayCount,
    DaysSinceReg,
    LastActiveDays,
    ActiveDays7,
    SessionDepth,
    Tag,
    // Bool
    KeyPathComplete,
    // Strings (dictionary ids)
    Device,
    Region,
    InstallChannel,
};

struct FeatureDef {
    std::string_view name;
    Feature feature;
    ValueType type;
    std::string_view description;
};

inline constexpr FeatureDef kFeatures[] = {
    {"pay_count", Feature::PayCount, ValueType::Number, "payments made"},
    {"days_since_reg", Feature::DaysSinceReg, ValueType::Number, "days since registration (today - registration day)"},
    {"last_active_days", Feature::LastActiveDays, ValueType::Number, "days since the user was last active"},
    {"active_days_7d", Feature::ActiveDays7, ValueType::Number, "days active in the last 7 days (0-7)"},
    {"session_depth", Feature::SessionDepth, ValueType::Number, "pages viewed in the latest session"},
    {"key_path_complete", Feature::KeyPathComplete, ValueType::Bool, "registered and made a first payment"},
    {"device", Feature::Device, ValueType::String, "device type, e.g. \"ios\"; unknown when never told"},
    {"region", Feature::Region, ValueType::String, "region from the IP address; unknown when never told"},
    {"install_channel", Feature::InstallChannel, ValueType::String,
     "install channel, e.g. \"appstore\"; unknown when never told"},
};

inline const FeatureDef *findFeature(std::string_view name)
{
    for (const FeatureDef &f : kFeatures) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

inline bool isTagName(std::string_view name)
{
    if (name.empty())
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

inline double numberFeature(Feature f, std::int32_t tag, const Profile &p, Day today)
{
    switch (f) {
    case Feature::PayCount:
        return p.payCount;
    case Feature::DaysSinceReg:
        return p.daysSinceRegistration(today);
    case Feature::LastActiveDays:
        return p.lastActiveDays(today);
    case Feature::ActiveDays7:
        return p.activeDaysLast7(today);
    case Feature::SessionDepth:
        return p.sessionDepth;
    case Feature::Tag:
        return p.tag(tag);
    default:
        return 0;
    }
}

template <int F>
inline double numberFeature(const Profile &p, Day today, std::int32_t tag)
{
    if constexpr (F == int(Feature::PayCount))
        return p.payCount;
    else if constexpr (F == int(Feature::DaysSinceReg))
        return p.daysSinceRegistration(today);
    else if constexpr (F == int(Feature::LastActiveDays))
        return p.lastActiveDays(today);
    else if constexpr (F == int(Feature::ActiveDays7))
        return p.activeDaysLast7(today);
    else if constexpr (F == int(Feature::SessionDepth))
        return p.sessionDepth;
    else
        return p.tag(tag);
}

inline std::int32_t stringFeature(Feature f, const Profile &p)
{
    switch (f) {
    case Feature::Device:
        return p.device;
    case Feature::Region:
        return p.region;
    case Feature::InstallChannel:
        return p.installChannel;
    default:
        return Dictionary::kUnknown;
    }
}

} // namespace flywheel::segments::expression
