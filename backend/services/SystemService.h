#pragma once

#include "services/ServiceContext.h"

#include "flywheel/v1/system.grpc.pb.h"

namespace flywheel {

/// Ping and the server's description. Thin, like every service: it translates
/// between protobuf and the domain and maps domain errors to status codes.
class SystemServiceImpl final : public v1::SystemService::CallbackService {
public:
    explicit SystemServiceImpl(ServiceContext &context) : m_context(context) {}
    grpc::ServerUnaryReactor *Ping(grpc::CallbackServerContext *context, const v1::PingRequest *request,
                                   v1::PingResponse *response) override;
    grpc::ServerUnaryReactor *GetServerInfo(grpc::CallbackServerContext *context,
                                            const v1::GetServerInfoRequest *request, v1::ServerInfo *response) override;
    grpc::ServerUnaryReactor *WhoAmI(grpc::CallbackServerContext *context, const v1::WhoAmIRequest *request,
                                     v1::WhoAmIResponse *response) override;

private:
    ServiceContext &m_context;
};

} // namespace flywheel
