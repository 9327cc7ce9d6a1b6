#pragma once

#include "domain/auth/RoleTable.h"
#include "domain/auth/TokenRegistry.h"
#include "domain/Clock.h"

#include <grpcpp/security/auth_metadata_processor.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace flywheel::auth {

/// Checks every call on a listener before any handler runs: the method (":path")
/// must be in the RoleTable (else PERMISSION_DENIED), the call must carry
/// `authorization: Bearer <token>` with a token that is known, not expired and not
/// revoked (else UNAUTHENTICATED, saying which), and the token's role must be
/// allowed (else PERMISSION_DENIED naming the required role and the caller's).
///
/// A listener that serves one API only (storefront_listen and admin_listen apart)
/// also refuses the methods of the other API with UNIMPLEMENTED, naming where they
/// are served (after the token check: a caller without a good token learns nothing
/// of the other listener); such a listener without a tokens file checks only that.
/// It marks nothing on the call: gRPC shares the AuthContext among a connection's
/// calls, so a handler finds the call's own caller with Callers::of.
class TokenAuthProcessor final : public grpc::AuthMetadataProcessor {
public:
    using Tokens = std::function<std::shared_ptr<const TokenRegistry>()>;
    /// The one API a listener serves, and where the other is served (for messages).
    struct OnlyApi {
        Api api;
        std::string otherAddress;
    };
    /// `tokens` empty: no token checks (a loopback listener without a tokens file).
    TokenAuthProcessor(Tokens tokens, const Clock &clock, std::optional<OnlyApi> only = std::nullopt,
                       const RoleTable &table = RoleTable::instance());

    /// Lookups in memory only: run on gRPC's own thread.
    bool IsBlocking() const override { return false; }
    grpc::Status Process(const InputMetadata &metadata, grpc::AuthContext *context, OutputMetadata *consumed,
                         OutputMetadata *response) override;

private:
    Tokens m_tokens;
    const Clock &m_clock;
    std::optional<OnlyApi> m_only;
    const RoleTable &m_table;
};

} // namespace flywheel::auth
