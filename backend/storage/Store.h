#pragma once

#include "domain/Catalog.h"
#include "domain/DemoData.h"
#include "domain/MetricsAggregator.h"
#include "domain/Order.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace flywheel {

/// A storage failure. The message names the database and says what went wrong in
/// words an operator can act on.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Durable state of one backend. SQLite is the embedded implementation; a server
/// database can implement the same interface for replicated deployments.
/// Implementations are safe to call from several threads.
class Store {
public:
    virtual ~Store() = default;

    /// Where the data lives, for messages: a file name or a connection description.
    virtual std::string location() const = 0;
    virtual int schemaVersion() const = 0;

    /// True when there is no catalogue yet (a new database).
    virtual bool isEmpty() = 0;
    /// Writes a whole demo dataset in one transaction; assigns ids to its orders.
    virtual void seed(DemoDataset &data) = 0;

    virtual std::vector<Product> loadProducts() = 0;
    virtual std::vector<User> loadUsers() = 0;

    /// Appends orders in one transaction. When this returns, the orders survive a
    /// crash of the process; ids must already be assigned and unused.
    virtual void appendOrders(const std::vector<Order> &orders) = 0;
    /// Orders created after `since`, oldest first.
    virtual std::vector<OrderFact> loadOrderFactsSince(TimePoint since) = 0;
    virtual std::int64_t maxOrderId() = 0;
    virtual std::int64_t orderCount() = 0;
    /// ISO 4217 code of the currency all amounts are in.
    virtual std::string currency() = 0;
};

} // namespace flywheel
