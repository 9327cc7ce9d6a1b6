#pragma once

#include "domain/inventory/InventoryLedger.h"
#include "storage/InventoryStore.h"
#include "storage/OrderStore.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace flywheel {

/// Start-up from the newest inventory snapshot and the events after it, and the
/// snapshots that keep that tail short.
///
/// A snapshot must describe exactly the events that are stored up to its seq. The
/// live ledger runs ahead of the store (the order writer commits its events a
/// little later, and a commit can fail), so snapshots are not taken of it: this
/// keeps a second ledger that applies the events of every committed batch, in
/// commit order, and is therefore always the state a replay of the stored log
/// builds. Snapshots are taken of that one. Thread-safe.
///
/// The commit listener only queues a batch's events; the second ledger applies them
/// when a snapshot is considered (the housekeeper, every tick), so the writer's
/// completion thread, which answers the orders, does no ledger work for it. A
/// snapshot costs what the ledger holds (open reservations, SKUs, recent events), so
/// one is due only when more events than both eventsPerSnapshot and
/// eventsPerEntry times that size were stored since the last: its cost is spread over
/// at least eventsPerEntry events per entry, and a restart replays at most about
/// that many, whatever the history.
class InventorySnapshotter final {
public:
    /// A snapshot is due when more events than this were stored since the last...
    static constexpr std::int64_t kEventsPerSnapshot = 100'000;
    /// ...and more than this many times the entries the snapshot would hold.
    static constexpr std::int64_t kEventsPerEntry = 2;

    explicit InventorySnapshotter(InventoryStore &store, std::int64_t eventsPerSnapshot = kEventsPerSnapshot,
                                  std::int64_t eventsPerEntry = kEventsPerEntry);
    InventorySnapshotter(const InventorySnapshotter &) = delete;
    InventorySnapshotter &operator=(const InventorySnapshotter &) = delete;

    /// Start-up: restores the newest snapshot and replays the events stored after it,
    /// into `live` and into its own ledger. Returns how many events it replayed.
    std::size_t load(inventory::InventoryLedger &live);
    /// The order writer's commit listener: queues the inventory events of a batch
    /// that was committed, for the second ledger.
    void committed(const std::vector<JournalEntry> &entries);
    /// Saves a snapshot when it is due (see the class): more events stored since the
    /// last one (or since start-up replayed them) than eventsPerSnapshot and than
    /// eventsPerEntry times its entries. True when it saved one.
    bool snapshotIfDue(TimePoint now);
    /// Saves a snapshot of what is stored now, unless the last one already has it
    /// (clean shutdown, after the order writer stopped). True when it saved one.
    bool snapshot(TimePoint now);
    /// The seq of the last snapshot saved or loaded; 0 for none.
    std::int64_t snapshotSeq() const { return m_snapshotSeq.load(); }
    /// The state of the stored events.
    inventory::LedgerSnapshot stored();

private:
    /// Applies the queued events to m_stored; m_saveMutex is held.
    void applyQueuedLocked();

    InventoryStore &m_store;
    const std::int64_t m_eventsPerSnapshot;
    const std::int64_t m_eventsPerEntry;
    inventory::InventoryLedger m_stored;
    /// Serialises saves (the housekeeper and shutdown) and guards m_stored's replays.
    std::mutex m_saveMutex;
    /// Events of committed batches not yet applied to m_stored, in commit order.
    std::mutex m_queueMutex;
    std::vector<inventory::Event> m_queued;
    std::atomic<std::int64_t> m_snapshotSeq{0};
};

} // namespace flywheel
