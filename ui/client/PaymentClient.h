#pragma once

#include "flywheel/v1/payments.pb.h"

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

/// The Payment channels page's calls to PaymentService. Unary calls are asynchronous:
/// the answer crosses from gRPC's thread to the GUI thread and is handed to `done`
/// there, unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; UNIMPLEMENTED is an answer (an older backend without payment
/// channels), which the page says itself, so it leaves the connection alone.
///
/// The channel statistics are a StreamChannelStats stream, open between startStats()
/// and stopStats(); a stream that ends is reopened with backoff (1, 2, 4, 5, 5… s).
class PaymentClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit PaymentClient(BackendConnection *connection, QObject *parent = nullptr);
    ~PaymentClient() override;

    bool hasChannel() const;

    /// 0 for the version in force.
    void getConfig(qint64 version, Done<v1::ChannelConfigVersion> done);
    void listConfigVersions(int limit, Done<v1::ListChannelConfigVersionsResponse> done);
    void saveConfig(const v1::SaveChannelConfigRequest &request, Done<v1::ChannelConfigVersion> done);
    void rollbackConfig(const v1::RollbackChannelConfigRequest &request, Done<v1::ChannelConfigVersion> done);
    void previewRoute(const v1::PreviewRouteRequest &request, Done<v1::RouteDecision> done);
    void listRefused(int limit, Done<v1::ListRefusedNotificationsResponse> done);
    void listOrderPayments(qint64 orderId, Done<v1::OrderPayments> done);
    /// `paymentId` 0 refunds the paid order; otherwise that payment's money that did not pay it.
    void refund(qint64 orderId, qint64 paymentId, const QString &reason, Done<v1::Refund> done);

    void startStats();
    void stopStats();
    bool isStatsOpen() const { return m_reader != nullptr; }

    static constexpr int kDeadlineMs = 10000;
    static constexpr int kRetrySeconds = 5;

Q_SIGNALS:
    void statsReceived(const flywheel::v1::ChannelStatsSnapshot &snapshot);
    /// The stream ended; it is reopened in `retryInSeconds`. `why` is for operators.
    void statsInterrupted(const QString &why, int retryInSeconds, bool unimplemented);

private:
    using StatsReader = StreamReader<PaymentClient, v1::ChannelStatsSnapshot>;
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);
    void openStats();
    void onStatsMessage(const v1::ChannelStatsSnapshot &snapshot, quint64 generation);
    void onStatsEnded(int code, const QString &message, quint64 generation);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<PaymentClient>> m_bridge;
    std::shared_ptr<StatsReader> m_reader;
    bool m_statsWanted = false;
    quint64 m_generation = 0;
    int m_failures = 0;
    QTimer m_retryTimer;
};

} // namespace flywheel::ui
