#pragma once

#include "flywheel/v1/tokens.pb.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;

/// The Access tokens page's calls to TokenService. Every call is asynchronous: the
/// answer crosses from gRPC's thread to the GUI thread and is handed to `done` there,
/// unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; refusals of the request itself are left to the caller.
class TokenClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit TokenClient(BackendConnection *connection, QObject *parent = nullptr);
    ~TokenClient() override;

    bool hasChannel() const;

    void listTokens(Done<v1::ListTokensResponse> done);
    /// `expiresDays` 0: never expires.
    void createToken(const QString &name, const QString &role, int expiresDays, const QString &reason,
                     Done<v1::CreateTokenResponse> done);
    void revokeToken(const QString &name, const QString &reason, Done<v1::TokenInfo> done);

    /// Deadline of every call.
    static constexpr int kDeadlineMs = 10000;
    /// When the page tries again after a failed call.
    static constexpr int kRetrySeconds = 5;

private:
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<TokenClient>> m_bridge;
};

} // namespace flywheel::ui
