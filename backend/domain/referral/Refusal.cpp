#include "domain/referral/Refusal.h"

namespace flywheel::referral {

const char *refusalName(Refusal refusal)
{
    switch (refusal) {
    case Refusal::IpLimit:
        return "ip_limit";
    case Refusal::DeviceLimit:
        return "device_limit";
    case Refusal::InviterTooNew:
        return "inviter_too_new";
    case Refusal::InviterInactive:
        return "inviter_inactive";
    case Refusal::SelfInvite:
        return "self_invite";
    case Refusal::Cycle:
        return "cycle";
    case Refusal::InvalidToken:
        return "invalid_token";
    case Refusal::ReplayedToken:
        return "replayed_token";
    case Refusal::ExpiredToken:
        return "expired_token";
    }
    return "unknown";
}

} // namespace flywheel::referral
