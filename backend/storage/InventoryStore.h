#pragma once

#include "domain/inventory/InventoryLedger.h"
#include "storage/StoreCommon.h"

#include <vector>

namespace flywheel {

/// The inventory event log, replayed at start. Events are written with the orders
/// that cause them (OrderStore::appendJournal).
class InventoryStore : public virtual StoreArea {
public:
    /// The whole inventory event log in sequence order.
    virtual std::vector<inventory::Event> loadInventoryEvents() = 0;
};

} // namespace flywheel
