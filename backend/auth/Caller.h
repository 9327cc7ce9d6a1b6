#pragma once

#include "domain/auth/Role.h"

#include <string>
#include <string_view>

namespace flywheel::auth {

/// Who made a call: the name and role of the token it carried, or the local
/// operator (name "local", role admin) for calls that need no token: the in-process
/// channel (demo mode, the console's embedded backend) and a loopback daemon started
/// without a tokens file. Callers::of finds it for a call.
struct Caller {
    static constexpr std::string_view kLocalName = "local";

    std::string name;
    Role role = Role::Admin;

    static Caller local() { return Caller{std::string(kLocalName), Role::Admin}; }
};

} // namespace flywheel::auth
