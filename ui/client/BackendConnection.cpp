#include "client/BackendConnection.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/status.h>

namespace flywheel::ui {

BackendConnection::BackendConnection(QString description, QObject *parent)
    : QObject(parent), m_description(std::move(description))
{}

BackendConnection::~BackendConnection() = default;

std::shared_ptr<grpc::Channel> BackendConnection::createRemoteChannel(const QString &address)
{
    grpc::ChannelArguments args;
    // Come back quickly when a backend restarts; notice a dead peer within seconds.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 500);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 500);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 3000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    return grpc::CreateCustomChannel(address.toStdString(), grpc::InsecureChannelCredentials(), args);
}

void BackendConnection::setChannel(std::shared_ptr<grpc::Channel> channel)
{
    m_channel = std::move(channel);
    setState(State::Connecting, QString());
    Q_EMIT channelReady();
}

std::shared_ptr<grpc::Channel> BackendConnection::channel() const
{
    return m_channel;
}

void BackendConnection::reportStartFailure(const QString &message)
{
    setState(State::Failed, message);
}

void BackendConnection::reportSuccess()
{
    setState(State::Connected, QString());
}

void BackendConnection::reportConnecting()
{
    // While unreachable, keep showing why until a call succeeds.
    if (m_state != State::Unreachable)
        setState(State::Connecting, QString());
}

void BackendConnection::reportFailure(const grpc::Status &status, int retryInSeconds)
{
    setState(State::Unreachable, tr("%1 Retrying in %2 s…").arg(explain(status)).arg(retryInSeconds));
}

QString BackendConnection::explain(const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
        return tr("The backend is not reachable (%1).").arg(detail);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
        return tr("The backend did not answer in time.");
    case grpc::StatusCode::CANCELLED:
        return tr("The backend stopped responding.");
    case grpc::StatusCode::UNIMPLEMENTED:
        return tr("The backend does not offer this service; is it an older version? (%1)").arg(detail);
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
        return tr("The backend refused access (%1).").arg(detail);
    default:
        return tr("The backend reported an error: %1").arg(detail);
    }
}

void BackendConnection::setState(State state, const QString &detail)
{
    if (state == m_state && detail == m_detail)
        return;
    if (m_state == State::Failed)
        return; // a backend that never started stays failed
    m_state = state;
    m_detail = detail;
    Q_EMIT stateChanged(state, detail);
}

} // namespace flywheel::ui
