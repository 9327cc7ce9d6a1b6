#pragma once

#include "flywheel/v1/referral.pb.h"

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

/// The Referral page's calls to ReferralService. Unary calls are asynchronous: the answer
/// crosses from gRPC's thread to the GUI thread by a queued call and is handed to `done`
/// there, unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; refusals of the request itself (INVALID_ARGUMENT, ABORTED,
/// NOT_FOUND) are left to the caller.
///
/// The funnel is a StreamFunnel stream, open between startFunnel() and stopFunnel(): each
/// snapshot is emitted on the GUI thread; a stream that ends is reopened with backoff
/// (1, 2, 4, 5, 5… s), as the dashboard's feed does.
class ReferralClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit ReferralClient(BackendConnection *connection, QObject *parent = nullptr);
    ~ReferralClient() override;

    bool hasChannel() const;

    /// 0 for the version in force.
    void getProgram(qint64 version, Done<v1::ProgramVersion> done);
    void listProgramVersions(int limit, Done<v1::ListProgramVersionsResponse> done);
    void saveProgram(const v1::SaveProgramRequest &request, Done<v1::ProgramVersion> done);
    void getInviteTree(qint64 uid, int depth, Done<v1::InviteTree> done);
    void listCommissions(const v1::ListCommissionsRequest &request, Done<v1::ListCommissionsResponse> done);
    void transitionCommissions(const v1::TransitionCommissionsRequest &request,
                               Done<v1::TransitionCommissionsResponse> done);

    /// Opens the funnel stream if the connection has a channel and it is not open yet.
    void startFunnel();
    /// Closes it; no reconnecting until startFunnel().
    void stopFunnel();
    bool isFunnelOpen() const { return m_reader != nullptr; }

    /// Deadline of every unary call.
    static constexpr int kDeadlineMs = 10000;
    /// When the page tries again after a failed call (it refreshes every 5 s).
    static constexpr int kRetrySeconds = 5;

Q_SIGNALS:
    void funnelReceived(const flywheel::v1::FunnelSnapshot &snapshot);
    /// The stream ended; it is reopened in `retryInSeconds`. `why` is for operators.
    void funnelInterrupted(const QString &why, int retryInSeconds);

private:
    using FunnelReader = StreamReader<ReferralClient, v1::FunnelSnapshot>;
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);
    void openFunnel();
    void onFunnelMessage(const v1::FunnelSnapshot &snapshot, quint64 generation);
    void onFunnelEnded(int code, const QString &message, quint64 generation);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<ReferralClient>> m_bridge;
    std::shared_ptr<FunnelReader> m_reader;
    bool m_funnelWanted = false;
    quint64 m_generation = 0;
    int m_failures = 0;
    QTimer m_retryTimer;
};

} // namespace flywheel::ui
