#include "client/BackendConnection.h"

#include "connection/ChannelFactory.h"

#include <grpcpp/support/status.h>

namespace flywheel::ui {

BackendConnection::BackendConnection(QString description, QObject *parent)
    : QObject(parent), m_description(std::move(description))
{}

BackendConnection::~BackendConnection() = default;

std::shared_ptr<grpc::Channel> BackendConnection::createRemoteChannel(const QString &address)
{
    return ChannelFactory::createPlain(address);
}

void BackendConnection::switchTo(const QString &description, const QString &caFile,
                                 std::shared_ptr<grpc::Channel> channel)
{
    m_description = description;
    m_caFile = caFile;
    if (m_state == State::Failed)
        m_state = State::Starting; // the failed backend is left behind
    Q_EMIT descriptionChanged(m_description);
    setChannel(std::move(channel));
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
    setState(State::Unreachable, tr("%1 Retrying in %2 s…").arg(explain(status, m_caFile)).arg(retryInSeconds));
}

QString BackendConnection::explain(const grpc::Status &status)
{
    return explain(status, QString());
}

QString BackendConnection::explain(const grpc::Status &status, const QString &caFile)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE: {
        const QString lower = detail.toLower();
        if (lower.contains(QLatin1String("certificate verify failed")) ||
            lower.contains(QLatin1String("certificate_verify_failed")) ||
            lower.contains(QLatin1String("unable to get local issuer"))) {
            return caFile.isEmpty()
                       ? tr("The server's certificate is not signed by a CA this computer trusts (%1).").arg(detail)
                       : tr("The server's certificate is not signed by the CA in %1 (%2).").arg(caFile, detail);
        }
        if (lower.contains(QLatin1String("handshake")) || lower.contains(QLatin1String("ssl")) ||
            lower.contains(QLatin1String("tls")) || lower.contains(QLatin1String("certificate")))
            return tr("TLS handshake failed: %1").arg(detail);
        return tr("The backend is not reachable (%1).").arg(detail);
    }
    case grpc::StatusCode::DEADLINE_EXCEEDED:
        return tr("The backend did not answer in time.");
    case grpc::StatusCode::CANCELLED:
        return tr("The backend stopped responding.");
    case grpc::StatusCode::UNIMPLEMENTED:
        return tr("The backend does not offer this service; is it an older version? (%1)").arg(detail);
    case grpc::StatusCode::UNAUTHENTICATED:
        return tr("The token was refused: %1").arg(detail);
    case grpc::StatusCode::PERMISSION_DENIED:
        return tr("Your role may not do this: %1").arg(detail);
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
