#include "client/PricingClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

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
    // The page refreshes every few seconds: that is the retry.
    startUnaryCall<Service>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                            std::chrono::milliseconds(kDeadlineMs), 3);
}

void PricingClient::getStatus(Done<v1::PricingStatus> done)
{
    call<v1::PricingService>(v1::GetPricingStatusRequest(), FLYWHEEL_ASYNC_METHOD(GetPricingStatus), std::move(done));
}

void PricingClient::getRuleSet(qint64 version, Done<v1::RuleSetVersion> done)
{
    v1::GetRuleSetRequest request;
    request.set_version(version);
    call<v1::PricingService>(request, FLYWHEEL_ASYNC_METHOD(GetRuleSet), std::move(done));
}

void PricingClient::listVersions(int limit, Done<v1::ListRuleSetVersionsResponse> done)
{
    v1::ListRuleSetVersionsRequest request;
    request.set_limit(limit);
    call<v1::PricingService>(request, FLYWHEEL_ASYNC_METHOD(ListRuleSetVersions), std::move(done));
}

void PricingClient::saveRuleSet(const v1::SaveRuleSetRequest &request, Done<v1::RuleSetVersion> done)
{
    call<v1::PricingService>(request, FLYWHEEL_ASYNC_METHOD(SaveRuleSet), std::move(done));
}

void PricingClient::rollback(qint64 toVersion, const QString &reason, Done<v1::RuleSetVersion> done)
{
    v1::RollbackRuleSetRequest request;
    request.set_to_version(toVersion);
    request.set_reason(reason.toStdString());
    call<v1::PricingService>(request, FLYWHEEL_ASYNC_METHOD(RollbackRuleSet), std::move(done));
}

void PricingClient::quoteCart(const v1::QuoteCartRequest &request, Done<v1::QuoteCartResponse> done)
{
    call<v1::PricingService>(request, FLYWHEEL_ASYNC_METHOD(QuoteCart), std::move(done));
}

void PricingClient::validateRuleSet(const v1::ValidateRuleSetRequest &request, Done<v1::ValidateRuleSetResponse> done)
{
    call<v1::PricingService>(request, FLYWHEEL_ASYNC_METHOD(ValidateRuleSet), std::move(done));
}

void PricingClient::listProducts(Done<v1::ListProductsResponse> done)
{
    call<v1::CatalogService>(v1::ListProductsRequest(), FLYWHEEL_ASYNC_METHOD(ListProducts), std::move(done));
}

void PricingClient::getSegmentSet(Done<v1::SegmentSetVersion> done)
{
    call<v1::SegmentService>(v1::GetSegmentSetRequest(), FLYWHEEL_ASYNC_METHOD(GetSegmentSet), std::move(done));
}

} // namespace flywheel::ui
