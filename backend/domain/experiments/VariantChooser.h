#pragma once

#include "domain/Clock.h"

#include <cstdint>
#include <string_view>

namespace flywheel::experiments {

/// Where the storefront path applies an experiment's variants.
enum class Surface { InviteCopy, FirstOrderSubsidy };

/// What a user gets on one surface. The views point into the chooser's own data
/// and stay valid as long as the chooser lives (a later change of the experiments
/// publishes new data and keeps the old), so answering copies no string.
struct VariantChoice {
    /// The running experiment and the user's variant; both empty when the default
    /// applies (no experiment runs there, or the user is outside its traffic).
    std::string_view experimentKey;
    std::string_view variantKey;
    /// Surface::InviteCopy: the text shown with the invite link (the default copy
    /// when no variant applies).
    std::string_view inviteCopy;
    /// Surface::FirstOrderSubsidy: the subsidy config version to decide with; 0
    /// for the live config.
    std::int64_t subsidyConfigVersion = 0;
};

/// The storefront path's question to the experiments: the variant of `uid` on a
/// surface. The first time a user is assigned in an experiment, the exposure is
/// recorded with its variant; later calls give the same variant, whatever the
/// weights have become. Safe from any thread; cheap (no storage on the caller's
/// thread).
class VariantChooser {
public:
    virtual ~VariantChooser() = default;
    virtual VariantChoice choose(Surface surface, std::int64_t uid, TimePoint now) = 0;
};

} // namespace flywheel::experiments
