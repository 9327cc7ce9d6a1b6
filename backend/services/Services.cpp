#include "services/Services.h"

#include "pricing/PricingManager.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <algorithm>

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
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *CatalogServiceImpl::ListProducts(grpc::CallbackServerContext *context,
                                                           const v1::ListProductsRequest *request,
                                                           v1::ListProductsResponse *response)
{
    for (const Product &product : m_context.catalog.products()) {
        if (request->category().empty() || product.category == request->category())
            convert::toProto(product, m_context.currency, response->add_products());
    }
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *CatalogServiceImpl::ListUsers(grpc::CallbackServerContext *context,
                                                        const v1::ListUsersRequest *request,
                                                        v1::ListUsersResponse *response)
{
    constexpr int kMaxPage = 10000;
    if (request->limit() < 0 || request->limit() > kMaxPage)
        return finished(context,
                        {grpc::StatusCode::INVALID_ARGUMENT, "limit must be between 0 and " + std::to_string(kMaxPage) +
                                                                 ", got " + std::to_string(request->limit())});
    const std::size_t limit = request->limit() == 0 ? 1000 : static_cast<std::size_t>(request->limit());
    const std::vector<User> &users = m_context.users.users(); // sorted by uid
    auto it = std::upper_bound(users.begin(), users.end(), request->after_uid(),
                               [](std::int64_t uid, const User &u) { return uid < u.uid; });
    for (std::size_t n = 0; it != users.end() && n < limit; ++it, ++n)
        convert::toProto(*it, response->add_users());
    response->set_total(static_cast<std::int64_t>(users.size()));
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *OrderServiceImpl::CreateOrder(grpc::CallbackServerContext *context,
                                                        const v1::CreateOrderRequest *request, v1::Order *response)
{
    Result<Order> priced =
        priceOrder(convert::fromProto(*request), m_context.catalog, m_context.users, m_context.clock.now());
    if (!priced.ok())
        return finished(context, convert::toStatus(priced.error()));
    Order order = std::move(priced).value();
    m_context.pricing.price(order, order.createdAt);
    // Per-user rule uses to give back if the order is not stored.
    Order uses;
    uses.uid = order.uid;
    uses.adjustments = order.adjustments;

    // Answered from the writer thread once the order's transaction has committed.
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    m_context.writer.submit(std::move(order), [this, reactor, response, uses](Result<Order> stored) {
        if (!stored.ok()) {
            m_context.pricing.forget(uses);
            reactor->Finish(convert::toStatus(stored.error()));
            return;
        }
        convert::toProto(stored.value(), m_context.currency, response);
        reactor->Finish(grpc::Status::OK);
    });
    return reactor;
}

} // namespace flywheel
