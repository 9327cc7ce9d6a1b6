#pragma once

#include "domain/Money.h"

#include <cstdint>
#include <optional>
#include <string>

namespace flywheel::referral {

/// The referral programme operators configure: rewards, commission rates and the
/// anti-fraud limits. Versioned like pricing rules (docs/referral.md).
struct Program {
    Money inviterReward{500};
    Money inviteeReward{1000};
    /// Basis points of the order total (100 = 1 %).
    std::int32_t level1RateBp = 1000;
    std::int32_t level2RateBp = 300;
    std::int32_t maxClicksPerIpPerHour = 3;
    std::int32_t maxClicksPerDevicePerDay = 5;
    std::int32_t minInviterAgeHours = 24;
    std::int32_t inviterActiveWithinDays = 30;
    std::int32_t tokenTtlHours = 24;
    std::int32_t clockLeewaySeconds = 60;

    friend bool operator==(const Program &, const Program &) = default;
};

/// The first thing wrong with `program`, naming the field and its allowed range;
/// nullopt when it is valid.
std::optional<std::string> validate(const Program &program);

/// `total` × `rateBp` / 10,000, rounded half away from zero.
Money commissionFor(Money total, std::int32_t rateBp);

} // namespace flywheel::referral
