#include "services/OrderService.h"

#include "payments/PaymentManager.h"
#include "pricing/PricingManager.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"
#include "subsidy/SubsidyManager.h"

#include <algorithm>
#include <chrono>

namespace flywheel {

namespace {

/// The request as text, for its idempotency digest. Everything but the key. The
/// same text as before schema version 9, whose keys were stored with its 64-bit
/// FNV-1a fingerprint: a retry across the upgrade still matches.
std::string canonical(const v1::CreateOrderRequest &request)
{
    // An empty channel means "app": the same request either way.
    std::string text;
    text.reserve(64);
    text.append("create|").append(std::to_string(request.uid())).append("|");
    text.append(request.channel().empty() ? std::string_view("app") : std::string_view(request.channel()));
    for (const v1::OrderItem &item : request.items())
        text.append("|").append(item.sku()).append("*").append(std::to_string(item.quantity()));
    return text;
}

const Error kShuttingDown{ErrorCode::Unavailable, "the backend is shutting down; nothing was stored"};

/// Names no order: the key's order is not the caller's business.
Error conflict(const std::string &key)
{
    return {ErrorCode::FailedPrecondition,
            "idempotency_key \"" + key +
                "\" was already used for a different request; use a new key for a new request"};
}

orders::OrderState stateOf(const Order &order)
{
    return orders::OrderState{order.uid, order.total, order.status, order.expiresAt, order.paidAt, order.closedAt, {}};
}

} // namespace

std::optional<Error> OrderServiceImpl::paymentChannelRefusal(Change change, const Order &order) const
{
    if (change == Change::Pay) {
        // The shortcut stands in for payment only where no real channel takes money.
        for (const payments::ChannelSettings &c : m_context.payments->live()->config.channels) {
            if (c.enabled && c.endpoint != "sandbox")
                return Error{ErrorCode::FailedPrecondition,
                             "orders are paid through payment channels here (channel " + c.id +
                                 " is enabled): PayOrder is only the demo's and tests' shortcut; use "
                                 "PaymentService.CreatePayment"};
        }
        return std::nullopt;
    }
    if (change == Change::Refund) {
        for (const payments::Payment &p : m_context.payments->forOrder(order.id).first) {
            if (p.state == payments::PaymentState::Succeeded)
                return Error{ErrorCode::FailedPrecondition,
                             "order " + std::to_string(order.id) + " was paid through channel " + p.channelId +
                                 "; refund it through that channel (PaymentService.RefundOrderPayment) so the money "
                                 "goes back"};
        }
    }
    return std::nullopt;
}

void OrderServiceImpl::respond(grpc::ServerUnaryReactor *reactor, const orders::IdempotencyTable::Outcome &outcome,
                               v1::Order *response)
{
    if (!outcome.ok()) {
        reactor->Finish(convert::toStatus(outcome.error()));
        return;
    }
    convert::toProto(outcome.value(), m_context.currency, response);
    reactor->Finish(grpc::Status::OK);
}

bool OrderServiceImpl::admit(grpc::ServerUnaryReactor *reactor, std::int64_t uid, const std::string &key,
                             const std::string &clientKey, const std::string &canonical,
                             const orders::RequestDigest &digest, TimePoint now, v1::Order *response)
{
    orders::IdempotencyTable &table = m_context.idempotency;
    const orders::IdempotencyTable::Admit admitted = table.admit(
        uid, key, digest, now, [this, reactor, response](const auto &outcome) { respond(reactor, outcome, response); });
    switch (admitted.admission) {
    case orders::IdempotencyTable::Admission::Conflict:
        reactor->Finish(convert::toStatus(conflict(clientKey)));
        return false;
    case orders::IdempotencyTable::Admission::Attached:
        return false; // answered with the outcome of the request executing now
    case orders::IdempotencyTable::Admission::Completed:
        replay(reactor, admitted.orderId, response);
        return false;
    case orders::IdempotencyTable::Admission::Execute:
        return true; // a new key: neither in the window nor in the database
    case orders::IdempotencyTable::Admission::LookUp:
        break;
    }
    // Not in the window, and the database may hold it (a key older than the
    // window). Retries of the same request that arrive meanwhile wait on the table
    // for what this finds.
    const auto settle = [&](const Error &error) {
        table.complete(uid, key, error);
        reactor->Finish(convert::toStatus(error));
        return false;
    };
    try {
        const std::optional<StoredIdempotencyKey> stored =
            m_context.store.orders.findIdempotencyKey(uid, key, now - table.retention());
        if (!stored)
            return true;
        const bool same = stored->request ? *stored->request == digest
                                          : stored->legacyFingerprint == orders::legacyRequestFingerprint(canonical);
        if (!same)
            return settle(conflict(clientKey));
        std::optional<Order> order = m_context.store.orders.loadOrder(stored->orderId);
        if (!order)
            return settle(Error{ErrorCode::Internal,
                                "order " + std::to_string(stored->orderId) + " of this idempotency key is not stored"});
        table.complete(uid, key, *order);
        respond(reactor, std::move(*order), response);
        return false;
    } catch (const StorageError &e) {
        return settle(Error{ErrorCode::Unavailable, e.what()});
    }
}

grpc::ServerUnaryReactor *OrderServiceImpl::replay(grpc::ServerUnaryReactor *reactor, std::int64_t orderId,
                                                   v1::Order *response)
{
    try {
        std::optional<Order> stored = m_context.store.orders.loadOrder(orderId);
        if (!stored) {
            reactor->Finish({grpc::StatusCode::INTERNAL,
                             "order " + std::to_string(orderId) + " of this idempotency key is not stored"});
            return reactor;
        }
        respond(reactor, std::move(*stored), response);
    } catch (const StorageError &e) {
        reactor->Finish({grpc::StatusCode::UNAVAILABLE, e.what()});
    }
    return reactor;
}

grpc::ServerUnaryReactor *OrderServiceImpl::CreateOrder(grpc::CallbackServerContext *context,
                                                        const v1::CreateOrderRequest *request, v1::Order *response)
{
    if (const std::optional<Error> invalidKey = orders::checkIdempotencyKey(request->idempotency_key()))
        return finished(context, convert::toStatus(*invalidKey));
    const auto entered = std::chrono::steady_clock::now();
    const TimePoint now = m_context.clock.now();
    Result<Order> priced = priceOrder(convert::fromProto(*request), m_context.catalog, m_context.users, now);
    if (!priced.ok())
        return finished(context, convert::toStatus(priced.error()));

    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    // The key is the buyer's.
    const std::int64_t uid = request->uid();
    std::string key = "create:" + request->idempotency_key();
    const std::string text = canonical(*request);
    const orders::RequestDigest digest = orders::requestDigest(text);
    if (!admit(reactor, uid, key, request->idempotency_key(), text, digest, now, response))
        return reactor;

    Order order = std::move(priced).value();
    m_context.pricing.price(order, order.createdAt);
    order.id = m_context.nextOrderId.fetch_add(1);
    // A user's first order may get a subsidy (an adjustment of the order); it is
    // stored with the order, in its transaction, and given back if the order is not.
    subsidy::SubsidyManager *const subsidies = m_context.subsidies;
    subsidy::OrderSubsidy subsidy;
    if (subsidies != nullptr)
        subsidy = subsidies->decide(order, now, m_context.variants);

    // The answer is converted here, on a gRPC thread, so that the completion
    // thread, which answers orders one after another, only has to send it. The
    // book sets the same status and expiry when the reservation succeeds.
    order.status = OrderStatus::Created;
    order.expiresAt = now + m_context.book.reservationTtl();
    convert::toProto(order, m_context.currency, response);

    // Reserved and queued for storage in one step; answered from the writer's
    // completion thread once the order's transaction has committed.
    bool queued = true;
    Result<std::vector<inventory::Event>> opened =
        m_context.book.open(order, now, [&](const Order &created, const std::vector<inventory::Event> &events) {
            JournalEntry entry;
            entry.newOrder = created;
            entry.events = events;
            entry.idempotency = orders::IdempotencyTable::Record{uid, key, digest, created.id, now};
            entry.subsidyGrant = subsidy.grant;
            entry.subsidyDecision = std::move(subsidy.decision);
            // The stored entry has everything the completion needs: the order (and
            // its per-user rule uses, given back if it is not stored) and the key.
            queued = m_context.writer.submit(
                std::move(entry),
                [this, reactor, subsidies, entered](const JournalEntry &stored, const std::optional<Error> &error) {
                    const orders::IdempotencyTable::Record &storedKey = *stored.idempotency;
                    if (error) {
                        m_context.book.abandon(stored.newOrder->id);
                        m_context.pricing.forget(*stored.newOrder);
                        if (subsidies != nullptr)
                            subsidies->abandon(*stored.newOrder, {stored.subsidyGrant, std::nullopt});
                        m_context.idempotency.complete(storedKey.uid, storedKey.key, *error);
                        reactor->Finish(convert::toStatus(*error));
                        return;
                    }
                    m_context.idempotency.complete(storedKey.uid, storedKey.key, *stored.newOrder);
                    const auto took = std::chrono::steady_clock::now() - entered;
                    if (subsidies != nullptr)
                        subsidies->latency().record(std::chrono::duration_cast<std::chrono::microseconds>(took),
                                                    stored.newOrder->createdAt);
                    if (m_context.alerts != nullptr)
                        m_context.alerts->orderPathLatency(stored.newOrder->createdAt, took);
                    reactor->Finish(grpc::Status::OK);
                });
        });
    if (opened.ok() && !queued) {
        m_context.book.abandon(order.id);
        opened = kShuttingDown;
    }
    if (!opened.ok()) {
        m_context.pricing.forget(order); // its per-user rule uses
        if (subsidies != nullptr)
            subsidies->abandon(order, subsidy);
        m_context.idempotency.complete(uid, key, opened.error());
        reactor->Finish(convert::toStatus(opened.error()));
    }
    return reactor;
}

grpc::ServerUnaryReactor *OrderServiceImpl::transition(grpc::CallbackServerContext *context, Change change,
                                                       std::int64_t orderId, const std::string &clientKey,
                                                       v1::Order *response)
{
    if (orderId <= 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "order_id must be a positive order number, got " + std::to_string(orderId)});
    const TimePoint now = m_context.clock.now();
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    std::optional<Order> stored;
    try {
        stored = m_context.store.orders.loadOrder(orderId);
    } catch (const StorageError &e) {
        reactor->Finish({grpc::StatusCode::UNAVAILABLE, e.what()});
        return reactor;
    }
    if (!stored) {
        reactor->Finish({grpc::StatusCode::NOT_FOUND, "order " + std::to_string(orderId) + " does not exist"});
        return reactor;
    }
    if (m_context.payments != nullptr) {
        try {
            if (const std::optional<Error> refused = paymentChannelRefusal(change, *stored)) {
                reactor->Finish(convert::toStatus(*refused));
                return reactor;
            }
        } catch (const StorageError &e) {
            reactor->Finish({grpc::StatusCode::UNAVAILABLE, e.what()});
            return reactor;
        }
    }
    // A payment's key is the buyer's.
    const std::int64_t uid = stored->uid;
    std::string key;
    orders::RequestDigest digest{};
    if (change == Change::Pay) {
        key = "pay:" + clientKey;
        const std::string text = "pay|" + std::to_string(orderId);
        digest = orders::requestDigest(text);
        if (!admit(reactor, uid, key, clientKey, text, digest, now, response))
            return reactor;
    }
    // Ends the call with an error, and a pay's idempotency key with it.
    const auto refuse = [&](const Error &error) {
        if (!key.empty())
            m_context.idempotency.complete(uid, key, error);
        reactor->Finish(convert::toStatus(error));
        return reactor;
    };

