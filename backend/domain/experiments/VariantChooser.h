#pragma once

#include "domain/Clock.h"

#include <cstdint>
#include <string>

namespace flywheel::experiments {

/// Where the storefront path applies an experiment's variants.
enum class Surface { InviteCopy, FirstOrderSubsidy };

/// What a user gets on one surface.
struct VariantChoice {
    /// The running experiment and the user's variant; both empty when the default
    /// applies (no experiment runs there, or the user is outside its traffic).
    std::string experimentKey;
    std::string variantKey;
    /// Surface::InviteCopy: the text shown with the invite link (the default copy
    /// when no variant applies).
    std::string inviteCopy;
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
