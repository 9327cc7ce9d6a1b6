#include "services/Actor.h"

#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <string>
#include <vector>

namespace flywheel {

namespace {

std::string property(const grpc::AuthContext *auth, const char *name)
{
    if (auth == nullptr)
        return {};
    const std::vector<grpc::string_ref> values = auth->FindPropertyValues(name);
    return values.empty() ? std::string() : std::string(values.front().data(), values.front().size());
}

} // namespace

audit::Actor actorOf(const grpc::ServerContextBase &context)
{
    const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
    audit::Actor actor{property(auth.get(), "flywheel.token_name"), property(auth.get(), "flywheel.role"),
                       context.peer()};
    if (actor.name.empty()) {
        actor.name = "local";
        actor.role = "admin";
    } else if (actor.role.empty()) {
        actor.role = "unknown";
    }
    return actor;
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
