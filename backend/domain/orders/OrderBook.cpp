#include "domain/orders/OrderBook.h"

#include <map>

namespace flywheel::orders {

namespace {

Error refused(std::int64_t orderId, OrderStatus status, const char *what)
{
    std::string message = "order " + std::to_string(orderId) + " is " + orderStatusName(status) + "; " + what;
    return Error{ErrorCode::FailedPrecondition, std::move(message)};
}

} // namespace

OrderBook::OrderBook(inventory::InventoryLedger &ledger, Milliseconds reservationTtl)
    : m_ledger(ledger), m_ttl(reservationTtl)
{}

void OrderBook::setIllegalTransitionListener(IllegalTransitionListener listener)
{
    m_illegal = std::move(listener);
}

void OrderBook::illegal(std::int64_t orderId, OrderStatus from, OrderStatus to) const
{
    if (m_illegal)
        m_illegal(orderId, from, to);
}

void OrderBook::restore(std::int64_t orderId, const OrderState &state)
{
    const std::lock_guard lock(m_mutex);
    m_states[orderId] = state;
    changedLocked(orderId, state.changedAt);
}

Result<std::vector<inventory::Event>> OrderBook::open(Order &order, TimePoint now, const NewOrderSink &sink)
{
    std::vector<inventory::ReservationLine> lines;
    lines.reserve(order.lines.size());
    for (const OrderLine &line : order.lines)
        lines.push_back(inventory::ReservationLine{line.sku, line.quantity});
    const std::lock_guard lock(m_mutex);
    if (m_states.contains(order.id))
        return Error{ErrorCode::Internal, "order id " + std::to_string(order.id) + " is already in use"};
    Result<std::vector<inventory::Event>> reserved = m_ledger.reserve(order.id, lines, now, m_ttl);
    if (!reserved.ok())
        return reserved;
    order.status = OrderStatus::Created;
    order.expiresAt = now + m_ttl;
    m_states.tryEmplace(order.id,
                        OrderState{order.uid, order.total, OrderStatus::Created, order.expiresAt, {}, {}, now});
    changedLocked(order.id, now);
    if (sink)
        sink(order, reserved.value());
    return reserved;
}

void OrderBook::abandon(std::int64_t orderId)
{
    const std::lock_guard lock(m_mutex);
    m_ledger.abandon(orderId);
    m_states.erase(orderId);
}

OrderState &OrderBook::stateLocked(std::int64_t orderId, const OrderState &stored, TimePoint now)
{
    auto [state, inserted] = m_states.tryEmplace(orderId, stored);
    if (inserted) {
        // Known again from storage: listed, so that it is forgotten again even
        // when the change it was loaded for is refused.
        state.changedAt = now;
        changedLocked(orderId, now);
    }
    return state;
}

OrderTransition OrderBook::commitLocked(std::int64_t orderId, OrderState &state, OrderStatus to, TimePoint now,
                                        std::vector<inventory::Event> events, const TransitionSink &sink)
{
    OrderTransition t{orderId, state.uid, state.total, state.status, to, now, std::move(events)};
    state.status = to;
    state.changedAt = now;
    changedLocked(orderId, now);
    if (to == OrderStatus::Paid)
        state.paidAt = now;
    else
        state.closedAt = now;
    if (sink)
        sink(t);
    return t;
}

Result<OrderTransition> OrderBook::pay(std::int64_t orderId, const OrderState &stored, TimePoint now,
                                       const TransitionSink &sink)
{
    const std::lock_guard lock(m_mutex);
    OrderState &state = stateLocked(orderId, stored, now);
    if (state.status != OrderStatus::Created) {
        illegal(orderId, state.status, OrderStatus::Paid);
        return refused(orderId, state.status, "only a created order can be paid");
    }
    // A reservation that has lapsed is not paid, even before the housekeeper got to it.
    if (const std::optional<TimePoint> until = m_ledger.reservedUntil(orderId); until && *until <= now)
        return Error{ErrorCode::FailedPrecondition,
                     "the reservation of order " + std::to_string(orderId) + " has expired; it can no longer be paid"};
    Result<std::vector<inventory::Event>> confirmed = m_ledger.confirm(orderId, now);
    if (!confirmed.ok())
        return confirmed.error();
    return commitLocked(orderId, state, OrderStatus::Paid, now, std::move(confirmed).value(), sink);
}

Result<OrderTransition> OrderBook::cancel(std::int64_t orderId, const OrderState &stored, TimePoint now,
                                          const TransitionSink &sink)
{
    const std::lock_guard lock(m_mutex);
    OrderState &state = stateLocked(orderId, stored, now);
    if (state.status != OrderStatus::Created) {
        illegal(orderId, state.status, OrderStatus::Cancelled);
        return refused(orderId, state.status,
                       state.status == OrderStatus::Paid ? "a paid order is refunded, not cancelled"
                                                         : "only a created order can be cancelled");
    }
    Result<std::vector<inventory::Event>> released =
        m_ledger.release(orderId, inventory::ReleaseReason::Cancelled, now);
    if (!released.ok())
        return released.error();
    return commitLocked(orderId, state, OrderStatus::Cancelled, now, std::move(released).value(), sink);
}

Result<OrderTransition> OrderBook::refund(std::int64_t orderId, const OrderState &stored,
                                          const std::vector<OrderLine> &lines, TimePoint now,
                                          const TransitionSink &sink)
{
    std::vector<inventory::ReservationLine> sold;
    sold.reserve(lines.size());
    for (const OrderLine &line : lines)
        sold.push_back(inventory::ReservationLine{line.sku, line.quantity});
    const std::lock_guard lock(m_mutex);
    OrderState &state = stateLocked(orderId, stored, now);
    if (state.status != OrderStatus::Paid) {
        illegal(orderId, state.status, OrderStatus::Refunded);
        return refused(orderId, state.status, "only a paid order can be refunded");
    }
    std::vector<inventory::Event> events;
    // Orders imported from before inventory tracking never reserved (no expiry) and
    // hold no stock: nothing to return.
    if (state.expiresAt != TimePoint{}) {
        Result<std::vector<inventory::Event>> released = m_ledger.refund(orderId, sold, now);
        if (!released.ok())
            return released.error();
        events = std::move(released).value();
    }
    return commitLocked(orderId, state, OrderStatus::Refunded, now, std::move(events), sink);
}

std::vector<inventory::Event> OrderBook::receive(const std::string &sku, std::int64_t quantity, TimePoint now,
                                                 const std::function<void(const std::vector<inventory::Event> &)> &sink)
{
    const std::lock_guard lock(m_mutex);
    std::vector<inventory::Event> events = m_ledger.receive(sku, quantity, now);
    if (sink)
        sink(events);
    return events;
}

std::vector<OrderTransition> OrderBook::expire(TimePoint now, const TransitionSink &sink)
{
    const std::lock_guard lock(m_mutex);
    std::vector<inventory::Event> events = m_ledger.expire(now);
    std::map<std::int64_t, std::vector<inventory::Event>> byOrder;
    for (inventory::Event &e : events)
        byOrder[e.orderId].push_back(std::move(e));
    std::vector<OrderTransition> transitions;
    transitions.reserve(byOrder.size());
    for (auto &[orderId, orderEvents] : byOrder) {
        // Unknown when created before a restart (and not restored): the stored state
        // then holds its uid and total; an expiry needs neither.
        OrderState &state = m_states[orderId];
        transitions.push_back(commitLocked(orderId, state, OrderStatus::Expired, now, std::move(orderEvents), sink));
    }
    return transitions;
}

std::size_t OrderBook::forgetSettled(TimePoint before)
{
    std::size_t forgotten = 0;
    for (bool more = true; more;) {
        const std::lock_guard lock(m_mutex);
        more = m_changes.takeDue(before, kForgetChunk, [&](std::int64_t orderId) {
            // Changed again since (listed again, later) or already forgotten: skip.
            if (const OrderState *state = m_states.find(orderId); state != nullptr && state->changedAt < before) {
                m_states.erase(orderId);
                ++forgotten;
            }
        });
    }
    return forgotten;
}

std::size_t OrderBook::size() const
{
    const std::lock_guard lock(m_mutex);
    return m_states.size();
}

std::optional<OrderState> OrderBook::find(std::int64_t orderId) const
{
    const std::lock_guard lock(m_mutex);
    const OrderState *state = m_states.find(orderId);
    if (state == nullptr)
        return std::nullopt;
    return *state;
}

} // namespace flywheel::orders
