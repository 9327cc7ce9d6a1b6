#include "client/AlertClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/StreamReader.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/alerts.grpc.pb.h"

#include <algorithm>
#include <chrono>

namespace flywheel::ui {

AlertClient::AlertClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<AlertClient>>(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &AlertClient::openAlerts);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (m_alertsWanted && !m_reader && !m_retryTimer.isActive())
            openAlerts();
    });
}

AlertClient::~AlertClient()
{
    m_bridge->detach();
    if (m_reader)
        m_reader->cancel();
}

bool AlertClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void AlertClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::AlertService>(this, m_bridge, m_connection, request, start, std::move(done),
                                       std::chrono::milliseconds(kDeadlineMs), kRetrySeconds,
                                       Unimplemented::MeansServiceMissing);
}

void AlertClient::getThresholds(qint64 version, Done<v1::AlertThresholdsVersion> done)
{
    v1::GetAlertThresholdsRequest request;
    request.set_version(version);
    call(request, FLYWHEEL_ASYNC_METHOD(GetAlertThresholds), std::move(done));
}

void AlertClient::listThresholdsVersions(int limit, Done<v1::ListAlertThresholdsVersionsResponse> done)
{
    v1::ListAlertThresholdsVersionsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListAlertThresholdsVersions), std::move(done));
}

void AlertClient::saveThresholds(const v1::SaveAlertThresholdsRequest &request,
                                   Done<v1::AlertThresholdsVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SaveAlertThresholds), std::move(done));
}

void AlertClient::rollbackThresholds(const v1::RollbackAlertThresholdsRequest &request,
                                       Done<v1::AlertThresholdsVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(RollbackAlertThresholds), std::move(done));
}

void AlertClient::trigger(const QString &alert, Done<v1::TriggerDemoAlertResponse> done)
{
    v1::TriggerDemoAlertRequest request;
    request.set_alert(alert.toStdString());
    call(request, FLYWHEEL_ASYNC_METHOD(TriggerDemoAlert), std::move(done));
}

// ---------------------------------------------------------------------------
// The alerts stream

void AlertClient::startAlerts()
{
    m_alertsWanted = true;
    if (!m_reader && !m_retryTimer.isActive())
        openAlerts();
}

void AlertClient::stopAlerts()
{
    m_alertsWanted = false;
    m_retryTimer.stop();
    ++m_generation; // whatever the old stream still sends is ignored
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
}

void AlertClient::openAlerts()
{
    const auto channel = m_connection->channel();
    if (!channel || !m_alertsWanted)
        return;
    m_retryTimer.stop();
    ++m_generation;
    struct Call {
        std::unique_ptr<v1::AlertService::Stub> stub;
        v1::StreamAlertsRequest request;
    };
    auto call = std::make_shared<Call>();
    call->stub = v1::AlertService::NewStub(channel);
    m_reader = AlertsReader::open(
        m_bridge, m_generation,
        [](const v1::AlertsSnapshot &snapshot, quint64 generation) -> std::function<void(AlertClient *)> {
            return [snapshot, generation](AlertClient *client) { client->onAlertsMessage(snapshot, generation); };
        },
        [](AlertClient *client, int code, const QString &message, quint64 generation) {
            client->onAlertsEnded(code, message, generation);
        },
        call,
        [call](grpc::ClientContext *context, grpc::ClientReadReactor<v1::AlertsSnapshot> *reactor) {
            call->stub->async()->StreamAlerts(context, &call->request, reactor);
        });
}

void AlertClient::onAlertsMessage(const v1::AlertsSnapshot &snapshot, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_failures = 0;
    m_connection->reportSuccess();
    Q_EMIT alertsReceived(snapshot);
}

void AlertClient::onAlertsEnded(int code, const QString &message, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_reader.reset();
    ++m_failures;
    const grpc::Status status(static_cast<grpc::StatusCode>(code), message.toStdString());
    const bool unimplemented = status.error_code() == grpc::StatusCode::UNIMPLEMENTED;
    // Quick when the backend restarts, calm when it is gone; a backend without alerts
    // is asked again each minute (it may be upgraded).
    const int retryIn = unimplemented ? 60 : std::min(1 << std::min(m_failures - 1, 3), 5);
    reportCall(m_connection, status, retryIn, Unimplemented::MeansServiceMissing);
    m_retryTimer.start(retryIn * 1000);
    Q_EMIT alertsInterrupted(status.ok() ? tr("The backend closed the alerts stream.")
                                        : BackendConnection::explain(status),
                            retryIn, unimplemented);
}

} // namespace flywheel::ui
