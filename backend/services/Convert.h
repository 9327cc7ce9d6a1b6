#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/inventory/InventoryLedger.h"
#include "domain/MetricsAggregator.h"
#include "domain/Order.h"
#include "domain/Result.h"
#include "domain/segments/SegmentSet.h"

#include "flywheel/v1/catalog.pb.h"
#include "flywheel/v1/inventory.pb.h"
#include "flywheel/v1/metrics.pb.h"
#include "flywheel/v1/orders.pb.h"
#include "flywheel/v1/segments.pb.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/support/status.h>

#include <optional>
#include <string>

namespace flywheel {

/// Translation between the domain and the flywheel.v1 wire types.
namespace convert {

grpc::Status toStatus(const Error &error);

/// A value of one of the contract's enums for an error message: its name
/// ("COMMISSION_STATE_PENDING"), or "7 (no such value)" when the contract has none.
template <typename Enum>
std::string enumName(int value)
{
    const google::protobuf::EnumDescriptor *descriptor = google::protobuf::GetEnumDescriptor<Enum>();
    if (const google::protobuf::EnumValueDescriptor *named = descriptor->FindValueByNumber(value))
        return std::string(named->name());
    return std::to_string(value) + " (no such value)";
}

void toProto(TimePoint t, google::protobuf::Timestamp *out);
TimePoint fromProto(const google::protobuf::Timestamp &t);

void toProto(const Product &product, const std::string &currency, v1::Product *out);
void toProto(const User &user, v1::User *out);
void toProto(const Order &order, const std::string &currency, v1::Order *out);
v1::OrderStatus toProto(OrderStatus status);
OrderRequest fromProto(const v1::CreateOrderRequest &request);
void toProto(const inventory::Event &event, v1::InventoryEvent *out);
void toProto(const Product &product, const inventory::StockLevel &level, std::int64_t lowThreshold,
             v1::StockLevel *out);

std::optional<MetricsWindow> fromProto(v1::MetricsWindow window);
v1::MetricsWindow toProto(MetricsWindow window);
void toProto(const MetricsSnapshot &snapshot, const std::string &currency, v1::DashboardSnapshot *out);

v1::ReachChannel toProto(segments::Channel channel);
std::optional<segments::Channel> fromProto(v1::ReachChannel channel);

} // namespace convert
} // namespace flywheel
