#pragma once

#include "services/ServiceContext.h"

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

namespace flywheel {

/// The unary services. Thin: they translate between protobuf and the domain and map
/// domain errors to status codes; the work is done by the domain and storage.
class SystemServiceImpl final : public v1::SystemService::CallbackService {
public:
    explicit SystemServiceImpl(ServiceContext &context) : m_context(context) {}
    grpc::ServerUnaryReactor *Ping(grpc::CallbackServerContext *context, const v1::PingRequest *request,
                                   v1::PingResponse *response) override;
    grpc::ServerUnaryReactor *GetServerInfo(grpc::CallbackServerContext *context,
                                            const v1::GetServerInfoRequest *request, v1::ServerInfo *response) override;

private:
    ServiceContext &m_context;
};

class CatalogServiceImpl final : public v1::CatalogService::CallbackService {
public:
    explicit CatalogServiceImpl(ServiceContext &context) : m_context(context) {}
    grpc::ServerUnaryReactor *ListProducts(grpc::CallbackServerContext *context, const v1::ListProductsRequest *request,
                                           v1::ListProductsResponse *response) override;
    grpc::ServerUnaryReactor *ListUsers(grpc::CallbackServerContext *context, const v1::ListUsersRequest *request,
                                        v1::ListUsersResponse *response) override;

private:
    ServiceContext &m_context;
};

class OrderServiceImpl final : public v1::OrderService::CallbackService {
public:
    explicit OrderServiceImpl(ServiceContext &context) : m_context(context) {}
    grpc::ServerUnaryReactor *CreateOrder(grpc::CallbackServerContext *context, const v1::CreateOrderRequest *request,
                                          v1::Order *response) override;

private:
    ServiceContext &m_context;
};

} // namespace flywheel
