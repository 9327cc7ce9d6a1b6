#include "client/TokenClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/tokens.grpc.pb.h"

#include <chrono>

namespace flywheel::ui {

TokenClient::TokenClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<TokenClient>>(this))
{}

TokenClient::~TokenClient()
{
    m_bridge->detach();
}

bool TokenClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void TokenClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::TokenService>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                                     std::chrono::milliseconds(kDeadlineMs), kRetrySeconds);
}

void TokenClient::listTokens(Done<v1::ListTokensResponse> done)
{
    call(v1::ListTokensRequest(), FLYWHEEL_ASYNC_METHOD(ListTokens), std::move(done));
}

void TokenClient::createToken(const QString &name, const QString &role, int expiresDays, const QString &reason,
                              Done<v1::CreateTokenResponse> done)
{
    v1::CreateTokenRequest request;
    request.set_name(name.toStdString());
    request.set_role(role.toStdString());
    request.set_expires_days(expiresDays);
    request.set_reason(reason.toStdString());
    call(request, FLYWHEEL_ASYNC_METHOD(CreateToken), std::move(done));
}

void TokenClient::revokeToken(const QString &name, const QString &reason, Done<v1::TokenInfo> done)
{
    v1::RevokeTokenRequest request;
    request.set_name(name.toStdString());
    request.set_reason(reason.toStdString());
    call(request, FLYWHEEL_ASYNC_METHOD(RevokeToken), std::move(done));
}

} // namespace flywheel::ui