    // Refunds, and cancellations other than the storefront's own (a buyer's, the
    // simulator's), are operator changes; payments are the storefront's and stay
    // out of the audit log.
    std::optional<audit::Entry> audited;
    if (change != Change::Pay) {
        audit::Actor actor = actorOf(m_context.callers, *context);
        if (change == Change::Refund || !isStorefront(*context, actor))
            audited.emplace().actor = std::move(actor);
    }
    if (audited) {
        audited->area = "orders";
        audited->object = "order " + std::to_string(orderId);
        audited->before = std::string("{\"status\":\"") + orderStatusName(stored->status) + "\"}";
        audited->reason = change == Change::Cancel ? "cancelled" : "refunded";
    }
    bool queued = true;
    const auto sink = [&](const orders::OrderTransition &t) {
        JournalEntry entry;
        entry.transition = t;
        if (!key.empty())
            entry.idempotency = orders::IdempotencyTable::Record{uid, key, digest, orderId, now};
        queued = m_context.writer.submit(
            std::move(entry),
            [this, reactor, response, uid, key, order = std::move(*stored),
             audited = std::move(audited)](const JournalEntry &done, const std::optional<Error> &error) mutable {
                if (error) {
                    // The change is applied in memory but not stored; the database, which
                    // is what a restart goes by, still has the order as it was.
                    if (!key.empty())
                        m_context.idempotency.complete(uid, key, *error);
                    reactor->Finish(convert::toStatus(*error));
                    return;
                }
                const orders::OrderTransition &t = *done.transition;
                order.status = t.to;
                if (t.to == OrderStatus::Paid)
                    order.paidAt = t.at;
                else
                    order.closedAt = t.at;
                if (!key.empty())
                    m_context.idempotency.complete(uid, key, order);
                if (audited) {
                    audited->after = std::string("{\"status\":\"") + orderStatusName(order.status) + "\"}";
                    if (grpc::Status recorded = m_context.audit.record(std::move(*audited)); !recorded.ok()) {
                        reactor->Finish(std::move(recorded));
                        return;
                    }
                }
                respond(reactor, order, response);
            });
    };
    const orders::OrderState state = stateOf(*stored);
    // A refund returns the order's own lines (the sink takes the stored order).
    const std::vector<OrderLine> lines = change == Change::Refund ? stored->lines : std::vector<OrderLine>{};
    Result<orders::OrderTransition> changed = change == Change::Pay ? m_context.book.pay(orderId, state, now, sink)
                                              : change == Change::Cancel
                                                  ? m_context.book.cancel(orderId, state, now, sink)
                                                  : m_context.book.refund(orderId, state, lines, now, sink);
    if (!changed.ok())
        return refuse(changed.error());
    if (!queued)
        return refuse(kShuttingDown); // applied in memory only, like a failed commit
    return reactor;
}

