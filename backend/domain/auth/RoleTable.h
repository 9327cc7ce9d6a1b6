#pragma once

#include "domain/auth/Access.h"

#include <map>
#include <string>
#include <string_view>

namespace flywheel::auth {

/// The one table that says which role every RPC of every service needs, by full
/// method name ("/flywheel.v1.OrderService/CreateOrder"). A method missing from it is
/// refused, never allowed by default; a test walks the services' descriptors and fails
/// when one is missing.
class RoleTable {
public:
    static const RoleTable &instance();

    /// The access of `method`, or null when the table does not name it.
    const Access *find(std::string_view method) const;
    const std::map<std::string, Access, std::less<>> &methods() const { return m_methods; }

private:
    RoleTable();
    std::map<std::string, Access, std::less<>> m_methods;
};

} // namespace flywheel::auth
