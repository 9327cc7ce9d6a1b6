#pragma once

#include "pricing/PricingManager.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/pricing.grpc.pb.h"

namespace flywheel {

/// The console's pricing API: rule set versions, edits, rollback and "try a cart".
class PricingServiceImpl final : public v1::PricingService::CallbackService {
public:
    PricingServiceImpl(ServiceContext &context, pricing::PricingManager &pricing)
        : m_context(context), m_pricing(pricing)
    {}

    grpc::ServerUnaryReactor *GetRuleSet(grpc::CallbackServerContext *context, const v1::GetRuleSetRequest *request,
                                         v1::RuleSetVersion *response) override;
    grpc::ServerUnaryReactor *ListRuleSetVersions(grpc::CallbackServerContext *context,
                                                  const v1::ListRuleSetVersionsRequest *request,
                                                  v1::ListRuleSetVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveRuleSet(grpc::CallbackServerContext *context, const v1::SaveRuleSetRequest *request,
                                          v1::RuleSetVersion *response) override;
    grpc::ServerUnaryReactor *RollbackRuleSet(grpc::CallbackServerContext *context,
                                              const v1::RollbackRuleSetRequest *request,
                                              v1::RuleSetVersion *response) override;
    grpc::ServerUnaryReactor *QuoteCart(grpc::CallbackServerContext *context, const v1::QuoteCartRequest *request,
                                        v1::QuoteCartResponse *response) override;
    grpc::ServerUnaryReactor *ValidateRuleSet(grpc::CallbackServerContext *context,
                                              const v1::ValidateRuleSetRequest *request,
                                              v1::ValidateRuleSetResponse *response) override;
    grpc::ServerUnaryReactor *GetPricingStatus(grpc::CallbackServerContext *context,
                                               const v1::GetPricingStatusRequest *request,
                                               v1::PricingStatus *response) override;

private:
    ServiceContext &m_context;
    pricing::PricingManager &m_pricing;
};

} // namespace flywheel
