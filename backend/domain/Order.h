#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/Money.h"
#include "domain/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flywheel {

struct OrderLine {
    std::string sku;
    std::int64_t quantity = 0;
    Money unitPrice;
};

struct Order {
    /// Assigned when the order is committed; 0 before.
    std::int64_t id = 0;
    std::int64_t uid = 0;
    std::vector<OrderLine> lines;
    Money total;
    std::string channel;
    TimePoint createdAt;
};

struct OrderRequestItem {
    std::string sku;
    std::int64_t quantity = 0;
};

struct OrderRequest {
    std::int64_t uid = 0;
    std::vector<OrderRequestItem> items;
    std::string channel;
};

/// Limits on what one order may contain.
inline constexpr std::size_t kMaxOrderLines = 100;
inline constexpr std::int64_t kMaxLineQuantity = 10000;

/// Checks a request against the catalogue and users and prices it at list price.
/// Every refusal names the offending field.
Result<Order> priceOrder(const OrderRequest &request, const Catalog &catalog, const UserDirectory &users,
                         TimePoint now);

} // namespace flywheel
