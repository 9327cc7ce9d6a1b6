#pragma once

#include <grpcpp/support/client_interceptor.h>

#include <memory>
#include <string>

namespace flywheel::ui {

/// The one place the console's token joins its calls: `authorization: Bearer <token>`
/// in the initial metadata of every call and stream on a channel made with this
/// factory. An interceptor rather than call credentials because gRPC silently drops
/// call credentials on an insecure channel, and the console offers both.
class TokenInterceptorFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
public:
    explicit TokenInterceptorFactory(std::string token);

    grpc::experimental::Interceptor *CreateClientInterceptor(grpc::experimental::ClientRpcInfo *info) override;

private:
    const std::shared_ptr<const std::string> m_header;
};

} // namespace flywheel::ui
