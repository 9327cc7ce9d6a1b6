#pragma once

#include "domain/auth/Role.h"

#include <optional>
#include <string>

namespace flywheel::auth {

/// Who may call one RPC: anyone (no token), storefront tokens, and admin-API tokens
/// from a lowest role up (viewer < operator < admin).
struct Access {
    /// No token needed (health checking).
    bool open = false;
    /// Storefront tokens may call it.
    bool storefront = false;
    /// The lowest admin-API role that may call it; none: admin-API tokens may not.
    std::optional<Role> lowest;

    bool allows(Role role) const;
    /// "storefront or operator", "viewer", "no token"...
    std::string describe() const;
};

} // namespace flywheel::auth
