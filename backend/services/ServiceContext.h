#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/orders/IdempotencyTable.h"
#include "domain/orders/OrderBook.h"
#include "storage/OrderWriter.h"
#include "storage/OrderStore.h"
#include "storage/PricingStore.h"
#include "storage/Store.h"

namespace flywheel::auth {
class Callers;
}

namespace flywheel::pricing {
class PricingManager;
}

#include <atomic>
#include <string>

namespace flywheel {

/// The store areas the services read directly: orders (lookups, idempotency keys)
/// and rule set versions. Everything else goes through the managers.
struct ServiceStores {
    /// One store implementing every area (what Backend passes); implicit on purpose.
    ServiceStores(Store &store) : orders(store), pricing(store) {}
    ServiceStores(OrderStore &orderStore, PricingStore &pricingStore) : orders(orderStore), pricing(pricingStore) {}

    OrderStore &orders;
    PricingStore &pricing;
};

/// What the gRPC services of one backend share. Owned by Backend, which outlives
/// the services.
struct ServiceContext {
    const Clock &clock;
    ServiceStores store;
    const Catalog &catalog;
    const UserDirectory &users;
    OrderWriter &writer;
    MetricsAggregator &metrics;
    pricing::PricingManager &pricing;
    inventory::InventoryLedger &ledger;
    orders::OrderBook &book;
    orders::IdempotencyTable &idempotency;
    std::string currency;
    std::string mode;
    /// A SKU is low on stock at or below this many available units.
    std::int64_t lowStockThreshold = 10;
    /// The next order id to assign.
    std::atomic<std::int64_t> nextOrderId{1};
    std::atomic<std::int64_t> ordersTotal{0};
    std::atomic<double> simulatedRate{0.0};
    /// Who makes each call (auth::Callers::of); null without a tokens file: every
    /// caller is then the local operator.
    const auth::Callers *callers = nullptr;
};

} // namespace flywheel
