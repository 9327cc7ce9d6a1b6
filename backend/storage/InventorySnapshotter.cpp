#include "storage/InventorySnapshotter.h"

#include <algorithm>

namespace flywheel {

InventorySnapshotter::InventorySnapshotter(InventoryStore &store, std::int64_t eventsPerSnapshot,
                                           std::int64_t eventsPerEntry)
    : m_store(store), m_eventsPerSnapshot(std::max<std::int64_t>(1, eventsPerSnapshot)),
      m_eventsPerEntry(std::max<std::int64_t>(0, eventsPerEntry))
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
    const std::lock_guard lock(m_queueMutex);
    for (const JournalEntry &entry : entries) {
        if (entry.transition)
            m_queued.insert(m_queued.end(), entry.transition->events.begin(), entry.transition->events.end());
        m_queued.insert(m_queued.end(), entry.events.begin(), entry.events.end());
    }
}

void InventorySnapshotter::applyQueuedLocked()
{
    std::vector<inventory::Event> events;
    {
        const std::lock_guard lock(m_queueMutex);
        events.swap(m_queued);
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
    {
        const std::lock_guard lock(m_saveMutex);
        applyQueuedLocked();
        const std::int64_t since = m_stored.lastSeq() - m_snapshotSeq.load();
        if (since <= m_eventsPerSnapshot)
            return false;
        if (m_eventsPerEntry > 0 &&
            since <= m_eventsPerEntry * static_cast<std::int64_t>(m_stored.snapshotEntries()))
            return false;
    }
    return snapshot(now);
}

bool InventorySnapshotter::snapshot(TimePoint now)
{
    const std::lock_guard lock(m_saveMutex);
    applyQueuedLocked();
    inventory::LedgerSnapshot snapshot = m_stored.snapshot();
    if (snapshot.seq <= m_snapshotSeq.load())
        return false;
    m_store.saveInventorySnapshot(snapshot, now);
    m_snapshotSeq = snapshot.seq;
    return true;
}

inventory::LedgerSnapshot InventorySnapshotter::stored()
{
    const std::lock_guard lock(m_saveMutex);
    applyQueuedLocked();
    return m_stored.snapshot();
}

} // namespace flywheel
