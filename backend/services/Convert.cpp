#include "services/Convert.h"

namespace flywheel::convert {

grpc::Status toStatus(const Error &error)
{
    switch (error.code) {
    case ErrorCode::InvalidArgument:
        return {grpc::StatusCode::INVALID_ARGUMENT, error.message};
    case ErrorCode::NotFound:
        return {grpc::StatusCode::NOT_FOUND, error.message};
    case ErrorCode::FailedPrecondition:
        return {grpc::StatusCode::FAILED_PRECONDITION, error.message};
    case ErrorCode::Aborted:
        return {grpc::StatusCode::ABORTED, error.message};
    case ErrorCode::ResourceExhausted:
        return {grpc::StatusCode::RESOURCE_EXHAUSTED, error.message};
    case ErrorCode::Unauthenticated:
        return {grpc::StatusCode::UNAUTHENTICATED, error.message};
    case ErrorCode::Unavailable:
        return {grpc::StatusCode::UNAVAILABLE, error.message};
    case ErrorCode::Internal:
        return {grpc::StatusCode::INTERNAL, error.message};
    }
    return {grpc::StatusCode::INTERNAL, error.message};
}

void toProto(TimePoint t, google::protobuf::Timestamp *out)
{
    const std::int64_t ms = toEpochMs(t);
    std::int64_t seconds = ms / 1000;
    std::int64_t remainderMs = ms % 1000;
    if (remainderMs < 0) {
        remainderMs += 1000;
        --seconds;
    }
    out->set_seconds(seconds);
    out->set_nanos(static_cast<std::int32_t>(remainderMs * 1000000));
}

TimePoint fromProto(const google::protobuf::Timestamp &t)
{
    return fromEpochMs(t.seconds() * 1000 + t.nanos() / 1000000);
}

namespace {

void setMoney(Money money, const std::string &currency, v1::Money *out)
{
    out->set_minor_units(money.minorUnits());
    out->set_currency(currency);
}

} // namespace

void toProto(const Product &product, const std::string &currency, v1::Product *out)
{
    out->set_sku(product.sku);
    out->set_name(product.name);
    out->set_category(product.category);
    setMoney(product.listPrice, currency, out->mutable_list_price());
    out->set_stock(product.stock);
}

void toProto(const User &user, v1::User *out)
{
    out->set_uid(user.uid);
    out->set_registered_at(toEpochMs(user.registeredAt) / 1000);
    switch (user.device) {
    case DeviceType::Ios:
        out->set_device(v1::DEVICE_TYPE_IOS);
        break;
    case DeviceType::Android:
        out->set_device(v1::DEVICE_TYPE_ANDROID);
        break;
    case DeviceType::Web:
        out->set_device(v1::DEVICE_TYPE_WEB);
        break;
    }
    out->set_region(user.region);
    out->set_install_channel(user.installChannel);
}

void toProto(const Order &order, const std::string &currency, v1::Order *out)
{
    out->set_order_id(order.id);
    out->set_uid(order.uid);
    out->set_channel(order.channel);
    setMoney(order.total, currency, out->mutable_total());
    toProto(order.createdAt, out->mutable_created_at());
    setMoney(order.listTotal, currency, out->mutable_list_total());
    out->set_rule_set_version(order.ruleSetVersion);
    for (const PriceAdjustment &a : order.adjustments) {
        v1::PriceAdjustment *adjustment = out->add_adjustments();
        adjustment->set_rule_id(a.ruleId);
        adjustment->set_rule_name(a.ruleName);
        adjustment->set_amount_minor(a.amount.minorUnits());
    }
    for (const OrderLine &line : order.lines) {
        v1::OrderLine *l = out->add_lines();
        l->set_sku(line.sku);
        l->set_quantity(line.quantity);
        setMoney(line.unitPrice, currency, l->mutable_unit_price());
        setMoney(line.listPrice, currency, l->mutable_list_price());
        // Cannot overflow: the order total containing it was checked.
        setMoney(Money(line.unitPrice.minorUnits() * line.quantity), currency, l->mutable_line_total());
    }
    out->set_status(toProto(order.status));
    if (order.status == OrderStatus::Created)
        toProto(order.expiresAt, out->mutable_expires_at());
    if (order.paidAt != TimePoint{})
        toProto(order.paidAt, out->mutable_paid_at());
    if (order.closedAt != TimePoint{})
        toProto(order.closedAt, out->mutable_closed_at());
}

v1::OrderStatus toProto(OrderStatus status)
{
    switch (status) {
    case OrderStatus::Created:
        return v1::ORDER_STATUS_CREATED;
    case OrderStatus::Paid:
        return v1::ORDER_STATUS_PAID;
    case OrderStatus::Cancelled:
        return v1::ORDER_STATUS_CANCELLED;
    case OrderStatus::Expired:
        return v1::ORDER_STATUS_EXPIRED;
    case OrderStatus::Refunded:
        return v1::ORDER_STATUS_REFUNDED;
    }
    return v1::ORDER_STATUS_UNSPECIFIED;
}

void toProto(const inventory::Event &event, v1::InventoryEvent *out)
{
    out->set_seq(event.seq);
    switch (event.type) {
    case inventory::EventType::Received:
        out->set_type(v1::INVENTORY_EVENT_TYPE_RECEIVED);
        break;
    case inventory::EventType::Reserved:
        out->set_type(v1::INVENTORY_EVENT_TYPE_RESERVED);
        toProto(event.expiresAt, out->mutable_expires_at());
        break;
    case inventory::EventType::Confirmed:
        out->set_type(v1::INVENTORY_EVENT_TYPE_CONFIRMED);
        break;
    case inventory::EventType::Released:
        out->set_type(v1::INVENTORY_EVENT_TYPE_RELEASED);
        break;
    }
    switch (event.reason) {
    case inventory::ReleaseReason::None:
        break;
    case inventory::ReleaseReason::Cancelled:
        out->set_reason(v1::RELEASE_REASON_CANCELLED);
        break;
    case inventory::ReleaseReason::Expired:
        out->set_reason(v1::RELEASE_REASON_EXPIRED);
        break;
    case inventory::ReleaseReason::Refunded:
        out->set_reason(v1::RELEASE_REASON_REFUNDED);
        break;
    }
    out->set_sku(event.sku);
    out->set_order_id(event.orderId);
    out->set_quantity(event.quantity);
    toProto(event.at, out->mutable_at());
}

void toProto(const Product &product, const inventory::StockLevel &level, std::int64_t lowThreshold, v1::StockLevel *out)
{
    out->set_sku(product.sku);
    out->set_name(product.name);
    out->set_category(product.category);
    out->set_received(level.received);
    out->set_available(level.available);
    out->set_reserved(level.reserved);
    out->set_sold(level.sold);
    out->set_low(level.available <= lowThreshold);
}

OrderRequest fromProto(const v1::CreateOrderRequest &request)
{
    OrderRequest r;
    r.uid = request.uid();
    r.channel = request.channel();
    r.items.reserve(static_cast<std::size_t>(request.items_size()));
    for (const v1::OrderItem &item : request.items())
        r.items.push_back(OrderRequestItem{item.sku(), item.quantity()});
    return r;
}

std::optional<MetricsWindow> fromProto(v1::MetricsWindow window)
{
    switch (window) {
    case v1::METRICS_WINDOW_5M:
        return MetricsWindow::FiveMinutes;
    case v1::METRICS_WINDOW_1H:
        return MetricsWindow::OneHour;
    case v1::METRICS_WINDOW_24H:
        return MetricsWindow::OneDay;
    case v1::METRICS_WINDOW_7D:
        return MetricsWindow::SevenDays;
    default:
        return std::nullopt;
    }
}

v1::MetricsWindow toProto(MetricsWindow window)
{
    switch (window) {
    case MetricsWindow::FiveMinutes:
        return v1::METRICS_WINDOW_5M;
    case MetricsWindow::OneHour:
        return v1::METRICS_WINDOW_1H;
    case MetricsWindow::OneDay:
        return v1::METRICS_WINDOW_24H;
    case MetricsWindow::SevenDays:
        return v1::METRICS_WINDOW_7D;
    }
    return v1::METRICS_WINDOW_UNSPECIFIED;
}

namespace {

void toProto(const Kpis &kpis, v1::Kpis *out)
{
    out->set_gmv_minor(kpis.gmvMinor);
    out->set_orders(kpis.orders);
    out->set_paying_users(kpis.payingUsers);
    out->set_repeat_users(kpis.repeatUsers);
    out->set_arpu_minor(kpis.arpuMinor());
    out->set_repeat_rate(kpis.repeatRate());
}

} // namespace

void toProto(const MetricsSnapshot &snapshot, const std::string &currency, v1::DashboardSnapshot *out)
{
    out->set_window(toProto(snapshot.window));
    toProto(snapshot.asOf, out->mutable_as_of());
    out->set_currency(currency);
    toProto(snapshot.current, out->mutable_current());
    toProto(snapshot.previous, out->mutable_previous());
    out->set_bucket_seconds(snapshot.bucket.count());
    out->mutable_series()->Reserve(static_cast<int>(snapshot.series.size()));
    for (const SeriesPoint &point : snapshot.series) {
        v1::SeriesPoint *p = out->add_series();
        toProto(point.start, p->mutable_start());
        p->set_gmv_minor(point.gmvMinor);
        p->set_orders(point.orders);
        p->set_window_gmv_minor(point.windowGmvMinor);
        p->set_window_paying_users(point.windowPayingUsers);
        p->set_window_repeat_users(point.windowRepeatUsers);
    }
}

v1::ReachChannel toProto(segments::Channel channel)
{
    switch (channel) {
    case segments::Channel::Push:
        return v1::REACH_CHANNEL_PUSH;
    case segments::Channel::Sms:
        return v1::REACH_CHANNEL_SMS;
    case segments::Channel::InApp:
        return v1::REACH_CHANNEL_IN_APP;
    }
    return v1::REACH_CHANNEL_UNSPECIFIED;
}

std::optional<segments::Channel> fromProto(v1::ReachChannel channel)
{
    switch (channel) {
    case v1::REACH_CHANNEL_PUSH:
        return segments::Channel::Push;
    case v1::REACH_CHANNEL_SMS:
        return segments::Channel::Sms;
    case v1::REACH_CHANNEL_IN_APP:
        return segments::Channel::InApp;
    default:
        return std::nullopt;
    }
}

} // namespace flywheel::convert
