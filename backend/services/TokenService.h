#pragma once

#include "services/ServiceContext.h"

#include "flywheel/v1/tokens.grpc.pb.h"

namespace flywheel::auth {
class TokenBook;
}

namespace flywheel {

/// The bearer tokens of this backend, managed from the console: the tokens file the
/// daemon watches, edited through the same auth::TokenBook as `flywheeld token`.
/// Every create and revoke is an audit entry (area "tokens", object the token's name)
/// that never holds the token itself. Without a tokens file every call is
/// FAILED_PRECONDITION.
class TokenServiceImpl final : public v1::TokenService::CallbackService {
public:
    /// `book` is null when the backend has no tokens file.
    TokenServiceImpl(ServiceContext &context, auth::TokenBook *book) : m_context(context), m_book(book) {}

    grpc::ServerUnaryReactor *ListTokens(grpc::CallbackServerContext *context, const v1::ListTokensRequest *request,
                                         v1::ListTokensResponse *response) override;
    grpc::ServerUnaryReactor *CreateToken(grpc::CallbackServerContext *context, const v1::CreateTokenRequest *request,
                                          v1::CreateTokenResponse *response) override;
    grpc::ServerUnaryReactor *RevokeToken(grpc::CallbackServerContext *context, const v1::RevokeTokenRequest *request,
                                          v1::TokenInfo *response) override;

private:
    ServiceContext &m_context;
    auth::TokenBook *m_book;
};

} // namespace flywheel
