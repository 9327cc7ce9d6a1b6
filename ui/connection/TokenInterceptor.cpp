#include "connection/TokenInterceptor.h"

#include <grpcpp/support/interceptor.h>

namespace flywheel::ui {

namespace {

class TokenInterceptor final : public grpc::experimental::Interceptor {
public:
    explicit TokenInterceptor(std::shared_ptr<const std::string> header) : m_header(std::move(header)) {}

    void Intercept(grpc::experimental::InterceptorBatchMethods *methods) override
    {
        if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA))
            methods->GetSendInitialMetadata()->emplace("authorization", *m_header);
        methods->Proceed();
    }

private:
    const std::shared_ptr<const std::string> m_header;
};

} // namespace

TokenInterceptorFactory::TokenInterceptorFactory(std::string token)
    : m_header(std::make_shared<const std::string>("Bearer " + token))
{}

grpc::experimental::Interceptor *TokenInterceptorFactory::CreateClientInterceptor(grpc::experimental::ClientRpcInfo *)
{
    return new TokenInterceptor(m_header);
}

} // namespace flywheel::ui
