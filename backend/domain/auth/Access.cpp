#include "domain/auth/Access.h"

namespace flywheel::auth {

std::string apiName(Api api)
{
    return api == Api::Storefront ? "storefront API" : "admin API";
}

bool Access::allows(Role role) const
{
    if (open)
        return true;
    if (role == Role::Storefront)
        return storefront;
    return lowest && role >= *lowest;
}

std::string Access::describe() const
{
    if (open)
        return "no token";
    std::string text;
    if (storefront)
        text = "storefront";
    if (lowest) {
        if (!text.empty())
            text += " or ";
        text += roleName(*lowest);
        if (*lowest != Role::Admin)
            text += " (or higher)";
    }
    return text.empty() ? std::string("no role at all") : text;
}

} // namespace flywheel::auth
