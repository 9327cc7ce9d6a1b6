#include "client/DashboardFeed.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/StreamReader.h"

#include "flywheel/v1/metrics.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <QMetaObject>

#include <algorithm>

namespace flywheel::ui {

namespace {

v1::MetricsWindow toProto(DashboardWindow window)
{
    switch (window) {
    case DashboardWindow::FiveMinutes:
        return v1::METRICS_WINDOW_5M;
    case DashboardWindow::OneHour:
        return v1::METRICS_WINDOW_1H;
    case DashboardWindow::OneDay:
        return v1::METRICS_WINDOW_24H;
    case DashboardWindow::SevenDays:
        return v1::METRICS_WINDOW_7D;
    }
    return v1::METRICS_WINDOW_5M;
}

} // namespace

DashboardFeed::DashboardFeed(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<DashboardFeed>>(this))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &DashboardFeed::openStream);
    m_watchdog.setInterval(1000);
    connect(&m_watchdog, &QTimer::timeout, this, &DashboardFeed::checkSilence);
    connect(m_connection, &BackendConnection::channelReady, this, &DashboardFeed::start);
}

DashboardFeed::~DashboardFeed()
{
    m_bridge->detach();
    if (m_reader)
        m_reader->cancel();
}

void DashboardFeed::setWindow(DashboardWindow window)
{
    if (window == m_window && m_reader)
        return;
    m_window = window;
    if (m_reader) {
        m_reader->cancel();
        m_reader.reset();
    }
    openStream();
}

void DashboardFeed::start()
{
    if (!m_reader && !m_retryTimer.isActive())
        openStream();
}

void DashboardFeed::openStream()
{
    const auto channel = m_connection->channel();
    if (!channel)
        return;
    m_retryTimer.stop();
    ++m_generation; // messages of an earlier stream are ignored from now on
    m_connection->reportConnecting();
    m_sinceLastMessage.start();
    struct Call {
        std::unique_ptr<v1::MetricsService::Stub> stub;
        v1::StreamDashboardRequest request;
    };
    auto call = std::make_shared<Call>();
    call->stub = v1::MetricsService::NewStub(channel);
    call->request.set_window(toProto(m_window));
    m_reader = Reader::open(
        m_bridge, m_generation,
        [](const v1::DashboardSnapshot &snapshot, quint64 generation) -> std::function<void(DashboardFeed *)> {
            const DashboardData data = DashboardData::fromProto(snapshot); // off the GUI thread
            return [data, generation](DashboardFeed *feed) { feed->onMessage(data, generation); };
        },
        [](DashboardFeed *feed, int code, const QString &message, quint64 generation) {
            feed->onStreamEnded(code, message, generation);
        },
        call,
        [call](grpc::ClientContext *context, grpc::ClientReadReactor<v1::DashboardSnapshot> *reactor) {
            call->stub->async()->StreamDashboard(context, &call->request, reactor);
        });
    m_watchdog.start();
}

void DashboardFeed::onMessage(const DashboardData &data, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_failures = 0;
    m_sinceLastMessage.start();
    m_connection->reportSuccess();
    Q_EMIT snapshotReceived(data);
}

void DashboardFeed::onStreamEnded(int code, const QString &message, quint64 generation)
{
    if (generation != m_generation)
        return;
    m_reader.reset();
    m_watchdog.stop();
    ++m_failures;
    // 1, 2, 4, 5, 5, ... seconds: quick when the backend restarts, calm when it is gone.
    const int retryIn = std::min(1 << std::min(m_failures - 1, 3), 5);
    m_connection->reportFailure(grpc::Status(static_cast<grpc::StatusCode>(code), message.toStdString()), retryIn);
    m_retryTimer.start(retryIn * 1000);
}

void DashboardFeed::checkSilence()
{
    if (m_reader && m_sinceLastMessage.elapsed() > kSilenceLimitMs)
        m_reader->cancel(); // ends the stream; onStreamEnded reconnects
}

} // namespace flywheel::ui
