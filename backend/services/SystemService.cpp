#include "services/SystemService.h"

#include "auth/Callers.h"
#include "services/Convert.h"
#include "services/Reactors.h"

namespace flywheel {

grpc::ServerUnaryReactor *SystemServiceImpl::Ping(grpc::CallbackServerContext *context, const v1::PingRequest *,
                                                  v1::PingResponse *)
{
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *SystemServiceImpl::GetServerInfo(grpc::CallbackServerContext *context,
                                                           const v1::GetServerInfoRequest *, v1::ServerInfo *response)
{
    response->set_version(FLYWHEEL_VERSION);
    response->set_mode(m_context.mode);
    response->set_currency(m_context.currency);
    convert::toProto(m_context.clock.now(), response->mutable_server_time());
    response->set_orders_total(m_context.ordersTotal.load());
    response->set_simulated_orders_per_second(m_context.simulatedRate.load());
    for (const std::string &warning : m_context.warnings)
        response->add_warnings(warning);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *SystemServiceImpl::WhoAmI(grpc::CallbackServerContext *context, const v1::WhoAmIRequest *,
                                                    v1::WhoAmIResponse *response)
{
    const auth::Caller caller = auth::Callers::of(m_context.callers, *context);
    response->set_name(caller.name);
    response->set_role(std::string(auth::roleName(caller.role)));
    return finished(context, grpc::Status::OK);
}

} // namespace flywheel
