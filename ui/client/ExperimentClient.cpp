#include "client/ExperimentClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/StreamReader.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/experiments.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <algorithm>
#include <chrono>

namespace flywheel::ui {

ExperimentClient::ExperimentClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<ExperimentClient>>(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ExperimentClient::openResults);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (m_resultsWanted && !m_reader && !m_retryTimer.isActive())
            openResults();
    });
}

ExperimentClient::~ExperimentClient()
{
    m_bridge->detach();
    if (m_reader)
        m_reader->cancel();
}

bool ExperimentClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void ExperimentClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::ExperimentService>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                                          std::chrono::milliseconds(kDeadlineMs), kRetrySeconds,
                                          Unimplemented::MeansServiceMissing);
}

void ExperimentClient::listExperiments(qint64 version, Done<v1::ExperimentSet> done)
{
    v1::ListExperimentsRequest request;
    request.set_version(version);
    call(request, FLYWHEEL_ASYNC_METHOD(ListExperiments), std::move(done));
}

void ExperimentClient::listExperimentVersions(int limit, Done<v1::ListExperimentVersionsResponse> done)
{
    v1::ListExperimentVersionsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListExperimentVersions), std::move(done));
}

void ExperimentClient::saveExperiment(const v1::SaveExperimentRequest &request, Done<v1::ExperimentSet> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SaveExperiment), std::move(done));
}

void ExperimentClient::startExperiment(const v1::ChangeExperimentRequest &request, Done<v1::ExperimentSet> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(StartExperiment), std::move(done));
}

void ExperimentClient::stopExperiment(const v1::ChangeExperimentRequest &request, Done<v1::ExperimentSet> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(StopExperiment), std::move(done));
}

void ExperimentClient::shipExperiment(const v1::ShipExperimentRequest &request, Done<v1::ExperimentSet> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(ShipExperiment), std::move(done));
}

void ExperimentClient::rollbackExperiment(const v1::ChangeExperimentRequest &request, Done<v1::ExperimentSet> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(RollbackExperiment), std::move(done));
}

// ---------------------------------------------------------------------------
// The results stream

void ExperimentClient::startResults(const QString &key, v1::IntervalKind kind)
{
    const bool same = m_resultsWanted && key == m_key && kind == m_interval;
    m_resultsWanted = true;
    m_key = key;
    m_interval = kind;
    if (same && (m_reader || m_retryTimer.isActive()))
        return;
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
    m_failures = 0;
    openResults();
}

void ExperimentClient::stopResults()
{
    m_resultsWanted = false;
    m_retryTimer.stop();
    ++m_generation; // whatever the old stream still sends is ignored
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
}

void ExperimentClient::openResults()
{
    const auto channel = m_connection->channel();
    if (!channel || !m_resultsWanted)
        return;
    m_retryTimer.stop();
    ++m_generation; // messages of an earlier stream are ignored from now on
    struct Call {
        std::unique_ptr<v1::ExperimentService::Stub> stub;
        v1::StreamExperimentResultsRequest request;
    };
    auto call = std::make_shared<Call>();
    call->stub = v1::ExperimentService::NewStub(channel);
    call->request.set_key(m_key.toStdString());
    call->request.set_interval(m_interval);
    m_reader = ResultsReader::open(
        m_bridge, m_generation,
        [](const v1::ExperimentResults &results, quint64 generation) -> std::function<void(ExperimentClient *)> {
            return [results, generation](ExperimentClient *client) { client->onResultsMessage(results, generation); };
        },
        [](ExperimentClient *client, int code, const QString &message, quint64 generation) {
            client->onResultsEnded(code, message, generation);
        },
        call,
        [call](grpc::ClientContext *context, grpc::ClientReadReactor<v1::ExperimentResults> *reactor) {
            call->stub->async()->StreamExperimentResults(context, &call->request, reactor);
        });
}

void ExperimentClient::onResultsMessage(const v1::ExperimentResults &results, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_failures = 0;
    m_connection->reportSuccess();
    Q_EMIT resultsReceived(results);
}

void ExperimentClient::onResultsEnded(int code, const QString &message, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_reader.reset();
    const grpc::Status status(static_cast<grpc::StatusCode>(code), message.toStdString());
    // No retry makes an unknown experiment known or a missing service appear.
    const bool final = code == grpc::StatusCode::NOT_FOUND || code == grpc::StatusCode::UNIMPLEMENTED ||
                       code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::PERMISSION_DENIED;
    ++m_failures;
    // 1, 2, 4, 5, 5, ... seconds: quick when the backend restarts, calm when it is gone.
    const int retryIn = final ? 0 : std::min(1 << std::min(m_failures - 1, 3), 5);
    reportCall(m_connection, status, std::max(retryIn, 1), Unimplemented::MeansServiceMissing);
    if (!final)
        m_retryTimer.start(retryIn * 1000);
    else
        m_resultsWanted = false;
    Q_EMIT resultsInterrupted(
        code, status.ok() ? tr("The backend closed the results stream.") : BackendConnection::explain(status), retryIn);
}

} // namespace flywheel::ui
