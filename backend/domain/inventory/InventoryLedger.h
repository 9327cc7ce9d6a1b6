#pragma once

#include "domain/Clock.h"
#include "domain/OrderIdMap.h"
#include "domain/Result.h"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace flywheel::inventory {

enum class EventType { Received, Reserved, Confirmed, Released };
enum class ReleaseReason { None, Cancelled, Expired, Refunded };

const char *eventTypeName(EventType type);
const char *releaseReasonName(ReleaseReason reason);

/// One fact of the event log. Stock levels are derived from these alone, so a
/// replay of the log rebuilds exactly the same levels.
struct Event {
    /// Position in the log, assigned by the ledger when it applies a new event;
    /// replaying in this order rebuilds the same state.
    std::int64_t seq = 0;
    EventType type = EventType::Received;
    std::string sku;
    /// 0 for Received.
    std::int64_t orderId = 0;
    std::int64_t quantity = 0;
    TimePoint at;
    /// Reserved: when the reservation lapses.
    TimePoint expiresAt;
    ReleaseReason reason = ReleaseReason::None;
    friend bool operator==(const Event &, const Event &) = default;
};

/// available + reserved + sold == received, always.
struct StockLevel {
    std::int64_t received = 0;
    std::int64_t available = 0;
    std::int64_t reserved = 0;
    std::int64_t sold = 0;
    friend bool operator==(const StockLevel &, const StockLevel &) = default;
};

struct ReservationLine {
    std::string sku;
    std::int64_t quantity = 0;
    friend bool operator==(const ReservationLine &, const ReservationLine &) = default;
};

/// An order's reserved stock, not yet paid, cancelled or expired.
struct OpenReservation {
    std::int64_t orderId = 0;
    /// One line per SKU, in the order they were reserved.
    std::vector<ReservationLine> lines;
    TimePoint expiresAt;
    friend bool operator==(const OpenReservation &, const OpenReservation &) = default;
};

/// The ledger's whole state after the event `seq`: restoring it and replaying the
/// events after `seq` rebuilds what a replay of the whole log builds.
struct LedgerSnapshot {
    /// The last event the snapshot includes; 0 for none.
    std::int64_t seq = 0;
    /// Every SKU that has had an event, in SKU order.
    std::vector<std::pair<std::string, StockLevel>> levels;
    /// By order id.
    std::vector<OpenReservation> reservations;
    /// The recent events of every SKU (recentEvents), oldest first.
    std::vector<Event> recent;
    friend bool operator==(const LedgerSnapshot &, const LedgerSnapshot &) = default;
};

/// Event-sourced stock for every SKU. Reservations are all-or-nothing per order and
/// never oversell under any concurrency: each operation checks and applies under
/// one lock (a critical section of a microsecond or so; a reservation's cost is
/// elsewhere). Every operation returns the events it applied, for the caller to
/// persist. Thread-safe.
///
/// The ledger remembers an order only while its stock is reserved: once paid, the
/// levels count the stock as sold and the order is forgotten, so memory holds the
/// open reservations, not the history. A refund names the lines it returns (the
/// order's own, which the order keeps); the order lifecycle (OrderBook) sees that
/// an order is refunded at most once.
class InventoryLedger final {
public:
    InventoryLedger() = default;
    InventoryLedger(const InventoryLedger &) = delete;
    InventoryLedger &operator=(const InventoryLedger &) = delete;

    /// Applies events from the log (at startup), trusting them; they must be in
    /// sequence order. New events are numbered after the last one.
    void replay(const std::vector<Event> &events);
    /// The whole state, consistent with the events up to its seq (taken under the lock).
    LedgerSnapshot snapshot() const;
    /// Replaces the whole state with `snapshot` (at startup, before replaying the
    /// events after it). New events are numbered after its seq.
    void restore(const LedgerSnapshot &snapshot);
    /// The last event applied; 0 before any.
    std::int64_t lastSeq() const;

    std::vector<Event> receive(const std::string &sku, std::int64_t quantity, TimePoint now);
    /// FailedPrecondition naming the SKU when stock is short; nothing changes then.
    Result<std::vector<Event>> reserve(std::int64_t orderId, const std::vector<ReservationLine> &lines, TimePoint now,
                                       Milliseconds ttl);
    /// Reserved -> sold; the ledger then forgets the order. FailedPrecondition when
    /// the order holds no reservation.
    Result<std::vector<Event>> confirm(std::int64_t orderId, TimePoint now);
    /// Reserved -> available: `reason` is Cancelled or Expired (InvalidArgument
    /// otherwise). FailedPrecondition when the order holds no reservation.
    Result<std::vector<Event>> release(std::int64_t orderId, ReleaseReason reason, TimePoint now);
    /// Sold -> available for the lines of a paid order (merged per SKU, like a
    /// reservation). InvalidArgument for no line or a quantity that is not positive;
    /// FailedPrecondition when the order holds a reservation (it is not paid) or
    /// when a SKU has fewer units sold than the lines return; nothing changes then.
    /// The caller refunds an order once: the ledger does not remember sold orders.
    Result<std::vector<Event>> refund(std::int64_t orderId, const std::vector<ReservationLine> &lines, TimePoint now);
    /// Releases every reservation whose time is up at `now`.
    std::vector<Event> expire(TimePoint now);
    /// Takes back a reservation whose events were never stored (the order could not
    /// be committed), as if it had not happened: no event, the stock is available
    /// again. Does nothing when the order holds no reservation.
    void abandon(std::int64_t orderId);

    /// True while the order holds reserved stock.
    bool holds(std::int64_t orderId) const;
    /// When the order's reservation lapses; nullopt when it holds none.
    std::optional<TimePoint> reservedUntil(std::int64_t orderId) const;
    StockLevel level(const std::string &sku) const;
    /// Every SKU that has had an event, in SKU order.
    std::vector<std::pair<std::string, StockLevel>> levels() const;
    /// The newest events of a SKU, newest first; at most kRecentPerSku are kept.
    std::vector<Event> recentEvents(const std::string &sku, std::size_t limit) const;
    static constexpr std::size_t kRecentPerSku = 500;
    /// Order ids with a live reservation, for expiry bookkeeping and tests.
    std::size_t openReservations() const;
    /// How many entries a snapshot of the ledger holds: open reservations, SKUs and
    /// the events of their recent lists. What a snapshot costs to take and store.
    std::size_t snapshotEntries() const;

private:
    /// A reservation; gone once paid, released or expired.
    struct Hold {
        std::vector<ReservationLine> lines;
        TimePoint expiresAt;
    };

    /// Updates levels and holds for one event; the mutex is held.
    void applyLocked(const Event &event);
    /// Removes the line an event took out of its order's hold, and the hold with its last line.
    void takeLineLocked(const Event &event);
    /// Forgets a hold and its expiry entry.
    void eraseHoldLocked(std::int64_t orderId, const Hold &hold);
    std::vector<Event> releaseLocked(std::int64_t orderId, Hold &hold, ReleaseReason reason, TimePoint now);

    mutable std::mutex m_mutex;
    std::unordered_map<std::string, StockLevel> m_levels;
    OrderIdMap<Hold> m_holds;
    /// The open reservations by expiry, then order id: the order expire() releases
    /// them in, the same however the ledger was built (replay or snapshot).
    std::set<std::pair<TimePoint, std::int64_t>> m_expiries;
    std::unordered_map<std::string, std::deque<Event>> m_recent;
    std::int64_t m_nextSeq = 1;
};

} // namespace flywheel::inventory
