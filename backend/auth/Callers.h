#pragma once

#include "auth/Caller.h"
#include "domain/Clock.h"
#include "domain/auth/TokenRegistry.h"

#include <functional>
#include <memory>

namespace grpc {
class ServerContextBase;
}

namespace flywheel::auth {

/// Finds the caller of a call from the call's own `authorization` metadata (which
/// TokenAuthProcessor checked before the handler ran and leaves in place). A call
/// without one came through the in-process channel: the local operator.
class Callers {
public:
    using Tokens = std::function<std::shared_ptr<const TokenRegistry>()>;
    Callers(Tokens tokens, const Clock &clock) : m_tokens(std::move(tokens)), m_clock(clock) {}

    /// With no Callers (no tokens file) every caller is the local operator.
    static Caller of(const Callers *callers, const grpc::ServerContextBase &context)
    {
        return callers ? callers->of(context) : Caller::local();
    }
    Caller of(const grpc::ServerContextBase &context) const;

private:
    Tokens m_tokens;
    const Clock &m_clock;
};

} // namespace flywheel::auth
