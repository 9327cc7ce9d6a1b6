#include "client/DashboardFeed.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"

#include "flywheel/v1/metrics.grpc.pb.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <QMetaObject>

#include <algorithm>

namespace flywheel::ui {

/// One StreamDashboard call. Lives until gRPC is done with it (it holds itself
/// until OnDone) and as long as the feed holds it, so cancel() is always safe.
class DashboardFeed::Reader final : public grpc::ClientReadReactor<v1::DashboardSnapshot> {
public:
    static std::shared_ptr<Reader> open(const std::shared_ptr<grpc::Channel> &channel,
                                        std::shared_ptr<GuiBridge<DashboardFeed>> bridge, v1::MetricsWindow window,
                                        quint64 generation)
    {
        auto reader = std::shared_ptr<Reader>(new Reader(std::move(bridge), generation));
        reader->m_self = reader;
        reader->m_stub = v1::MetricsService::NewStub(channel);
        reader->m_request.set_window(window);
        reader->m_stub->async()->StreamDashboard(&reader->m_context, &reader->m_request, reader.get());
        reader->StartRead(&reader->m_snapshot);
        reader->StartCall();
        return reader;
    }

    void cancel() { m_context.TryCancel(); }

    void OnReadDone(bool ok) override
    {
        if (!ok)
            return; // the stream ended; OnDone says how
        const DashboardData data = DashboardData::fromProto(m_snapshot);
        const quint64 generation = m_generation;
        m_bridge->post([data, generation](DashboardFeed *feed) { feed->onMessage(data, generation); });
        StartRead(&m_snapshot);
    }

    void OnDone(const grpc::Status &status) override
    {
        const int code = status.error_code();
        const QString message = QString::fromStdString(status.error_message());
        const quint64 generation = m_generation;
        m_bridge->post(
            [code, message, generation](DashboardFeed *feed) { feed->onStreamEnded(code, message, generation); });
        const auto self = std::move(m_self); // may delete this on return
    }

private:
    Reader(std::shared_ptr<GuiBridge<DashboardFeed>> bridge, quint64 generation)
        : m_bridge(std::move(bridge)), m_generation(generation)
    {}

    std::shared_ptr<GuiBridge<DashboardFeed>> m_bridge;
    const quint64 m_generation;
    std::shared_ptr<Reader> m_self;
    std::unique_ptr<v1::MetricsService::Stub> m_stub;
    grpc::ClientContext m_context;
    v1::StreamDashboardRequest m_request;
    v1::DashboardSnapshot m_snapshot;
};

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
    m_reader = Reader::open(channel, m_bridge, toProto(m_window), m_generation);
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
