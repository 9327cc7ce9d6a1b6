#include "client/ReferralClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/StreamReader.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/referral.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <algorithm>
#include <chrono>

namespace flywheel::ui {

ReferralClient::ReferralClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<ReferralClient>>(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ReferralClient::openFunnel);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (m_funnelWanted && !m_reader && !m_retryTimer.isActive())
            openFunnel();
    });
}

ReferralClient::~ReferralClient()
{
    m_bridge->detach();
    if (m_reader)
        m_reader->cancel();
}

bool ReferralClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void ReferralClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::ReferralService>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                                        std::chrono::milliseconds(kDeadlineMs), kRetrySeconds);
}

void ReferralClient::getProgram(qint64 version, Done<v1::ProgramVersion> done)
{
    v1::GetProgramRequest request;
    request.set_version(version);
    call(request, FLYWHEEL_ASYNC_METHOD(GetProgram), std::move(done));
}

void ReferralClient::listProgramVersions(int limit, Done<v1::ListProgramVersionsResponse> done)
{
    v1::ListProgramVersionsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListProgramVersions), std::move(done));
}

void ReferralClient::saveProgram(const v1::SaveProgramRequest &request, Done<v1::ProgramVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SaveProgram), std::move(done));
}

void ReferralClient::getInviteTree(qint64 uid, int depth, Done<v1::InviteTree> done)
{
    v1::GetInviteTreeRequest request;
    request.set_uid(uid);
    request.set_depth(depth);
    call(request, FLYWHEEL_ASYNC_METHOD(GetInviteTree), std::move(done));
}

void ReferralClient::listCommissions(const v1::ListCommissionsRequest &request, Done<v1::ListCommissionsResponse> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(ListCommissions), std::move(done));
}

void ReferralClient::transitionCommissions(const v1::TransitionCommissionsRequest &request,
                                           Done<v1::TransitionCommissionsResponse> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(TransitionCommissions), std::move(done));
}

// ---------------------------------------------------------------------------
// The funnel stream

void ReferralClient::startFunnel()
{
    m_funnelWanted = true;
    if (!m_reader && !m_retryTimer.isActive())
        openFunnel();
}

void ReferralClient::stopFunnel()
{
    m_funnelWanted = false;
    m_retryTimer.stop();
    ++m_generation; // whatever the old stream still sends is ignored
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
}

void ReferralClient::openFunnel()
{
    const auto channel = m_connection->channel();
    if (!channel || !m_funnelWanted)
        return;
    m_retryTimer.stop();
    ++m_generation; // messages of an earlier stream are ignored from now on
    struct Call {
        std::unique_ptr<v1::ReferralService::Stub> stub;
        v1::StreamFunnelRequest request;
    };
    auto call = std::make_shared<Call>();
    call->stub = v1::ReferralService::NewStub(channel);
    m_reader = FunnelReader::open(
        m_bridge, m_generation,
        [](const v1::FunnelSnapshot &snapshot, quint64 generation) -> std::function<void(ReferralClient *)> {
            return [snapshot, generation](ReferralClient *client) { client->onFunnelMessage(snapshot, generation); };
        },
        [](ReferralClient *client, int code, const QString &message, quint64 generation) {
            client->onFunnelEnded(code, message, generation);
        },
        call,
        [call](grpc::ClientContext *context, grpc::ClientReadReactor<v1::FunnelSnapshot> *reactor) {
            call->stub->async()->StreamFunnel(context, &call->request, reactor);
        });
}

void ReferralClient::onFunnelMessage(const v1::FunnelSnapshot &snapshot, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_failures = 0;
    m_connection->reportSuccess();
    Q_EMIT funnelReceived(snapshot);
}

void ReferralClient::onFunnelEnded(int code, const QString &message, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_reader.reset();
    ++m_failures;
    // 1, 2, 4, 5, 5, ... seconds: quick when the backend restarts, calm when it is gone.
    const int retryIn = std::min(1 << std::min(m_failures - 1, 3), 5);
    const grpc::Status status(static_cast<grpc::StatusCode>(code), message.toStdString());
    reportCall(m_connection, status, retryIn);
    m_retryTimer.start(retryIn * 1000);
    Q_EMIT funnelInterrupted(
        status.ok() ? tr("The backend closed the funnel stream.") : BackendConnection::explain(status), retryIn);
}

} // namespace flywheel::ui
