#pragma once

#include "domain/inventory/InventoryLedger.h"
#include "storage/StoreCommon.h"

#include <optional>
#include <vector>

namespace flywheel {

/// The inventory event log and snapshots of the ledger. Events are written with
/// the orders that cause them (OrderStore::appendJournal) and kept; start-up
/// restores the newest snapshot and replays only the events after it.
class InventoryStore : public virtual StoreArea {
public:
    /// The events after `afterSeq` (0: the whole log) in sequence order.
    virtual std::vector<inventory::Event> loadInventoryEvents(std::int64_t afterSeq) = 0;
    /// The newest snapshot; nullopt when none was saved.
    virtual std::optional<inventory::LedgerSnapshot> loadInventorySnapshot() = 0;
    /// Saves `snapshot` in one transaction and drops older ones. Every event up to
    /// its seq must already be stored (its recent events are kept by reference to
    /// them); StorageError otherwise, and nothing changes.
    virtual void saveInventorySnapshot(const inventory::LedgerSnapshot &snapshot, TimePoint takenAt) = 0;
};

} // namespace flywheel
