#pragma once

#include "domain/Clock.h"
#include "domain/OrderIdMap.h"
#include "domain/Result.h"

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
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
};

/// Event-sourced stock for every SKU. Reservations are all-or-nothing per order and
/// never oversell under any concurrency: each operation checks and applies under
/// one lock (a critical section of a microsecond or so; a reservation's cost is
/// elsewhere). Every operation returns the events it applied, for the caller to
/// persist. Thread-safe.
class InventoryLedger final {
public:
    InventoryLedger() = default;
    InventoryLedger(const InventoryLedger &) = delete;
    InventoryLedger &operator=(const InventoryLedger &) = delete;

    /// Applies events from the log (at startup), trusting them; they must be in
    /// sequence order. New events are numbered after the last one.
    void replay(const std::vector<Event> &events);

    std::vector<Event> receive(const std::string &sku, std::int64_t quantity, TimePoint now);
    /// FailedPrecondition naming the SKU when stock is short; nothing changes then.
    Result<std::vector<Event>> reserve(std::int64_t orderId, const std::vector<ReservationLine> &lines, TimePoint now,
                                       Milliseconds ttl);
    /// Reserved -> sold. FailedPrecondition when the order holds no reservation.
    Result<std::vector<Event>> confirm(std::int64_t orderId, TimePoint now);
    /// Reserved -> available (cancel, expiry) or sold -> available (refund).
    Result<std::vector<Event>> release(std::int64_t orderId, ReleaseReason reason, TimePoint now);
    /// Releases every reservation whose time is up at `now`.
    std::vector<Event> expire(TimePoint now);
    /// Takes back a reservation whose events were never stored (the order could not
    /// be committed), as if it had not happened: no event, the stock is available
    /// again. Does nothing when the order holds no reservation.
    void abandon(std::int64_t orderId);

    /// True while the order holds reserved or sold stock.
    bool holds(std::int64_t orderId) const;
    /// When the order's reservation lapses; nullopt when it holds none (or sold stock).
    std::optional<TimePoint> reservedUntil(std::int64_t orderId) const;
    StockLevel level(const std::string &sku) const;
    /// Every SKU that has had an event, in SKU order.
    std::vector<std::pair<std::string, StockLevel>> levels() const;
    /// The newest events of a SKU, newest first; at most kRecentPerSku are kept.
    std::vector<Event> recentEvents(const std::string &sku, std::size_t limit) const;
    static constexpr std::size_t kRecentPerSku = 500;
    /// Order ids with a live reservation, for expiry bookkeeping and tests.
    std::size_t openReservations() const;

private:
    enum class HoldState { Reserved, Sold };
    struct Hold {
        std::vector<ReservationLine> lines;
        TimePoint expiresAt;
        HoldState state = HoldState::Reserved;
    };

    /// Updates levels and holds for one event; the mutex is held.
    void applyLocked(const Event &event);
    std::vector<Event> releaseLocked(std::int64_t orderId, Hold &hold, ReleaseReason reason, TimePoint now);

    mutable std::mutex m_mutex;
    std::unordered_map<std::string, StockLevel> m_levels;
    OrderIdMap<Hold> m_holds;
    std::multimap<TimePoint, std::int64_t> m_expiries;
    std::unordered_map<std::string, std::deque<Event>> m_recent;
    std::int64_t m_nextSeq = 1;
};

} // namespace flywheel::inventory
