#include "client/SubsidyClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/StreamReader.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/subsidy.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <algorithm>
#include <chrono>

namespace flywheel::ui {

SubsidyClient::SubsidyClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<SubsidyClient>>(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SubsidyClient::openRoi);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (m_roiWanted && !m_reader && !m_retryTimer.isActive())
            openRoi();
    });
}

SubsidyClient::~SubsidyClient()
{
    m_bridge->detach();
    if (m_reader)
        m_reader->cancel();
}

bool SubsidyClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

void SubsidyClient::report(const grpc::Status &status, int retryInSeconds)
{
    // A backend without SubsidyService answered: it is reachable, only older.
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED)
        m_connection->reportSuccess();
    else
        reportCall(m_connection, status, retryInSeconds);
}

template <typename Request, typename Response, typename Start>
void SubsidyClient::call(const Request &request, Start start, Done<Response> done)
{
    // As startUnaryCall(), but UNIMPLEMENTED does not make the connection unreachable.
    const auto channel = m_connection->channel();
    if (!channel) {
        const grpc::Status status(grpc::StatusCode::UNAVAILABLE,
                                  BackendConnection::tr("not connected yet").toStdString());
        QMetaObject::invokeMethod(
            this, [done, status] { done(status, Response()); }, Qt::QueuedConnection);
        return;
    }
    struct Call {
        std::unique_ptr<v1::SubsidyService::Stub> stub;
        grpc::ClientContext context;
        Request request;
        Response response;
    };
    auto state = std::make_shared<Call>();
    state->stub = v1::SubsidyService::NewStub(channel);
    state->request = request;
    state->context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(kDeadlineMs));
    start(state->stub->async(), &state->context, &state->request, &state->response,
          [state, bridge = m_bridge, done = std::move(done)](grpc::Status status) {
              bridge->post([state, status, done](SubsidyClient *client) {
                  client->report(status, kRetrySeconds);
                  done(status, state->response);
              });
          });
}

void SubsidyClient::getConfig(qint64 version, Done<v1::SubsidyConfigVersion> done)
{
    v1::GetSubsidyConfigRequest request;
    request.set_version(version);
    call(request, FLYWHEEL_ASYNC_METHOD(GetSubsidyConfig), std::move(done));
}

void SubsidyClient::listConfigVersions(int limit, Done<v1::ListSubsidyConfigVersionsResponse> done)
{
    v1::ListSubsidyConfigVersionsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListSubsidyConfigVersions), std::move(done));
}

void SubsidyClient::saveConfig(const v1::SaveSubsidyConfigRequest &request, Done<v1::SubsidyConfigVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SaveSubsidyConfig), std::move(done));
}

void SubsidyClient::rollbackConfig(const v1::RollbackSubsidyConfigRequest &request,
                                   Done<v1::SubsidyConfigVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(RollbackSubsidyConfig), std::move(done));
}

void SubsidyClient::explain(const v1::ExplainSubsidyRequest &request, Done<v1::SubsidyExplanation> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(ExplainSubsidy), std::move(done));
}

void SubsidyClient::simulate(const v1::SimulateSubsidyConfigRequest &request, Done<v1::SubsidySimulation> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SimulateSubsidyConfig), std::move(done));
}

// ---------------------------------------------------------------------------
// The ROI stream

void SubsidyClient::startRoi()
{
    m_roiWanted = true;
    if (!m_reader && !m_retryTimer.isActive())
        openRoi();
}

void SubsidyClient::stopRoi()
{
    m_roiWanted = false;
    m_retryTimer.stop();
    ++m_generation; // whatever the old stream still sends is ignored
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
}

void SubsidyClient::openRoi()
{
    const auto channel = m_connection->channel();
    if (!channel || !m_roiWanted)
        return;
    m_retryTimer.stop();
    ++m_generation; // messages of an earlier stream are ignored from now on
    struct Call {
        std::unique_ptr<v1::SubsidyService::Stub> stub;
        v1::StreamSubsidyRoiRequest request;
    };
    auto call = std::make_shared<Call>();
    call->stub = v1::SubsidyService::NewStub(channel);
    m_reader = RoiReader::open(
        m_bridge, m_generation,
        [](const v1::SubsidyRoiSnapshot &snapshot, quint64 generation) -> std::function<void(SubsidyClient *)> {
            return [snapshot, generation](SubsidyClient *client) { client->onRoiMessage(snapshot, generation); };
        },
        [](SubsidyClient *client, int code, const QString &message, quint64 generation) {
            client->onRoiEnded(code, message, generation);
        },
        call,
        [call](grpc::ClientContext *context, grpc::ClientReadReactor<v1::SubsidyRoiSnapshot> *reactor) {
            call->stub->async()->StreamSubsidyRoi(context, &call->request, reactor);
        });
}

void SubsidyClient::onRoiMessage(const v1::SubsidyRoiSnapshot &snapshot, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_failures = 0;
    m_connection->reportSuccess();
    Q_EMIT roiReceived(snapshot);
}

void SubsidyClient::onRoiEnded(int code, const QString &message, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_reader.reset();
    ++m_failures;
    const grpc::Status status(static_cast<grpc::StatusCode>(code), message.toStdString());
    const bool unimplemented = status.error_code() == grpc::StatusCode::UNIMPLEMENTED;
    // 1, 2, 4, 5, 5, ... seconds: quick when the backend restarts, calm when it is gone;
    // a backend without subsidies is asked again each minute (it may be upgraded).
    const int retryIn = unimplemented ? 60 : std::min(1 << std::min(m_failures - 1, 3), 5);
    report(status, retryIn);
    m_retryTimer.start(retryIn * 1000);
    Q_EMIT roiInterrupted(status.ok() ? tr("The backend closed the subsidy stream.")
                                      : BackendConnection::explain(status),
                          retryIn, unimplemented);
}

} // namespace flywheel::ui
