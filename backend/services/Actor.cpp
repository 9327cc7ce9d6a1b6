#include "services/Actor.h"

#include "auth/Callers.h"
#include "domain/auth/Role.h"

#include <grpcpp/server_context.h>

#include <memory>
#include <string>
#include <vector>

namespace flywheel {

audit::Actor actorOf(const auth::Callers *callers, const grpc::ServerContextBase &context)
{
    const auth::Caller caller = auth::Callers::of(callers, context);
    return audit::Actor{caller.name, std::string(auth::roleName(caller.role)), context.peer()};
}

bool isStorefront(const grpc::ServerContextBase &context, const audit::Actor &actor)
{
    if (actor.role == "storefront")
        return true;
    const auto &metadata = context.client_metadata();
    const auto found = metadata.find(kTrafficHeader);
    return found != metadata.end() && found->second == "simulated";
}

} // namespace flywheel
