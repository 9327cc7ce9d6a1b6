#include "domain/auth/Role.h"

#include <array>

namespace flywheel::auth {

namespace {
constexpr std::array<Role, 4> kRoles{Role::Storefront, Role::Viewer, Role::Operator, Role::Admin};
}

std::string_view roleName(Role role)
{
    switch (role) {
    case Role::Storefront:
        return "storefront";
    case Role::Viewer:
        return "viewer";
    case Role::Operator:
        return "operator";
    case Role::Admin:
        return "admin";
    }
    return "unknown";
}

std::optional<Role> parseRole(std::string_view name)
{
    for (const Role role : kRoles) {
        if (roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

std::string roleChoices()
{
    return "storefront, viewer, operator or admin";
}

} // namespace flywheel::auth
