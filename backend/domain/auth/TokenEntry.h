#pragma once

#include "domain/Clock.h"
#include "domain/auth/Role.h"

#include <optional>
#include <string>

namespace flywheel::auth {

/// One token as the tokens file keeps it: never the token itself, only its digest.
struct TokenEntry {
    /// Who or what holds it ("console-alice", "storefront-eu"); unique among live tokens.
    std::string name;
    Role role = Role::Viewer;
    /// SHA-256 of the token, 64 lower-case hex digits.
    std::string sha256;
    TimePoint created;
    /// After this the token is refused as expired.
    std::optional<TimePoint> expires;
    /// When it was revoked; a revoked token is refused as revoked.
    std::optional<TimePoint> revoked;

    bool expiredAt(TimePoint now) const { return expires && now >= *expires; }
};

} // namespace flywheel::auth
