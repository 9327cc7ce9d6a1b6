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
        m_holds[e.orderId].state = HoldState::Sold;
        break;
    case EventType::Released: {
        if (e.reason == ReleaseReason::Refunded)
            level.sold -= e.quantity;
        else
            level.reserved -= e.quantity;
        level.available += e.quantity;
        // The hold goes once its last line is released.
        if (Hold *hold = m_holds.find(e.orderId)) {
            auto &lines = hold->lines;
            const auto line = std::find_if(lines.begin(), lines.end(), [&](const ReservationLine &l) {
                return l.sku == e.sku && l.quantity == e.quantity;
            });
            if (line != lines.end())
                lines.erase(line);
            if (lines.empty())
                m_holds.erase(e.orderId);
        }
        break;
    }
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
    if (hold->state != HoldState::Reserved)
        return precondition("the stock of order " + std::to_string(orderId) + " is already confirmed");
    std::vector<Event> events;
    const std::vector<ReservationLine> lines = hold->lines;
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
    const std::lock_guard lock(m_mutex);
    Hold *hold = m_holds.find(orderId);
    if (hold == nullptr)
        return precondition("order " + std::to_string(orderId) + " holds no stock to release");
    const bool sold = hold->state == HoldState::Sold;
    if (sold != (reason == ReleaseReason::Refunded))
        return precondition(sold
                                ? "the stock of order " + std::to_string(orderId) + " is sold; only a refund returns it"
                                : "the stock of order " + std::to_string(orderId) +
                                      " is only reserved; a refund needs a confirmed order");
    return releaseLocked(orderId, *hold, reason, now);
}

std::vector<Event> InventoryLedger::expire(TimePoint now)
{
    const std::lock_guard lock(m_mutex);
    std::vector<Event> events;
    while (!m_expiries.empty() && m_expiries.begin()->first <= now) {
        const std::int64_t orderId = m_expiries.begin()->second;
        m_expiries.erase(m_expiries.begin());
        Hold *hold = m_holds.find(orderId);
        // Released or confirmed meanwhile, or a newer hold of a reused order id.
        if (hold == nullptr || hold->state != HoldState::Reserved || hold->expiresAt > now)
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
    if (hold == nullptr || hold->state != HoldState::Reserved)
        return;
    for (const ReservationLine &line : hold->lines) {
        StockLevel &level = m_levels[line.sku];
        level.reserved -= line.quantity;
        level.available += line.quantity;
        std::deque<Event> &recent = m_recent[line.sku];
        std::erase_if(recent, [&](const Event &e) { return e.orderId == orderId && e.type == EventType::Reserved; });
    }
    m_holds.erase(orderId); // its expiry entry is skipped when it comes up
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
    if (hold == nullptr || hold->state != HoldState::Reserved)
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
    std::size_t open = 0;
    m_holds.forEach([&open](std::int64_t, const Hold &hold) { open += hold.state == HoldState::Reserved ? 1 : 0; });
    return open;
}

} // namespace flywheel::inventory
