#pragma once

#include <cstddef>

namespace flywheel::referral {

/// Why an invite click or registration was refused; also the keys of the refusal
/// counts ("ip_limit", ...). See docs/referral.md.
enum class Refusal {
    IpLimit,
    DeviceLimit,
    InviterTooNew,
    InviterInactive,
    SelfInvite,
    Cycle,
    InvalidToken,
    ReplayedToken,
    ExpiredToken,
};
const char *refusalName(Refusal refusal);
constexpr std::size_t kRefusalKinds = 9;

} // namespace flywheel::referral