grpc::ServerUnaryReactor *OrderServiceImpl::PayOrder(grpc::CallbackServerContext *context,
                                                     const v1::PayOrderRequest *request, v1::Order *response)
{
    if (const std::optional<Error> invalidKey = orders::checkIdempotencyKey(request->idempotency_key()))
        return finished(context, convert::toStatus(*invalidKey));
    return transition(context, Change::Pay, request->order_id(), request->idempotency_key(), response);
}

grpc::ServerUnaryReactor *OrderServiceImpl::CancelOrder(grpc::CallbackServerContext *context,
                                                        const v1::CancelOrderRequest *request, v1::Order *response)
{
    return transition(context, Change::Cancel, request->order_id(), {}, response);
}

grpc::ServerUnaryReactor *OrderServiceImpl::RefundOrder(grpc::CallbackServerContext *context,
                                                        const v1::RefundOrderRequest *request, v1::Order *response)
{
    return transition(context, Change::Refund, request->order_id(), {}, response);
}

grpc::ServerUnaryReactor *OrderServiceImpl::GetOrder(grpc::CallbackServerContext *context,
                                                     const v1::GetOrderRequest *request, v1::Order *response)
{
    if (request->order_id() <= 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "order_id must be a positive order number, got " +
                                                                          std::to_string(request->order_id())});
    try {
        std::optional<Order> stored = m_context.store.orders.loadOrder(request->order_id());
        if (!stored)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "order " + std::to_string(request->order_id()) + " does not exist"});
        convert::toProto(*stored, m_context.currency, response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

} // namespace flywheel
