#include "client/PricingClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <QMetaObject>

#include <chrono>

namespace flywheel::ui {

PricingClient::PricingClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<PricingClient>>(this))
{}

PricingClient::~PricingClient()
{
    m_bridge->detach();
}

bool PricingClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Service, typename Request, typename Response, typename Start>
void PricingClient::call(const Request &request, Start start, Done<Response> done)
{
    const auto channel = m_connection->channel();
    if (!channel) {
        const grpc::Status status(grpc::StatusCode::UNAVAILABLE, tr("not connected yet").toStdString());
        QMetaObject::invokeMethod(
            this, [done, status] { done(status, Response()); }, Qt::QueuedConnection);
        return;
    }
    // Everything gRPC needs until the callback has run; the callback holds it.
    struct Call {
        std::unique_ptr<typename Service::Stub> stub;
        grpc::ClientContext context;
        Request request;
        Response response;
    };
    auto state = std::make_shared<Call>();
    state->stub = Service::NewStub(channel);
    state->request = request;
    state->context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(kDeadlineMs));
    start(state->stub->async(), &state->context, &state->request, &state->response,
          [state, bridge = m_bridge, done = std::move(done)](grpc::Status status) {
              bridge->post([state, status, done](PricingClient *client) {
                  client->report(status);
                  done(status, state->response);
              });
          });
}

void PricingClient::report(const grpc::Status &status)
{
    switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
        // The page refreshes every few seconds: that is the retry.
        m_connection->reportFailure(status, 3);
        break;
    default:
        // An answer, even a refusal, means the backend is there.
        m_connection->reportSuccess();
        break;
    }
}

void PricingClient::getStatus(Done<v1::PricingStatus> done)
{
    call<v1::PricingService>(
        v1::GetPricingStatusRequest(),
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->GetPricingStatus(context, request, response, std::move(callback));
        },
        std::move(done));
}

void PricingClient::getRuleSet(qint64 version, Done<v1::RuleSetVersion> done)
{
    v1::GetRuleSetRequest request;
    request.set_version(version);
    call<v1::PricingService>(
        request,
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->GetRuleSet(context, request, response, std::move(callback));
        },
        std::move(done));
}

void PricingClient::listVersions(int limit, Done<v1::ListRuleSetVersionsResponse> done)
{
    v1::ListRuleSetVersionsRequest request;
    request.set_limit(limit);
    call<v1::PricingService>(
        request,
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->ListRuleSetVersions(context, request, response, std::move(callback));
        },
        std::move(done));
}

void PricingClient::saveRuleSet(const v1::SaveRuleSetRequest &request, Done<v1::RuleSetVersion> done)
{
    call<v1::PricingService>(
        request,
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->SaveRuleSet(context, request, response, std::move(callback));
        },
        std::move(done));
}

void PricingClient::rollback(qint64 toVersion, const QString &reason, Done<v1::RuleSetVersion> done)
{
    v1::RollbackRuleSetRequest request;
    request.set_to_version(toVersion);
    request.set_reason(reason.toStdString());
    call<v1::PricingService>(
        request,
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->RollbackRuleSet(context, request, response, std::move(callback));
        },
        std::move(done));
}

void PricingClient::quoteCart(const v1::QuoteCartRequest &request, Done<v1::QuoteCartResponse> done)
{
    call<v1::PricingService>(
        request,
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->QuoteCart(context, request, response, std::move(callback));
        },
        std::move(done));
}

void PricingClient::listProducts(Done<v1::ListProductsResponse> done)
{
    call<v1::CatalogService>(
        v1::ListProductsRequest(),
        [](auto *async, auto *context, auto *request, auto *response, auto callback) {
            async->ListProducts(context, request, response, std::move(callback));
        },
        std::move(done));
}

} // namespace flywheel::ui
