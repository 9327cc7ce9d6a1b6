#include "client/InventoryClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/inventory.grpc.pb.h"

#include <chrono>

namespace flywheel::ui {

InventoryClient::InventoryClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<InventoryClient>>(this))
{}

InventoryClient::~InventoryClient()
{
    m_bridge->detach();
}

bool InventoryClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void InventoryClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::InventoryService>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                                         std::chrono::milliseconds(kDeadlineMs), kRetrySeconds);
}

void InventoryClient::listStock(Done<v1::ListStockResponse> done)
{
    call(v1::ListStockRequest(), FLYWHEEL_ASYNC_METHOD(ListStock), std::move(done));
}

void InventoryClient::listEvents(const QString &sku, int limit, Done<v1::ListInventoryEventsResponse> done)
{
    v1::ListInventoryEventsRequest request;
    request.set_sku(sku.toStdString());
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListInventoryEvents), std::move(done));
}

void InventoryClient::receiveStock(const QString &sku, qint64 quantity, Done<v1::StockLevel> done)
{
    v1::ReceiveStockRequest request;
    request.set_sku(sku.toStdString());
    request.set_quantity(quantity);
    call(request, FLYWHEEL_ASYNC_METHOD(ReceiveStock), std::move(done));
}

} // namespace flywheel::ui
