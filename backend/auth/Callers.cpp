#include "auth/Callers.h"

#include <grpcpp/server_context.h>

#include <algorithm>
#include <string_view>

namespace flywheel::auth {

Caller Callers::of(const grpc::ServerContextBase &context) const
{
    const auto &metadata = context.client_metadata();
    const auto header = metadata.find("authorization");
    if (header == metadata.end())
        return Caller::local();
    constexpr std::string_view kBearer = "Bearer ";
    const std::string_view value(header->second.data(), header->second.size());
    const std::string_view token = value.substr(std::min(value.size(), kBearer.size()));
    const std::shared_ptr<const TokenRegistry> tokens = m_tokens();
    const TokenCheck check = tokens->check(token, m_clock.now());
    // The token was accepted before the handler ran; revoked or expired since, it
    // still names who made this call.
    if (check.entry != nullptr)
        return Caller{check.entry->name, check.entry->role};
    return Caller{"(a token no longer in the tokens file)", Role::Viewer};
}

} // namespace flywheel::auth
