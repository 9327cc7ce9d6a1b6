#pragma once

#include "client/DashboardData.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace flywheel::v1 {
class DashboardSnapshot;
}

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;
template <typename Owner, typename Message>
class StreamReader;

/// The dashboard's live data: one StreamDashboard stream for the chosen window.
/// Snapshots cross from gRPC's thread to the GUI thread by queued calls. A stream
/// that fails or falls silent is reopened with backoff, and the connection's state
/// says why. Never blocks the GUI thread.
class DashboardFeed final : public QObject {
    Q_OBJECT

public:
    explicit DashboardFeed(BackendConnection *connection, QObject *parent = nullptr);
    BackendConnection *connection() const { return m_connection; }
    ~DashboardFeed() override;

    DashboardWindow window() const { return m_window; }
    /// Switches to another window (reopening the stream); also starts the feed.
    void setWindow(DashboardWindow window);
    /// Opens the stream if the connection has a channel and it is not open yet.
    void start();

    /// A stream with no message for this long is considered dead (the backend sends
    /// one at least every second).
    static constexpr int kSilenceLimitMs = 5000;

Q_SIGNALS:
    void snapshotReceived(const flywheel::ui::DashboardData &data);

private:
    using Reader = StreamReader<DashboardFeed, v1::DashboardSnapshot>;
    void openStream();
    void onMessage(const DashboardData &data, quint64 generation);
    void onStreamEnded(int code, const QString &message, quint64 generation);
    void checkSilence();

    BackendConnection *m_connection;
    DashboardWindow m_window = DashboardWindow::FiveMinutes;
    std::shared_ptr<GuiBridge<DashboardFeed>> m_bridge;
    std::shared_ptr<Reader> m_reader;
    quint64 m_generation = 0;
    int m_failures = 0;
    QTimer m_retryTimer;
    QTimer m_watchdog;
    QElapsedTimer m_sinceLastMessage;
};

} // namespace flywheel::ui
