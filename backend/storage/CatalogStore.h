#pragma once

#include "domain/Catalog.h"
#include "domain/DemoData.h"
#include "storage/StoreCommon.h"

#include <string>
#include <vector>

namespace flywheel {

/// The catalogue: products, users, the currency, the schema, the first seed.
class CatalogStore : public virtual StoreArea {
public:
    virtual int schemaVersion() const = 0;

    /// True when there is no catalogue yet (a new database).
    virtual bool isEmpty() = 0;
    /// Writes a whole demo dataset in one transaction; assigns ids to its orders.
    virtual void seed(DemoDataset &data) = 0;

    virtual std::vector<Product> loadProducts() = 0;
    virtual std::vector<User> loadUsers() = 0;

    /// ISO 4217 code of the currency all amounts are in.
    virtual std::string currency() = 0;
};

} // namespace flywheel
