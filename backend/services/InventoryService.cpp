#include "services/InventoryService.h"

#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <string>

namespace flywheel {

namespace {

/// A stock level as the audit log shows it.
std::string levelJson(const inventory::StockLevel &level)
{
    return "{\"received\":" + std::to_string(level.received) + ",\"available\":" + std::to_string(level.available) +
           ",\"reserved\":" + std::to_string(level.reserved) + ",\"sold\":" + std::to_string(level.sold) + "}";
}

} // namespace

grpc::ServerUnaryReactor *InventoryServiceImpl::ListStock(grpc::CallbackServerContext *context,
                                                          const v1::ListStockRequest *request,
                                                          v1::ListStockResponse *response)
{
    bool categoryKnown = request->category().empty();
    for (const Product &product : m_context.catalog.products()) {
        if (!request->category().empty() && product.category != request->category())
            continue;
        categoryKnown = true;
        convert::toProto(product, m_context.ledger.level(product.sku), m_context.lowStockThreshold,
                         response->add_items());
    }
    if (!categoryKnown)
        return finished(context,
                        {grpc::StatusCode::NOT_FOUND, "there is no product category \"" + request->category() + "\""});
    response->set_low_stock_threshold(m_context.lowStockThreshold);
    response->set_reservation_ttl_seconds(
        std::chrono::duration_cast<std::chrono::seconds>(m_context.book.reservationTtl()).count());
    response->set_open_reservations(static_cast<std::int64_t>(m_context.ledger.openReservations()));
    convert::toProto(m_context.clock.now(), response->mutable_as_of());
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *InventoryServiceImpl::ListInventoryEvents(grpc::CallbackServerContext *context,
                                                                    const v1::ListInventoryEventsRequest *request,
                                                                    v1::ListInventoryEventsResponse *response)
{
    if (request->sku().empty())
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "sku is required"});
    if (m_context.catalog.find(request->sku()) == nullptr)
        return finished(context, {grpc::StatusCode::NOT_FOUND, "there is no SKU \"" + request->sku() + "\""});
    if (request->limit() < 0 || request->limit() > kMaxEvents)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "limit must be between 0 and " +
                                                                          std::to_string(kMaxEvents) + ", got " +
                                                                          std::to_string(request->limit())});
    const std::size_t limit = request->limit() == 0 ? 50 : static_cast<std::size_t>(request->limit());
    for (const inventory::Event &e : m_context.ledger.recentEvents(request->sku(), limit))
        convert::toProto(e, response->add_events());
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *InventoryServiceImpl::ReceiveStock(grpc::CallbackServerContext *context,
                                                             const v1::ReceiveStockRequest *request,
                                                             v1::StockLevel *response)
{
    if (request->sku().empty())
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "sku is required"});
    const Product *product = m_context.catalog.find(request->sku());
    if (product == nullptr)
        return finished(context, {grpc::StatusCode::NOT_FOUND, "there is no SKU \"" + request->sku() + "\""});
    if (request->quantity() <= 0 || request->quantity() > kMaxReceipt)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "quantity must be between 1 and " +
                                                                          std::to_string(kMaxReceipt) + ", got " +
                                                                          std::to_string(request->quantity())});
    // The audit entry's before and after are the levels just before and after: other
    // orders may move "available" in between.
    audit::Entry change;
    change.actor = actorOf(m_context.callers, *context);
    change.area = "inventory";
    change.object = product->sku;
    change.before = levelJson(m_context.ledger.level(product->sku));
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    bool queued = true;
    m_context.book.receive(
        product->sku, request->quantity(), m_context.clock.now(), [&](const std::vector<inventory::Event> &events) {
            JournalEntry entry;
            entry.events = events;
            queued = m_context.writer.submit(
                std::move(entry),
                [this, reactor, response, product, quantity = request->quantity(),
                 change = std::move(change)](const JournalEntry &, const std::optional<Error> &error) mutable {
                    // Not stored: the receipt stays in memory until a restart, like a
                    // transition whose commit failed.
                    if (error) {
                        reactor->Finish(convert::toStatus(*error));
                        return;
                    }
                    const inventory::StockLevel level = m_context.ledger.level(product->sku);
                    change.after = "{\"quantity\":" + std::to_string(quantity) + ",\"level\":" + levelJson(level) + "}";
                    if (grpc::Status recorded = m_context.audit.record(std::move(change)); !recorded.ok()) {
                        reactor->Finish(std::move(recorded));
                        return;
                    }
                    convert::toProto(*product, level, m_context.lowStockThreshold, response);
                    reactor->Finish(grpc::Status::OK);
                });
        });
    if (!queued)
        reactor->Finish({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down; the receipt was not stored"});
    return reactor;
}

} // namespace flywheel
