#include "server/Backend.h"

#include "server/BackendWiring.h"
#include "server/PaymentsPart.h"

namespace flywheel {

std::unique_ptr<Backend> Backend::start(const BackendOptions &options)
{
    auto wiring = std::make_unique<BackendWiring>(options);
    wiring->start();
    return std::unique_ptr<Backend>(new Backend(std::move(wiring)));
}

Backend::Backend(std::unique_ptr<BackendWiring> wiring) : m_wiring(std::move(wiring))
{}

Backend::~Backend()
{
    shutdown();
}

std::shared_ptr<grpc::Channel> Backend::inProcessChannel()
{
    return m_wiring->inProcessChannel();
}

std::shared_ptr<grpc::Channel> Backend::inProcessChannel(
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors)
{
    return m_wiring->inProcessChannel(std::move(interceptors));
}

int Backend::adminPort() const
{
    return m_wiring->adminPort();
}

int Backend::paymentCallbackPort() const
{
    return m_wiring->payments().callbackPort();
}

int Backend::metricsPort() const
{
    return m_wiring->metricsPort();
}

std::string Backend::metricsUrl() const
{
    return m_wiring->metricsUrl();
}

payments::PaymentManager &Backend::payments()
{
    return m_wiring->payments().manager();
}

int Backend::port() const
{
    return m_wiring->port();
}

std::string Backend::databasePath() const
{
    return m_wiring->databasePath();
}

bool Backend::waitForStoredKeys()
{
    return m_wiring->waitForStoredKeys();
}

void Backend::housekeep()
{
    m_wiring->housekeepOnce(true);
}

void Backend::shutdown(std::chrono::milliseconds grace)
{
    m_wiring->stop(grace);
}

} // namespace flywheel
