#pragma once

#include "services/ArenaMessages.h"
#include "services/ServiceContext.h"

#include <optional>

#include "flywheel/v1/orders.grpc.pb.h"

namespace flywheel {

/// Orders: create (idempotent per buyer and key), pay (idempotent), cancel, refund
/// and look up. The work is done by the order book, the idempotency table and the
/// order writer; replies to writes are sent once the order writer has committed.
class OrderServiceImpl final : public v1::OrderService::CallbackService {
public:
    explicit OrderServiceImpl(ServiceContext &context) : m_context(context)
    {
        SetMessageAllocatorFor_CreateOrder(&m_createMessages);
        SetMessageAllocatorFor_PayOrder(&m_payMessages);
    }
    grpc::ServerUnaryReactor *CreateOrder(grpc::CallbackServerContext *context, const v1::CreateOrderRequest *request,
                                          v1::Order *response) override;
    grpc::ServerUnaryReactor *PayOrder(grpc::CallbackServerContext *context, const v1::PayOrderRequest *request,
                                       v1::Order *response) override;
    grpc::ServerUnaryReactor *CancelOrder(grpc::CallbackServerContext *context, const v1::CancelOrderRequest *request,
                                          v1::Order *response) override;
    grpc::ServerUnaryReactor *RefundOrder(grpc::CallbackServerContext *context, const v1::RefundOrderRequest *request,
                                          v1::Order *response) override;
    grpc::ServerUnaryReactor *GetOrder(grpc::CallbackServerContext *context, const v1::GetOrderRequest *request,
                                       v1::Order *response) override;

private:
    enum class Change { Pay, Cancel, Refund };
    /// Why a change must go through the payment channels instead: PayOrder once a
    /// real channel is enabled, RefundOrder of an order a channel took the money for.
    std::optional<Error> paymentChannelRefusal(Change change, const Order &order) const;
    /// Pay, cancel or refund; `key` is empty when the call has none.
    grpc::ServerUnaryReactor *transition(grpc::CallbackServerContext *context, Change change, std::int64_t orderId,
                                         const std::string &key, v1::Order *response);
    /// Admits an idempotent request of user `uid` (the buyer) with `key` ("create:" or
    /// "pay:" and the client's key). True when the caller executes the request and
    /// then completes the key; otherwise the call is answered, now or by a waiter: a
    /// retry (from the in-memory window, or from the database for an older key),
    /// a conflict, or a storage error.
    bool admit(grpc::ServerUnaryReactor *reactor, std::int64_t uid, const std::string &key,
               const std::string &clientKey, const std::string &canonical, const orders::RequestDigest &digest, TimePoint now,
               v1::Order *response);
    /// Answers with the stored order `orderId` (a replayed idempotent request).
    grpc::ServerUnaryReactor *replay(grpc::ServerUnaryReactor *reactor, std::int64_t orderId, v1::Order *response);
    void respond(grpc::ServerUnaryReactor *reactor, const orders::IdempotencyTable::Outcome &outcome, v1::Order *response);

    ServiceContext &m_context;
    ArenaMessages<v1::CreateOrderRequest, v1::Order> m_createMessages;
    ArenaMessages<v1::PayOrderRequest, v1::Order> m_payMessages;
};

} // namespace flywheel
