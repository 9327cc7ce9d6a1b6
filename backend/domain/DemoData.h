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
    /// When the data was made: the catalogue's stock is received then.
    TimePoint generatedAt;
};

struct DemoDataOptions {
    std::size_t productsPerCategory = 30; // 8 categories
    std::size_t users = 200000;
    std::chrono::hours historyLength{24 * 14};
    /// Average orders per hour of history (busier in the evening, quiet at night).
    std::size_t ordersPerHour = 1200;
    std::uint64_t seed = 20261124;
};

/// Which of `userCount` users places the next order: 2 % of the users are loyal
/// customers who place a quarter of the orders, the rest order now and then. With
/// the default volumes this gives a weekly repeat-purchase rate of about a third.
/// `random` is any uniformly distributed 64-bit number.
std::size_t pickCustomer(std::uint64_t random, std::size_t userCount);

/// Deterministic for a given seed and `now`.
DemoDataset makeDemoDataset(TimePoint now, const DemoDataOptions &options = {});

} // namespace flywheel
