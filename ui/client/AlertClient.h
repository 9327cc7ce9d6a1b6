#pragma once

#include "flywheel/v1/alerts.pb.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;
template <typename Owner, typename Message>
class StreamReader;

/// The calls to AlertService: the alerts stream (the Alerts page and the status bar's
/// badge), the thresholds document and the demo's trigger. Unary calls are
/// asynchronous: the answer crosses from gRPC's thread to the GUI thread and is handed
/// to `done` there, unless the client is gone by then. UNIMPLEMENTED is an answer (an
/// older backend without alerts), which leaves the connection alone.
///
/// The alerts are a StreamAlerts stream, open between startAlerts() and stopAlerts();
/// a stream that ends is reopened with backoff (1, 2, 4, 5, 5… s).
class AlertClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit AlertClient(BackendConnection *connection, QObject *parent = nullptr);
    ~AlertClient() override;

    bool hasChannel() const;

    /// 0 for the version in force.
    void getThresholds(qint64 version, Done<v1::AlertThresholdsVersion> done);
    void listThresholdsVersions(int limit, Done<v1::ListAlertThresholdsVersionsResponse> done);
    void saveThresholds(const v1::SaveAlertThresholdsRequest &request, Done<v1::AlertThresholdsVersion> done);
    void rollbackThresholds(const v1::RollbackAlertThresholdsRequest &request, Done<v1::AlertThresholdsVersion> done);
    void trigger(const QString &alert, Done<v1::TriggerDemoAlertResponse> done);

    void startAlerts();
    void stopAlerts();
    bool isAlertsOpen() const { return m_reader != nullptr; }

    static constexpr int kDeadlineMs = 10000;
    static constexpr int kRetrySeconds = 5;

Q_SIGNALS:
    void alertsReceived(const flywheel::v1::AlertsSnapshot &snapshot);
    /// The stream ended; it is reopened in `retryInSeconds`. `why` is for operators.
    void alertsInterrupted(const QString &why, int retryInSeconds, bool unimplemented);

private:
    using AlertsReader = StreamReader<AlertClient, v1::AlertsSnapshot>;
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);
    void openAlerts();
    void onAlertsMessage(const v1::AlertsSnapshot &snapshot, quint64 generation);
    void onAlertsEnded(int code, const QString &message, quint64 generation);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<AlertClient>> m_bridge;
    std::shared_ptr<AlertsReader> m_reader;
    bool m_alertsWanted = false;
    quint64 m_generation = 0;
    int m_failures = 0;
    QTimer m_retryTimer;
};

} // namespace flywheel::ui
