#pragma once

#include "domain/audit/Entry.h"

namespace grpc {
class ServerContextBase;
}

namespace flywheel::auth {
class Callers;
}

namespace flywheel {

/// Who is calling, for the audit log: the name and role of the token the call
/// carries (auth::Callers::of, from the call's own metadata: the AuthContext is
/// per connection), and the peer address. Without a tokens file (`callers` null)
/// or on the in-process channel the caller is "local" with role "admin".
audit::Actor actorOf(const auth::Callers *callers, const grpc::ServerContextBase &context);

/// The metadata the built-in traffic simulator sends with its storefront calls
/// (value "simulated"), so that its buyers' cancellations stay out of the audit log.
inline constexpr const char *kTrafficHeader = "flywheel-traffic";

/// True for a storefront caller: role "storefront", or the simulator's buyers
/// (kTrafficHeader). Their order changes are the storefront's, not an operator's.
/// The header can be sent by anyone; it only decides whether a cancellation of an
/// unpaid order, which moves no money, is logged.
bool isStorefront(const grpc::ServerContextBase &context, const audit::Actor &actor);

} // namespace flywheel
