#pragma once

#include "services/ServiceContext.h"

#include "flywheel/v1/catalog.grpc.pb.h"

namespace flywheel {

/// The products and users the backend knows.
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

} // namespace flywheel
