#pragma once

#include "services/ServiceContext.h"

#include "flywheel/v1/inventory.grpc.pb.h"

namespace flywheel {

/// Stock per SKU from the inventory ledger, its recent events, and goods in.
class InventoryServiceImpl final : public v1::InventoryService::CallbackService {
public:
    explicit InventoryServiceImpl(ServiceContext &context) : m_context(context) {}
    grpc::ServerUnaryReactor *ListStock(grpc::CallbackServerContext *context, const v1::ListStockRequest *request,
                                        v1::ListStockResponse *response) override;
    grpc::ServerUnaryReactor *ListInventoryEvents(grpc::CallbackServerContext *context,
                                                  const v1::ListInventoryEventsRequest *request,
                                                  v1::ListInventoryEventsResponse *response) override;
    grpc::ServerUnaryReactor *ReceiveStock(grpc::CallbackServerContext *context, const v1::ReceiveStockRequest *request,
                                           v1::StockLevel *response) override;

    static constexpr std::int64_t kMaxReceipt = 1000000;
    static constexpr int kMaxEvents = 500;

private:
    ServiceContext &m_context;
};

} // namespace flywheel
