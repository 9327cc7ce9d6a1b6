#pragma once

#include "flywheel/v1/experiments.pb.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <string>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;
template <typename Owner, typename Message>
class StreamReader;

/// The Experiments page's calls to ExperimentService. Unary calls are asynchronous: the
/// answer crosses from gRPC's thread to the GUI thread and is handed to `done` there,
/// unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; refusals of the request (INVALID_ARGUMENT, FAILED_PRECONDITION,
/// ABORTED, NOT_FOUND) are left to the caller. UNIMPLEMENTED (a backend without
/// experiments) leaves the connection alone: the page says so itself.
///
/// The results of one experiment are a StreamExperimentResults stream, open between
/// startResults() and stopResults(): each snapshot is emitted on the GUI thread; a
/// stream that ends is reopened with backoff (1, 2, 4, 5, 5… s), except after NOT_FOUND
/// or UNIMPLEMENTED, which no retry changes.
class ExperimentClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit ExperimentClient(BackendConnection *connection, QObject *parent = nullptr);
    ~ExperimentClient() override;

    bool hasChannel() const;

    /// 0 for the version in force.
    void listExperiments(qint64 version, Done<v1::ExperimentSet> done);
    void listExperimentVersions(int limit, Done<v1::ListExperimentVersionsResponse> done);
    void saveExperiment(const v1::SaveExperimentRequest &request, Done<v1::ExperimentSet> done);
    void startExperiment(const v1::ChangeExperimentRequest &request, Done<v1::ExperimentSet> done);
    void stopExperiment(const v1::ChangeExperimentRequest &request, Done<v1::ExperimentSet> done);
    void shipExperiment(const v1::ShipExperimentRequest &request, Done<v1::ExperimentSet> done);
    void rollbackExperiment(const v1::ChangeExperimentRequest &request, Done<v1::ExperimentSet> done);

    /// Opens the results stream of `key` with intervals of `kind` (closing the one open).
    void startResults(const QString &key, v1::IntervalKind kind);
    /// Closes it; no reconnecting until startResults().
    void stopResults();
    bool isResultsOpen() const { return m_reader != nullptr; }
    QString resultsKey() const { return m_key; }
    v1::IntervalKind resultsInterval() const { return m_interval; }

    /// Deadline of every unary call.
    static constexpr int kDeadlineMs = 10000;
    /// When the page tries again after a failed call (it refreshes every 5 s).
    static constexpr int kRetrySeconds = 5;

Q_SIGNALS:
    void resultsReceived(const flywheel::v1::ExperimentResults &results);
    /// The stream ended with `code` (a grpc::StatusCode); it is reopened in
    /// `retryInSeconds`, or not at all when that is 0. `why` is for operators.
    void resultsInterrupted(int code, const QString &why, int retryInSeconds);

private:
    using ResultsReader = StreamReader<ExperimentClient, v1::ExperimentResults>;
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);
    void openResults();
    void onResultsMessage(const v1::ExperimentResults &results, quint64 generation);
    void onResultsEnded(int code, const QString &message, quint64 generation);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<ExperimentClient>> m_bridge;
    std::shared_ptr<ResultsReader> m_reader;
    QString m_key;
    v1::IntervalKind m_interval = v1::INTERVAL_KIND_SEQUENTIAL;
    bool m_resultsWanted = false;
    quint64 m_generation = 0;
    int m_failures = 0;
    QTimer m_retryTimer;
};

} // namespace flywheel::ui
