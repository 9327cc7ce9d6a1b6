#include "storage/InventorySnapshotter.h"

#include <algorithm>

namespace flywheel {

InventorySnapshotter::InventorySnapshotter(InventoryStore &store, std::int64_t eventsPerSnapshot)
    : m_store(store), m_eventsPerSnapshot(std::max<std::int64_t>(1, eventsPerSnapshot))
{}

std::size_t InventorySnapshotter::load(inventory::InventoryLedger &live)
{
    const std::optional<inventory::LedgerSnapshot> snapshot = m_store.loadInventorySnapshot();
    if (snapshot)
        m_stored.restore(*snapshot);
    const std::vector<inventory::Event> tail = m_store.loadInventoryEvents(snapshot ? snapshot->seq : 0);
    m_stored.replay(tail);
    live.restore(m_stored.snapshot());
    m_snapshotSeq = snapshot ? snapshot->seq : 0;
    return tail.size();
}

void InventorySnapshotter::committed(const std::vector<JournalEntry> &entries)
{
    std::vector<inventory::Event> events;
    for (const JournalEntry &entry : entries) {
        if (entry.transition)
            events.insert(events.end(), entry.transition->events.begin(), entry.transition->events.end());
        events.insert(events.end(), entry.events.begin(), entry.events.end());
    }
    if (events.empty())
        return;
    // Submitted in the order the ledger applied them (the order book hands them over
    // under its lock), so already in sequence order; a replay must be.
    const auto bySeq = [](const inventory::Event &a, const inventory::Event &b) { return a.seq < b.seq; };
    if (!std::is_sorted(events.begin(), events.end(), bySeq))
        std::sort(events.begin(), events.end(), bySeq);
    m_stored.replay(events);
}

bool InventorySnapshotter::snapshotIfDue(TimePoint now)
{
    if (m_stored.lastSeq() - m_snapshotSeq.load() <= m_eventsPerSnapshot)
        return false;
    return snapshot(now);
}

bool InventorySnapshotter::snapshot(TimePoint now)
{
    const std::lock_guard lock(m_saveMutex);
    inventory::LedgerSnapshot snapshot = m_stored.snapshot();
    if (snapshot.seq <= m_snapshotSeq.load())
        return false;
    m_store.saveInventorySnapshot(snapshot, now);
    m_snapshotSeq = snapshot.seq;
    return true;
}

} // namespace flywheel
