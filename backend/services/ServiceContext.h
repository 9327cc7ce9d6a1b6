#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/MetricsAggregator.h"
#include "storage/OrderWriter.h"
#include "storage/Store.h"

namespace flywheel::pricing {
class PricingManager;
}

#include <atomic>
#include <string>

namespace flywheel {

/// What the gRPC services of one backend share. Owned by Backend, which outlives
/// the services.
struct ServiceContext {
    const Clock &clock;
    Store &store;
    const Catalog &catalog;
    const UserDirectory &users;
    OrderWriter &writer;
    MetricsAggregator &metrics;
    pricing::PricingManager &pricing;
    std::string currency;
    std::string mode;
    std::atomic<std::int64_t> ordersTotal{0};
    std::atomic<double> simulatedRate{0.0};
};

} // namespace flywheel
