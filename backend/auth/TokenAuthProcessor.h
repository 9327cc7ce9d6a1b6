#pragma once

#include "domain/Clock.h"
#include "domain/auth/RoleTable.h"
#include "domain/auth/TokenRegistry.h"

#include <grpcpp/security/auth_metadata_processor.h>

#include <functional>
#include <memory>

namespace flywheel::auth {

/// Checks every call on a listener before any handler runs: the method (":path")
/// must be in the RoleTable (else PERMISSION_DENIED), the call must carry
/// `authorization: Bearer <token>` with a token that is known, not expired and not
/// revoked (else UNAUTHENTICATED, saying which), and the token's role must be
/// allowed (else PERMISSION_DENIED naming the required role and the caller's).
/// It marks nothing on the call: gRPC shares the AuthContext among a connection's
/// calls, so a handler finds the call's own caller with Callers::of.
class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
public:
    using Tokens = std::function<std::shared_ptr<const TokenRegistry>()>;
    TokenAuthProcessor(Tokens tokens, const Clock &clock, const RoleTable &table = RoleTable::instance());

    /// Lookups in memory only: run on gRPC's own thread.
    bool IsBlocking() const override { return false; }
    grpc::Status Process(const InputMetadata &metadata, grpc::AuthContext *context, OutputMetadata *consumed,
                         OutputMetadata *response) override;

private:
    Tokens m_tokens;
    const Clock &m_clock;
    const RoleTable &m_table;
};

} // namespace flywheel::auth
