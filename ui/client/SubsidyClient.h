#pragma once

#include "flywheel/v1/subsidy.pb.h"

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

/// The Subsidy page's calls to SubsidyService. Unary calls are asynchronous: the answer
/// crosses from gRPC's thread to the GUI thread by a queued call and is handed to `done`
/// there, unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; refusals of the request itself (INVALID_ARGUMENT, ABORTED,
/// NOT_FOUND) are left to the caller. UNIMPLEMENTED is an answer too: the backend is
/// there but does not offer subsidies (an older backend), which the page says itself.
///
/// The ROI is a StreamSubsidyRoi stream, open between startRoi() and stopRoi(): each
/// snapshot is emitted on the GUI thread; a stream that ends is reopened with backoff
/// (1, 2, 4, 5, 5… s), as the dashboard's feed does.
class SubsidyClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit SubsidyClient(BackendConnection *connection, QObject *parent = nullptr);
    ~SubsidyClient() override;

    bool hasChannel() const;

    /// 0 for the version in force.
    void getConfig(qint64 version, Done<v1::SubsidyConfigVersion> done);
    void listConfigVersions(int limit, Done<v1::ListSubsidyConfigVersionsResponse> done);
    void saveConfig(const v1::SaveSubsidyConfigRequest &request, Done<v1::SubsidyConfigVersion> done);
    void rollbackConfig(const v1::RollbackSubsidyConfigRequest &request, Done<v1::SubsidyConfigVersion> done);
    void explain(const v1::ExplainSubsidyRequest &request, Done<v1::SubsidyExplanation> done);
    void simulate(const v1::SimulateSubsidyConfigRequest &request, Done<v1::SubsidySimulation> done);

    /// Opens the ROI stream if the connection has a channel and it is not open yet.
    void startRoi();
    /// Closes it; no reconnecting until startRoi().
    void stopRoi();
    bool isRoiOpen() const { return m_reader != nullptr; }

    /// Deadline of every unary call (a replay of 30 days may take a while).
    static constexpr int kDeadlineMs = 20000;
    /// When the page tries again after a failed call (it refreshes every 5 s).
    static constexpr int kRetrySeconds = 5;

Q_SIGNALS:
    void roiReceived(const flywheel::v1::SubsidyRoiSnapshot &snapshot);
    /// The stream ended; it is reopened in `retryInSeconds`. `why` is for operators;
    /// `unimplemented` when the backend does not offer subsidies.
    void roiInterrupted(const QString &why, int retryInSeconds, bool unimplemented);

private:
    using RoiReader = StreamReader<SubsidyClient, v1::SubsidyRoiSnapshot>;
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);
    void openRoi();
    void onRoiMessage(const v1::SubsidyRoiSnapshot &snapshot, quint64 generation);
    void onRoiEnded(int code, const QString &message, quint64 generation);
    void report(const grpc::Status &status, int retryInSeconds);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<SubsidyClient>> m_bridge;
    std::shared_ptr<RoiReader> m_reader;
    bool m_roiWanted = false;
    quint64 m_generation = 0;
    int m_failures = 0;
    QTimer m_retryTimer;
};

} // namespace flywheel::ui
