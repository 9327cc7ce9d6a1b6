#pragma once

#include "domain/Catalog.h"
#include "domain/Order.h"

#include <cstdint>
#include <vector>

namespace flywheel {

/// A realistic starting point for demo mode: a catalogue in several categories,
/// a user base with registration dates, devices, regions and install channels, and
/// two weeks of order history so every dashboard window has something to show.
struct DemoDataset {
    std::vector<Product> products;
    std::vector<User> users;
    /// Oldest first, ids unassigned.
    std::vector<Order> history;
};

struct DemoDataOptions {
    std::size_t productsPerCategory = 30; // 8 categories
    std::size_t users = 12000;
    std::chrono::hours historyLength{24 * 14};
    /// Average orders per hour of history (busier in the evening, quiet at night).
    std::size_t ordersPerHour = 3600;
    std::uint64_t seed = 20261124;
};

/// Deterministic for a given seed and `now`.
DemoDataset makeDemoDataset(TimePoint now, const DemoDataOptions &options = {});

} // namespace flywheel
