#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/orders/IdempotencyTable.h"
#include "domain/orders/OrderBook.h"
#include "services/AuditTrail.h"
#include "storage/AuditStore.h"
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
namespace flywheel::experiments {
class VariantChooser;
}

namespace flywheel::subsidy {
class SubsidyManager;
}
namespace flywheel::payments {
class PaymentManager;
}

#include <atomic>
#include <string>
#include <vector>

namespace flywheel {
namespace alerts {
class AlertMonitor;
}

/// The store areas the services use directly: orders (lookups, idempotency keys),
/// rule set versions and the audit log. Everything else goes through the managers.
struct ServiceStores {
    /// One store implementing every area (what Backend passes); implicit on purpose.
    ServiceStores(Store &store) : orders(store), pricing(store), audit(store) {}
    ServiceStores(OrderStore &orderStore, PricingStore &pricingStore, AuditStore &auditStore)
        : orders(orderStore), pricing(pricingStore), audit(auditStore)
    {}

    OrderStore &orders;
    PricingStore &pricing;
    AuditStore &audit;
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
    /// Said at start and in GetServerInfo: how this daemon is less safe than it
    /// should be (e.g. plaintext on a network address). Set before serving.
    std::vector<std::string> warnings{};
    /// Operator changes made through the API go to the audit log through this.
    AuditTrail audit{store.audit, clock};
    /// Who makes each call (auth::Callers::of); null without a tokens file: every
    /// caller is then the local operator.
    const auth::Callers *callers = nullptr;
    /// First-order subsidies decided at CreateOrder; null: none.
    subsidy::SubsidyManager *subsidies = nullptr;
    /// The business alerts: CreateOrder's latency feeds order_path_p99; null: none.
    alerts::AlertMonitor *alerts = nullptr;
    /// The storefront's experiment variants (invite copy, first-order subsidy); null:
    /// the defaults apply.
    experiments::VariantChooser *variants = nullptr;
    /// Payment channels; an order paid through one is refunded through it. Null: none.
    payments::PaymentManager *payments = nullptr;
};

} // namespace flywheel
