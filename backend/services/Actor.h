#pragma once

#include "domain/audit/Entry.h"

namespace grpc {
class ServerContextBase;
}

namespace flywheel {

/// Who is calling, for the audit log: the token's name and role as the server's
/// authentication put them in the call's AuthContext (properties
/// "flywheel.token_name" and "flywheel.role"), and the peer address. Without them
/// (no token authentication configured, or the in-process channel) the caller is
/// "local" with role "admin".
audit::Actor actorOf(const grpc::ServerContextBase &context);

} // namespace flywheel
