#include "domain/Order.h"

namespace flywheel {

namespace {

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

bool knownChannel(const std::string &channel)
{
    return channel == "app" || channel == "mini_program" || channel == "web";
}

} // namespace

Result<Order> priceOrder(const OrderRequest &request, const Catalog &catalog, const UserDirectory &users, TimePoint now)
{
    if (request.uid <= 0)
        return invalid("uid must be a positive user id, got " + std::to_string(request.uid));
    if (users.find(request.uid) == nullptr)
        return Error{ErrorCode::NotFound, "no user with uid " + std::to_string(request.uid)};
    if (request.items.empty())
        return invalid("items must name at least one product");
    if (request.items.size() > kMaxOrderLines)
        return invalid("items has " + std::to_string(request.items.size()) + " lines, at most " +
                       std::to_string(kMaxOrderLines) + " are allowed");
    if (!request.channel.empty() && !knownChannel(request.channel))
        return invalid("channel \"" + request.channel + "\" is unknown; expected app, mini_program or web");

    Order order;
    order.uid = request.uid;
    order.channel = request.channel.empty() ? "app" : request.channel;
    order.createdAt = now;
    order.lines.reserve(request.items.size());
    for (std::size_t i = 0; i < request.items.size(); ++i) {
        const OrderRequestItem &item = request.items[i];
        const std::string where = "items[" + std::to_string(i) + "]";
        if (item.sku.empty())
            return invalid(where + ".sku is empty");
        if (item.quantity <= 0 || item.quantity > kMaxLineQuantity)
            return invalid(where + ".quantity must be between 1 and " + std::to_string(kMaxLineQuantity) + ", got " +
                           std::to_string(item.quantity));
        const Product *product = catalog.find(item.sku);
        if (product == nullptr)
            return Error{ErrorCode::NotFound, where + ".sku \"" + item.sku + "\" is not in the catalogue"};
        const auto lineTotal = product->listPrice.times(item.quantity);
        const auto total = lineTotal ? order.total.plus(*lineTotal) : std::nullopt;
        if (!total)
            return invalid("order total overflows at " + where);
        order.total = *total;
        order.lines.push_back(OrderLine{item.sku, item.quantity, product->listPrice, product->listPrice});
    }
    order.listTotal = order.total;
    return order;
}

namespace {

constexpr std::pair<OrderStatus, const char *> kStatusNames[] = {
    {OrderStatus::Created, "created"}, {OrderStatus::Paid, "paid"},         {OrderStatus::Cancelled, "cancelled"},
    {OrderStatus::Expired, "expired"}, {OrderStatus::Refunded, "refunded"},
};

} // namespace

const char *orderStatusName(OrderStatus status)
{
    for (const auto &[value, name] : kStatusNames) {
        if (value == status)
            return name;
    }
    return "created";
}

bool parseOrderStatus(std::string_view name, OrderStatus &status)
{
    for (const auto &[value, text] : kStatusNames) {
        if (name == text) {
            status = value;
            return true;
        }
    }
    return false;
}

} // namespace flywheel
