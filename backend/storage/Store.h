#pragma once

#include "domain/Catalog.h"
#include "domain/DemoData.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/Order.h"
#include "domain/orders/IdempotencyTable.h"
#include "domain/orders/OrderBook.h"
#include "domain/referral/CommissionLedger.h"
#include "domain/referral/Funnel.h"
#include "domain/referral/InviteGraph.h"
#include "storage/AlertStore.h"
#include "storage/AuditStore.h"
#include "storage/CatalogStore.h"
#include "storage/ExperimentStore.h"
#include "storage/InventoryStore.h"
#include "storage/OrderStore.h"
#include "storage/PaymentStore.h"
#include "storage/PricingStore.h"
#include "storage/ReferralStore.h"
#include "storage/SegmentStore.h"
#include "storage/StoreCommon.h"
#include "storage/SubsidyStore.h"

namespace flywheel {

/// Durable state of one backend: every store area in one interface. SQLite is the
/// embedded implementation of all of them. Consumers take only the area they use
/// (SegmentManager a SegmentStore, OrderWriter an OrderStore, ...), so a server
/// database can implement the areas one at a time for replicated deployments.
/// Implementations are safe to call from several threads.
class Store : public CatalogStore,
              public OrderStore,
              public InventoryStore,
              public PricingStore,
              public SegmentStore,
              public ReferralStore,
              public SubsidyStore,
              public ExperimentStore,
              public PaymentStore,
              public AuditStore,
              public AlertStore {
};

} // namespace flywheel
