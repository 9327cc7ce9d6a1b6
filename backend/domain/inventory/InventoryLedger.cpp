#include "domain/inventory/InventoryLedger.h"

#include <algorithm>

namespace flywheel::inventory {

const char *eventTypeName(EventType type)
{
    switch (type) {
    case EventType::Received:
        return "received";
    case EventType::Reserved:
        return "reserved";
    case EventType::Confirmed:
        return "confirmed";
    case EventType::Released:
        return "released";
    }
    return "received";
}

const char *releaseReasonName(ReleaseReason reason)
{
    switch (reason) {
    case ReleaseReason::None:
        return "";
    case ReleaseReason::Cancelled:
        return "cancelled";
    case ReleaseReason::Expired:
        return "expired";
    case ReleaseReason::Refunded:
        return "refunded";
    }
    return "";
}

namespace {

Error precondition(std::string message)
{
    return Error{ErrorCode::FailedPrecondition, std::move(message)};
}

} // namespace

void InventoryLedger::takeLineLocked(const Event &e)
{
    Hold *hold = m_holds.find(e.orderId);
    if (hold == nullptr)
        return;
    auto &lines = hold->lines;
    const auto line = std::find_if(lines.begin(), lines.end(), [&](const ReservationLine &l) {
        return l.sku == e.sku && l.quantity == e.quantity;
    });
    if (line != lines.end())
        lines.erase(line);
    if (lines.empty())
        eraseHoldLocked(e.orderId, *hold);
}

void InventoryLedger::eraseHoldLocked(std::int64_t orderId, const Hold &hold)
{
    // Its expiry entry goes with it, so that the ledger holds nothing for an order
    // that no longer holds stock (a replay never runs expire()).
    m_expiries.erase({hold.expiresAt, orderId});
    m_holds.erase(orderId);
}

void InventoryLedger::applyLocked(const Event &e)
{
    std::deque<Event> &recent = m_recent[e.sku];
    recent.push_back(e);
    if (recent.size() > kRecentPerSku)
        recent.pop_front();
    StockLevel &level = m_levels[e.sku];
    switch (e.type) {
    case EventType::Received:
        level.received += e.quantity;
        level.available += e.quantity;
        break;
    case EventType::Reserved: {
        level.available -= e.quantity;
        level.reserved += e.quantity;
        Hold &hold = m_holds[e.orderId];
        if (hold.lines.empty())
            m_expiries.emplace(e.expiresAt, e.orderId);
        hold.lines.push_back(ReservationLine{e.sku, e.quantity});
        hold.expiresAt = e.expiresAt;
        break;
    }
    case EventType::Confirmed:
        level.reserved -= e.quantity;
        level.sold += e.quantity;
        // Sold stock is counted in the levels only; a refund names its lines.
        takeLineLocked(e);
        break;
    case EventType::Released:
        if (e.reason == ReleaseReason::Refunded) {
            level.sold -= e.quantity; // the order holds nothing any more
        } else {
            level.reserved -= e.quantity;
            takeLineLocked(e);
        }
        level.available += e.quantity;
        break;
    }
}

void InventoryLedger::replay(const std::vector<Event> &events)
{
    const std::lock_guard lock(m_mutex);
    for (const Event &e : events) {
        applyLocked(e);
        m_nextSeq = std::max(m_nextSeq, e.seq + 1);
    }
}

LedgerSnapshot InventoryLedger::snapshot() const
{
    LedgerSnapshot snapshot;
    {
        const std::lock_guard lock(m_mutex);
        snapshot.seq = m_nextSeq - 1;
        snapshot.levels.assign(m_levels.begin(), m_levels.end());
        snapshot.reservations.reserve(m_holds.size());
        m_holds.forEach([&snapshot](std::int64_t orderId, const Hold &hold) {
            snapshot.reservations.push_back(OpenReservation{orderId, hold.lines, hold.expiresAt});
        });
        for (const auto &[sku, events] : m_recent)
            snapshot.recent.insert(snapshot.recent.end(), events.begin(), events.end());
    }
    std::sort(snapshot.levels.begin(), snapshot.levels.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::sort(snapshot.reservations.begin(), snapshot.reservations.end(),
              [](const OpenReservation &a, const OpenReservation &b) { return a.orderId < b.orderId; });
    std::sort(snapshot.recent.begin(), snapshot.recent.end(),
              [](const Event &a, const Event &b) { return a.seq < b.seq; });
    return snapshot;
}

void InventoryLedger::restore(const LedgerSnapshot &snapshot)
{
    const std::lock_guard lock(m_mutex);
    m_levels.clear();
    m_holds = {};
    m_expiries.clear();
    m_recent.clear();
    for (const auto &[sku, level] : snapshot.levels)
        m_levels[sku] = level;
    for (const OpenReservation &r : snapshot.reservations) {
        m_holds[r.orderId] = Hold{r.lines, r.expiresAt};
        m_expiries.emplace(r.expiresAt, r.orderId);
    }
    for (const Event &e : snapshot.recent) {
        std::deque<Event> &recent = m_recent[e.sku];
        recent.push_back(e);
        if (recent.size() > kRecentPerSku)
            recent.pop_front();
    }
    m_nextSeq = snapshot.seq + 1;
}

std::int64_t InventoryLedger::lastSeq() const
{
    const std::lock_guard lock(m_mutex);
    return m_nextSeq - 1;
}

std::vector<Event> InventoryLedger::receive(const std::string &sku, std::int64_t quantity, TimePoint now)
{
    const std::lock_guard lock(m_mutex);
    const Event e{m_nextSeq++, EventType::Received, sku, 0, quantity, now, {}, ReleaseReason::None};
    applyLocked(e);
    return {e};
}

Result<std::vector<Event>> InventoryLedger::reserve(std::int64_t orderId, const std::vector<ReservationLine> &lines,
                                                    TimePoint now, Milliseconds ttl)
{
    if (lines.empty())
        return Error{ErrorCode::InvalidArgument, "a reservation needs at least one line"};
    // One line per SKU, in a stable order.
    std::map<std::string, std::int64_t> wanted;
    for (const ReservationLine &line : lines) {
        if (line.quantity <= 0)
            return Error{ErrorCode::InvalidArgument, "the quantity of " + line.sku + " must be positive"};
        wanted[line.sku] += line.quantity;
    }
    const std::lock_guard lock(m_mutex);
    if (m_holds.contains(orderId))
        return precondition("order " + std::to_string(orderId) + " already holds stock");
    for (const auto &[sku, quantity] : wanted) {
        const auto it = m_levels.find(sku);
        const std::int64_t available = it == m_levels.end() ? 0 : it->second.available;
        if (available < quantity)
            return precondition("not enough stock of " + sku + ": " + std::to_string(quantity) + " wanted, " +
                                std::to_string(available) + " available");
    }
    std::vector<Event> events;
    events.reserve(wanted.size());
    for (const auto &[sku, quantity] : wanted) {
        events.push_back(
            Event{m_nextSeq++, EventType::Reserved, sku, orderId, quantity, now, now + ttl, ReleaseReason::None});
        applyLocked(events.back());
    }
    return events;
}

Result<std::vector<Event>> InventoryLedger::confirm(std::int64_t orderId, TimePoint now)
{
    const std::lock_guard lock(m_mutex);
    const Hold *hold = m_holds.find(orderId);
    if (hold == nullptr)
        return precondition("order " + std::to_string(orderId) + " holds no reserved stock to confirm");
    std::vector<Event> events;
    const std::vector<ReservationLine> lines = hold->lines; // applyLocked erases the hold
    for (const ReservationLine &line : lines) {
        events.push_back(
            Event{m_nextSeq++, EventType::Confirmed, line.sku, orderId, line.quantity, now, {}, ReleaseReason::None});
        applyLocked(events.back());
    }
    return events;
}

std::vector<Event> InventoryLedger::releaseLocked(std::int64_t orderId, Hold &hold, ReleaseReason reason, TimePoint now)
{
    std::vector<Event> events;
    const std::vector<ReservationLine> lines = hold.lines; // applyLocked erases the hold
    for (const ReservationLine &line : lines) {
        events.push_back(Event{m_nextSeq++, EventType::Released, line.sku, orderId, line.quantity, now, {}, reason});
        applyLocked(events.back());
    }
    return events;
}

Result<std::vector<Event>> InventoryLedger::release(std::int64_t orderId, ReleaseReason reason, TimePoint now)
{
    if (reason == ReleaseReason::None)
        return Error{ErrorCode::InvalidArgument, "a release needs a reason"};
    if (reason == ReleaseReason::Refunded)
        return Error{ErrorCode::InvalidArgument, "sold stock is returned by a refund, which names the order's lines"};
    const std::lock_guard lock(m_mutex);
    Hold *hold = m_holds.find(orderId);
    if (hold == nullptr)
        return precondition("order " + std::to_string(orderId) + " holds no reserved stock to release");
    return releaseLocked(orderId, *hold, reason, now);
}

Result<std::vector<Event>> InventoryLedger::refund(std::int64_t orderId, const std::vector<ReservationLine> &lines,
                                                   TimePoint now)
{
    if (lines.empty())
        return Error{ErrorCode::InvalidArgument, "a refund needs at least one line"};
    std::map<std::string, std::int64_t> returned;
    for (const ReservationLine &line : lines) {
        if (line.quantity <= 0)
            return Error{ErrorCode::InvalidArgument, "the quantity of " + line.sku + " must be positive"};
        returned[line.sku] += line.quantity;
    }
    const std::lock_guard lock(m_mutex);
    if (m_holds.contains(orderId))
        return precondition("the stock of order " + std::to_string(orderId) +
                            " is only reserved; a refund needs a paid order");
    for (const auto &[sku, quantity] : returned) {
        const auto it = m_levels.find(sku);
        const std::int64_t sold = it == m_levels.end() ? 0 : it->second.sold;
        if (sold < quantity)
            return precondition("order " + std::to_string(orderId) + " cannot return " + std::to_string(quantity) +
                                " of " + sku + ": only " + std::to_string(sold) + " are sold");
    }
    std::vector<Event> events;
    events.reserve(returned.size());
    for (const auto &[sku, quantity] : returned) {
        events.push_back(
            Event{m_nextSeq++, EventType::Released, sku, orderId, quantity, now, {}, ReleaseReason::Refunded});
        applyLocked(events.back());
    }
    return events;
}

std::vector<Event> InventoryLedger::expire(TimePoint now)
{
    const std::lock_guard lock(m_mutex);
    std::vector<Event> events;
    while (!m_expiries.empty() && m_expiries.begin()->first <= now) {
        const std::int64_t orderId = m_expiries.begin()->second;
        m_expiries.erase(m_expiries.begin());
        Hold *hold = m_holds.find(orderId);
        // Entries go with their holds; a hold with a later expiry has its own entry.
        if (hold == nullptr || hold->expiresAt > now)
            continue;
        const auto released = releaseLocked(orderId, *hold, ReleaseReason::Expired, now);
        events.insert(events.end(), released.begin(), released.end());
    }
    return events;
}

void InventoryLedger::abandon(std::int64_t orderId)
{
    const std::lock_guard lock(m_mutex);
    const Hold *hold = m_holds.find(orderId);
    if (hold == nullptr)
        return;
    for (const ReservationLine &line : hold->lines) {
        StockLevel &level = m_levels[line.sku];
        level.reserved -= line.quantity;
        level.available += line.quantity;
        std::deque<Event> &recent = m_recent[line.sku];
        std::erase_if(recent, [&](const Event &e) { return e.orderId == orderId && e.type == EventType::Reserved; });
    }
    eraseHoldLocked(orderId, *hold);
}

bool InventoryLedger::holds(std::int64_t orderId) const
{
    const std::lock_guard lock(m_mutex);
    return m_holds.contains(orderId);
}

std::optional<TimePoint> InventoryLedger::reservedUntil(std::int64_t orderId) const
{
    const std::lock_guard lock(m_mutex);
    const Hold *hold = m_holds.find(orderId);
    if (hold == nullptr)
        return std::nullopt;
    return hold->expiresAt;
}

std::vector<std::pair<std::string, StockLevel>> InventoryLedger::levels() const
{
    std::vector<std::pair<std::string, StockLevel>> result;
    {
        const std::lock_guard lock(m_mutex);
        result.assign(m_levels.begin(), m_levels.end());
    }
    std::sort(result.begin(), result.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return result;
}

std::vector<Event> InventoryLedger::recentEvents(const std::string &sku, std::size_t limit) const
{
    const std::lock_guard lock(m_mutex);
    const auto it = m_recent.find(sku);
    if (it == m_recent.end())
        return {};
    const std::size_t n = std::min(limit, it->second.size());
    return std::vector<Event>(it->second.rbegin(), it->second.rbegin() + static_cast<std::ptrdiff_t>(n));
}

StockLevel InventoryLedger::level(const std::string &sku) const
{
    const std::lock_guard lock(m_mutex);
    const auto it = m_levels.find(sku);
    return it == m_levels.end() ? StockLevel{} : it->second;
}

std::size_t InventoryLedger::openReservations() const
{
    const std::lock_guard lock(m_mutex);
    return m_holds.size();
}

std::size_t InventoryLedger::snapshotEntries() const
{
    const std::lock_guard lock(m_mutex);
    std::size_t recent = 0;
    for (const auto &[sku, events] : m_recent)
        recent += events.size();
    return m_holds.size() + m_levels.size() + recent;
}

} // namespace flywheel::inventory
