#pragma once

#include "domain/auth/Role.h"

#include <optional>
#include <string>

namespace flywheel::auth {

/// The two APIs a flywheeld serves: the storefront API (what a shop's servers call
/// for their customers) and the admin API (everything the console uses). They may be
/// served on listeners of their own (storefront_listen, admin_listen).
enum class Api { Storefront, Admin };

/// "storefront API" or "admin API".
std::string apiName(Api api);

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
    /// Whether the method belongs to `api`: open methods to both, methods storefront
    /// tokens may call to the storefront API, methods an admin-API role may call to
    /// the admin API (a method both sides use, such as GetOrder, is in both).
    bool partOf(Api api) const { return open || (api == Api::Storefront ? storefront : lowest.has_value()); }
    /// "storefront or operator", "viewer", "no token"...
    std::string describe() const;
};

} // namespace flywheel::auth
