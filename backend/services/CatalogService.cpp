#include "services/CatalogService.h"

#include "services/Convert.h"
#include "services/Reactors.h"

#include <algorithm>

namespace flywheel {

grpc::ServerUnaryReactor *CatalogServiceImpl::ListProducts(grpc::CallbackServerContext *context,
                                                           const v1::ListProductsRequest *request,
                                                           v1::ListProductsResponse *response)
{
    for (const Product &product : m_context.catalog.products()) {
        if (request->category().empty() || product.category == request->category())
            convert::toProto(product, m_context.currency, response->add_products());
    }
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *CatalogServiceImpl::ListUsers(grpc::CallbackServerContext *context,
                                                        const v1::ListUsersRequest *request,
                                                        v1::ListUsersResponse *response)
{
    constexpr int kMaxPage = 10000;
    if (request->limit() < 0 || request->limit() > kMaxPage)
        return finished(context,
                        {grpc::StatusCode::INVALID_ARGUMENT, "limit must be between 0 and " + std::to_string(kMaxPage) +
                                                                 ", got " + std::to_string(request->limit())});
    const std::size_t limit = request->limit() == 0 ? 1000 : static_cast<std::size_t>(request->limit());
    // Those registered through an invite since the start too.
    const UserDirectory::Page page = m_context.users.page(request->after_uid(), limit);
    for (const User &user : page.users)
        convert::toProto(user, response->add_users());
    response->set_total(static_cast<std::int64_t>(page.total));
    return finished(context, grpc::Status::OK);
}

} // namespace flywheel
