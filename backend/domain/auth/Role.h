#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flywheel::auth {

/// What a token may do. Viewer < Operator < Admin on the admin API (the console's);
/// Storefront stands apart and reaches only the storefront API (orders, events, invites).
enum class Role { Storefront, Viewer, Operator, Admin };

/// "storefront", "viewer", "operator", "admin".
std::string_view roleName(Role role);
/// The role named exactly so (lower case), or nothing.
std::optional<Role> parseRole(std::string_view name);
/// "storefront, viewer, operator or admin", for messages.
std::string roleChoices();

} // namespace flywheel::auth
