#pragma once

#include "domain/Clock.h"
#include "domain/DueList.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/Money.h"
#include "domain/OrderIdMap.h"
#include "domain/Order.h"
#include "domain/Result.h"

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace flywheel::orders {

/// What the book knows of an order's lifecycle.
struct OrderState {
    std::int64_t uid = 0;
    Money total;
    OrderStatus status = OrderStatus::Created;
    /// When the stock reservation lapses (or lapsed). The epoch for an order that
    /// never reserved stock (paid before inventory tracking, or imported history):
    /// its refund returns no stock.
    TimePoint expiresAt;
    TimePoint paidAt;
    TimePoint closedAt;
    /// When the book last changed it (for forgetSettled).
    TimePoint changedAt;
};

/// A status change and the inventory events it caused, to be stored together.
struct OrderTransition {
    std::int64_t orderId = 0;
    std::int64_t uid = 0;
    Money total;
    OrderStatus from = OrderStatus::Created;
    OrderStatus to = OrderStatus::Created;
    TimePoint at;
    std::vector<inventory::Event> events;
};

/// The order lifecycle over the inventory ledger:
///   created (stock reserved) -> paid (stock sold) -> refunded (stock available)
///   created -> cancelled | expired (stock available)
/// Any other transition is refused with FailedPrecondition and changes nothing.
///
/// Every change is handed to a sink while the book's lock is held, so whoever
/// stores the changes receives them in the order they were applied: replaying the
/// stored inventory events then never goes through a state that did not exist.
/// Thread-safe.
class OrderBook final {
public:
    using NewOrderSink = std::function<void(const Order &, const std::vector<inventory::Event> &)>;
    using TransitionSink = std::function<void(const OrderTransition &)>;

    OrderBook(inventory::InventoryLedger &ledger, Milliseconds reservationTtl);
    OrderBook(const OrderBook &) = delete;
    OrderBook &operator=(const OrderBook &) = delete;

    Milliseconds reservationTtl() const { return m_ttl; }

    /// Told of every refused state change (paid -> cancelled, expired -> paid, ...),
    /// under the book's lock: it must be quick. Set before the book is used.
    using IllegalTransitionListener = std::function<void(std::int64_t orderId, OrderStatus from, OrderStatus to)>;
    void setIllegalTransitionListener(IllegalTransitionListener listener);

    /// Startup: an order as stored (only orders that can still change need it).
    void restore(std::int64_t orderId, const OrderState &state);

    /// Reserves the stock of `order` (its id assigned) and records it as created;
    /// sets its status and expiry. FailedPrecondition naming the SKU when stock is
    /// short; nothing changes then.
    Result<std::vector<inventory::Event>> open(Order &order, TimePoint now, const NewOrderSink &sink);
    /// Takes back an order that could not be stored: its reservation is undone
    /// without events and the book forgets it.
    void abandon(std::int64_t orderId);

    /// `stored` is the order as stored; the book's own state wins when it has one
    /// (it includes changes not yet stored).
    Result<OrderTransition> pay(std::int64_t orderId, const OrderState &stored, TimePoint now,
                                const TransitionSink &sink);
    Result<OrderTransition> cancel(std::int64_t orderId, const OrderState &stored, TimePoint now,
                                   const TransitionSink &sink);
    /// Returns the sold stock of `lines` (the order's own, as stored: the ledger
    /// forgets an order once it is paid) unless the order never reserved stock.
    /// Refused unless the order is paid, so an order is refunded at most once.
    Result<OrderTransition> refund(std::int64_t orderId, const OrderState &stored, const std::vector<OrderLine> &lines,
                                   TimePoint now, const TransitionSink &sink);
    /// Goods in. Through the book so that receipts are stored in the order they
    /// were applied relative to reservations.
    std::vector<inventory::Event> receive(const std::string &sku, std::int64_t quantity, TimePoint now,
                                          const std::function<void(const std::vector<inventory::Event> &)> &sink);
    /// Expires every created order whose reservation lapsed at `now`.
    std::vector<OrderTransition> expire(TimePoint now, const TransitionSink &sink);

    /// The book's state of an order; nullopt when it has not seen the order.
    std::optional<OrderState> find(std::int64_t orderId) const;
    /// Forgets orders the book has not changed since `before`: their stored state is
    /// then the truth. `before` must leave time for a request that read an order
    /// from storage to reach the book (a minute is ample). Returns how many.
    ///
    /// Its cost is in the orders it forgets, not in the orders the book holds: the
    /// book lists its changes in the order they happened and reads that list from
    /// the oldest. It takes the lock for kForgetChunk orders at a time, so orders
    /// are never held up for more than a fraction of a millisecond; call it often
    /// (the housekeeper does, every tick) rather than rarely with much to forget.
    /// With a clock that goes back, an order may be forgotten late, never early.
    std::size_t forgetSettled(TimePoint before);
    static constexpr std::size_t kForgetChunk = 512;
    std::size_t size() const;

private:
    void illegal(std::int64_t orderId, OrderStatus from, OrderStatus to) const;
    OrderState &stateLocked(std::int64_t orderId, const OrderState &stored, TimePoint now);
    void changedLocked(std::int64_t orderId, TimePoint at) { m_changes.add(at, orderId); }
    OrderTransition commitLocked(std::int64_t orderId, OrderState &state, OrderStatus to, TimePoint now,
                                 std::vector<inventory::Event> events, const TransitionSink &sink);

    inventory::InventoryLedger &m_ledger;
    IllegalTransitionListener m_illegal;
    const Milliseconds m_ttl;
    mutable std::mutex m_mutex;
    OrderIdMap<OrderState> m_states;
    /// Every change to m_states, oldest first: forgetSettled's worklist. An order
    /// changed twice is listed twice; its older entry is skipped.
    DueList<std::int64_t> m_changes;
};

} // namespace flywheel::orders
