#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;

/// The Segments page's calls to SegmentService. Every call is asynchronous: the answer
/// crosses from gRPC's thread to the GUI thread by a queued call and is handed to `done`
/// there, unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; refusals of the request itself (INVALID_ARGUMENT,
/// ABORTED, NOT_FOUND) are left to the caller.
class SegmentClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit SegmentClient(BackendConnection *connection, QObject *parent = nullptr);
    ~SegmentClient() override;

    bool hasChannel() const;

    /// 0 for the version in force.
    void getSegmentSet(qint64 version, Done<v1::SegmentSetVersion> done);
    void listVersions(int limit, Done<v1::ListSegmentSetVersionsResponse> done);
    void saveSegmentSet(const v1::SaveSegmentSetRequest &request, Done<v1::SegmentSetVersion> done);
    void rollback(qint64 toVersion, const QString &reason, Done<v1::SegmentSetVersion> done);
    void listFeatures(Done<v1::ListFeaturesResponse> done);
    void previewSegment(const QString &expression, int sampleSize, Done<v1::PreviewSegmentResponse> done);
    void lookupUser(qint64 uid, Done<v1::UserLookup> done);
    void getReachStats(Done<v1::ReachStats> done);

    /// Deadline of every call.
    static constexpr int kDeadlineMs = 10000;
    /// When the page tries again after a failed call (it refreshes every 5 s).
    static constexpr int kRetrySeconds = 5;

private:
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<SegmentClient>> m_bridge;
};

} // namespace flywheel::ui
