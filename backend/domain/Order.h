#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/Money.h"
#include "domain/Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel {

struct OrderLine {
    std::string sku;
    std::int64_t quantity = 0;
    /// What the buyer pays per unit, after line-level pricing rules.
    Money unitPrice;
    /// The catalogue price when ordered; 0 when unknown (orders of schema 2).
    Money listPrice;
};

/// A pricing rule that changed an order's price; negative makes it cheaper.
struct PriceAdjustment {
    std::string ruleId;
    std::string ruleName;
    Money amount;
};

/// created -> paid -> refunded; created -> cancelled; created -> expired.
enum class OrderStatus { Created, Paid, Cancelled, Expired, Refunded };

const char *orderStatusName(OrderStatus status);
/// Parses the names orderStatusName gives; false for anything else.
bool parseOrderStatus(std::string_view name, OrderStatus &status);

struct Order {
    /// Assigned before the order is reserved and stored; 0 before.
    std::int64_t id = 0;
    std::int64_t uid = 0;
    std::vector<OrderLine> lines;
    Money total;
    std::string channel;
    TimePoint createdAt;
    /// At list prices: total minus the adjustments.
    Money listTotal;
    std::vector<PriceAdjustment> adjustments;
    /// The rule set version the whole order was priced with; 0 for none.
    std::int64_t ruleSetVersion = 0;
    OrderStatus status = OrderStatus::Created;
    /// While created: when the stock reservation lapses.
    TimePoint expiresAt;
    /// Set once paid; the epoch before.
    TimePoint paidAt;
    /// Set once cancelled, expired or refunded; the epoch before.
    TimePoint closedAt;
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
