#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

namespace flywheel {

/// Answers a unary call at once with `status`; for handlers that need no waiting.
inline grpc::ServerUnaryReactor *finished(grpc::CallbackServerContext *context, grpc::Status status)
{
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    reactor->Finish(std::move(status));
    return reactor;
}

} // namespace flywheel
