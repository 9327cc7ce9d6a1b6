#include "client/PaymentClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/StreamReader.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/payments.grpc.pb.h"

#include <algorithm>
#include <chrono>

namespace flywheel::ui {

PaymentClient::PaymentClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<PaymentClient>>(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &PaymentClient::openStats);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (m_statsWanted && !m_reader && !m_retryTimer.isActive())
            openStats();
    });
}

PaymentClient::~PaymentClient()
{
    m_bridge->detach();
    if (m_reader)
        m_reader->cancel();
}

bool PaymentClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void PaymentClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::PaymentService>(this, m_bridge, m_connection, request, start, std::move(done),
                                       std::chrono::milliseconds(kDeadlineMs), kRetrySeconds,
                                       Unimplemented::MeansServiceMissing);
}

void PaymentClient::getConfig(qint64 version, Done<v1::ChannelConfigVersion> done)
{
    v1::GetChannelConfigRequest request;
    request.set_version(version);
    call(request, FLYWHEEL_ASYNC_METHOD(GetChannelConfig), std::move(done));
}

void PaymentClient::listConfigVersions(int limit, Done<v1::ListChannelConfigVersionsResponse> done)
{
    v1::ListChannelConfigVersionsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListChannelConfigVersions), std::move(done));
}

void PaymentClient::saveConfig(const v1::SaveChannelConfigRequest &request, Done<v1::ChannelConfigVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SaveChannelConfig), std::move(done));
}

void PaymentClient::rollbackConfig(const v1::RollbackChannelConfigRequest &request,
                                   Done<v1::ChannelConfigVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(RollbackChannelConfig), std::move(done));
}

void PaymentClient::previewRoute(const v1::PreviewRouteRequest &request, Done<v1::RouteDecision> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(PreviewRoute), std::move(done));
}

void PaymentClient::listRefused(int limit, Done<v1::ListRefusedNotificationsResponse> done)
{
    v1::ListRefusedNotificationsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListRefusedNotifications), std::move(done));
}

void PaymentClient::listOrderPayments(qint64 orderId, Done<v1::OrderPayments> done)
{
    v1::ListOrderPaymentsRequest request;
    request.set_order_id(orderId);
    call(request, FLYWHEEL_ASYNC_METHOD(ListOrderPayments), std::move(done));
}

void PaymentClient::refund(qint64 orderId, qint64 paymentId, const QString &reason, Done<v1::Refund> done)
{
    v1::RefundOrderPaymentRequest request;
    request.set_order_id(orderId);
    request.set_payment_id(paymentId);
    request.set_reason(reason.toStdString());
    call(request, FLYWHEEL_ASYNC_METHOD(RefundOrderPayment), std::move(done));
}

// ---------------------------------------------------------------------------
// The statistics stream

void PaymentClient::startStats()
{
    m_statsWanted = true;
    if (!m_reader && !m_retryTimer.isActive())
        openStats();
}

void PaymentClient::stopStats()
{
    m_statsWanted = false;
    m_retryTimer.stop();
    ++m_generation; // whatever the old stream still sends is ignored
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
}

void PaymentClient::openStats()
{
    const auto channel = m_connection->channel();
    if (!channel || !m_statsWanted)
        return;
    m_retryTimer.stop();
    ++m_generation;
    struct Call {
        std::unique_ptr<v1::PaymentService::Stub> stub;
        v1::StreamChannelStatsRequest request;
    };
    auto call = std::make_shared<Call>();
    call->stub = v1::PaymentService::NewStub(channel);
    m_reader = StatsReader::open(
        m_bridge, m_generation,
        [](const v1::ChannelStatsSnapshot &snapshot, quint64 generation) -> std::function<void(PaymentClient *)> {
            return [snapshot, generation](PaymentClient *client) { client->onStatsMessage(snapshot, generation); };
        },
        [](PaymentClient *client, int code, const QString &message, quint64 generation) {
            client->onStatsEnded(code, message, generation);
        },
        call,
        [call](grpc::ClientContext *context, grpc::ClientReadReactor<v1::ChannelStatsSnapshot> *reactor) {
            call->stub->async()->StreamChannelStats(context, &call->request, reactor);
        });
}

void PaymentClient::onStatsMessage(const v1::ChannelStatsSnapshot &snapshot, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_failures = 0;
    m_connection->reportSuccess();
    Q_EMIT statsReceived(snapshot);
}

void PaymentClient::onStatsEnded(int code, const QString &message, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_reader.reset();
    ++m_failures;
    const grpc::Status status(static_cast<grpc::StatusCode>(code), message.toStdString());
    const bool unimplemented = status.error_code() == grpc::StatusCode::UNIMPLEMENTED;
    // Quick when the backend restarts, calm when it is gone; a backend without payment
    // channels is asked again each minute (it may be upgraded).
    const int retryIn = unimplemented ? 60 : std::min(1 << std::min(m_failures - 1, 3), 5);
    reportCall(m_connection, status, retryIn, Unimplemented::MeansServiceMissing);
    m_retryTimer.start(retryIn * 1000);
    Q_EMIT statsInterrupted(status.ok() ? tr("The backend closed the channel statistics stream.")
                                        : BackendConnection::explain(status),
                            retryIn, unimplemented);
}

} // namespace flywheel::ui
